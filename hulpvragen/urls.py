from django.urls import path

from hulpvragen import views, views_status

app_name = "hulpvragen"
urlpatterns = [
    path("", views.hulpvraag_lijst, name="lijst"),
    path("<int:pk>/", views.hulpvraag_detail, name="detail"),
    path(
        "<int:pk>/status/wijzigen/",
        views_status.hulpvraag_status_wijzigen,
        name="status_wijzigen",
    ),
    path("<int:pk>/status/historie/", views_status.hulpvraag_statushistorie, name="statushistorie"),
]
