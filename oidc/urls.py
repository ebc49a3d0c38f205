from django.urls import path

from oidc import views, views_lvs

app_name = "oidc"

urlpatterns = [
    path("inloggen/extern/", views.organisatie_kiezen, name="organisatie"),
    path("inloggen/extern/start/", views.start, name="start"),
    path("inloggen/extern/terug/", views.terug, name="terug"),
    path("inloggen/extern/kiezen/", views.kiezen, name="kiezen"),
    path("lvs/open/", views_lvs.lvs_open, name="lvs_open"),
    path("samenwerkingsverband/wisselen/", views.wisselen, name="wisselen"),
    path("account/extern/<int:provider_pk>/koppelen/", views.koppelen, name="koppelen"),
    path(
        "account/extern/koppeling/<int:koppeling_pk>/verwijderen/",
        views.ontkoppelen,
        name="ontkoppelen",
    ),
]
