from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)

from api import views, views_bijlagen, views_formulieren, views_hulpvragen, views_leerlingen

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
    path("v1/leerlingen/", views_leerlingen.LeerlingenView.as_view(), name="leerlingen"),
    path("v1/leerlingen/<int:pk>/", views_leerlingen.LeerlingView.as_view(), name="leerling"),
    path("v1/leerlingen/<int:pk>/lvs/", views_leerlingen.LvsView.as_view(), name="lvs"),
    path("v1/hulpvragen/", views_hulpvragen.HulpvragenView.as_view(), name="hulpvragen"),
    path("v1/hulpvragen/<int:pk>/", views_hulpvragen.HulpvraagView.as_view(), name="hulpvraag"),
    path(
        "v1/hulpvragen/<int:pk>/statushistorie/",
        views_hulpvragen.StatushistorieView.as_view(),
        name="statushistorie",
    ),
    path(
        "v1/hulpvragen/<int:pk>/overgangen/",
        views_hulpvragen.OvergangenView.as_view(),
        name="overgangen",
    ),
    path("v1/hulpvragen/<int:pk>/status/", views_hulpvragen.StatusView.as_view(), name="status"),
    path(
        "v1/hulpvragen/<int:pk>/bijlagen/", views_bijlagen.BijlagenView.as_view(), name="bijlagen"
    ),
    path(
        "v1/hulpvragen/<int:pk>/bijlagen/<int:bijlage_pk>/",
        views_bijlagen.BijlageView.as_view(),
        name="bijlage",
    ),
    path(
        "v1/hulpvragen/<int:pk>/formulieren/",
        views_formulieren.FormulierenView.as_view(),
        name="formulieren",
    ),
    path(
        "v1/formulieren/<int:pk>/vooraf-invullen/",
        views_formulieren.VoorafInvullenView.as_view(),
        name="vooraf_invullen",
    ),
    re_path(r"^.*$", views.niet_gevonden, name="niet_gevonden"),
]
