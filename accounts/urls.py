from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views
from accounts.decorators import openbaar

urlpatterns = [
    path("inloggen/", views.inloggen, name="login"),
    path("inloggen/code/", views.code, name="code"),
    path("inloggen/koppelen/", views.koppelen, name="koppelen"),
    # Logging out must work in every state, also a half-finished or expired login.
    path("uitloggen/", openbaar(auth_views.LogoutView.as_view()), name="logout"),
    path("account/", views.account, name="account"),
    path("account/reservecodes/", views.reservecodes, name="reservecodes"),
    path("account/telefoon/", views.telefoon_koppelen, name="telefoon_koppelen"),
    path("account/wachtwoord/", views.WachtwoordWijzigenView.as_view(), name="wachtwoord_wijzigen"),
    path("wachtwoord-vergeten/", views.wachtwoord_vergeten, name="wachtwoord_vergeten"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        views.wachtwoord_vergeten_verstuurd,
        name="wachtwoord_vergeten_verstuurd",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        openbaar(views.WachtwoordHerstellenView.as_view()),
        name="wachtwoord_herstellen",
    ),
    path("sessie/verlengen/", views.sessie_verlengen, name="sessie_verlengen"),
    path("sessie/status/", views.sessie_status, name="sessie_status"),
]
