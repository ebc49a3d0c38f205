from django.urls import path, re_path

from hulpvragen import views, views_status
from hulpvragen.tabs import TABS

# Only the known tab names, so other apps' URLs under /hulpvragen/<pk>/ (bijlagen, …) stay theirs.
TAB_PATTERN = "|".join(slug for slug, tab in TABS.items() if not tab.url_name)

app_name = "hulpvragen"
urlpatterns = [
    path("", views.hulpvraag_lijst, name="lijst"),
    path("wissen/", views.hulpvraag_lijst_wissen, name="wissen"),
    path("gedeeld/", views.gedeeld, name="gedeeld"),
    path("kolommen/", views.hulpvraag_lijst_kolommen, name="kolommen"),
    path("volledig-scherm/", views.hulpvraag_lijst_volledig_scherm, name="volledig_scherm"),
    path("<int:pk>/", views.hulpvraag_detail, name="detail"),
    path(
        "<int:pk>/status/wijzigen/",
        views_status.hulpvraag_status_wijzigen,
        name="status_wijzigen",
    ),
    path("<int:pk>/status/historie/", views_status.hulpvraag_statushistorie, name="statushistorie"),
    re_path(rf"^(?P<pk>[0-9]+)/(?P<tab>{TAB_PATTERN})/$", views.hulpvraag_tab_dispatch, name="tab"),
]
