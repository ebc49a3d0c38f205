from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.forms import OrganisatieLoginForm

urlpatterns = [
    path(
        "inloggen/",
        auth_views.LoginView.as_view(authentication_form=OrganisatieLoginForm),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
]
