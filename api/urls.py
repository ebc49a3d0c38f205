from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)

from api import views

app_name = "api"


class Schema(SpectacularAPIView):
    kindkans_openbaar = True


class Docs(SpectacularSwaggerSplitView):
    """Swagger UI with its script as a file and no inline style (the CSP allows neither).
    Redoc is not offered: its page template loads web fonts from a CDN."""

    kindkans_openbaar = True
    template_name = "api/swagger_ui.html"


urlpatterns = [
    path("v1/schema/", Schema.as_view(), name="schema"),
    path("v1/docs/", Docs.as_view(url_name="api:schema"), name="docs"),
    path("v1/scholen/", views.ScholenView.as_view(), name="scholen"),
    path("v1/leerlingen/", views.LeerlingenView.as_view(), name="leerlingen"),
    path("v1/leerlingen/<int:pk>/", views.LeerlingView.as_view(), name="leerling"),
    path("v1/leerlingen/<int:pk>/lvs/", views.LvsView.as_view(), name="lvs"),
    path("v1/hulpvragen/", views.HulpvragenView.as_view(), name="hulpvragen"),
    path("v1/hulpvragen/<int:pk>/", views.HulpvraagView.as_view(), name="hulpvraag"),
    path(
        "v1/hulpvragen/<int:pk>/statushistorie/",
        views.StatushistorieView.as_view(),
        name="statushistorie",
    ),
    path("v1/hulpvragen/<int:pk>/overgangen/", views.OvergangenView.as_view(), name="overgangen"),
    path("v1/hulpvragen/<int:pk>/status/", views.StatusView.as_view(), name="status"),
    path("v1/hulpvragen/<int:pk>/bijlagen/", views.BijlagenView.as_view(), name="bijlagen"),
    path(
        "v1/hulpvragen/<int:pk>/bijlagen/<int:bijlage_pk>/",
        views.BijlageView.as_view(),
        name="bijlage",
    ),
    re_path(r"^.*$", views.niet_gevonden, name="niet_gevonden"),
]
