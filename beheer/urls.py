from django.urls import path

from accounts import views_gebruikers
from beheer import views, views_bewaren, views_kengetallen, views_privacy, views_scholen

app_name = "beheer"
urlpatterns = [
    path("swv/", views.index, name="index"),
    path(
        "swv/personeelswijzigingen/",
        views.personeelswijziging_lijst,
        name="personeelswijzigingen",
    ),
    path(
        "swv/personeelswijzigingen/nieuw/",
        views.personeelswijziging_nieuw,
        name="personeelswijziging_nieuw",
    ),
    path(
        "swv/personeelswijzigingen/<int:pk>/",
        views.personeelswijziging_detail,
        name="personeelswijziging",
    ),
    path(
        "swv/personeelswijzigingen/<int:pk>/ongedaan/",
        views.personeelswijziging_ongedaan,
        name="personeelswijziging_ongedaan",
    ),
    path(
        "swv/personeelswijzigingen/<int:pk>/afwijzen/",
        views.personeelswijziging_afwijzen,
        name="personeelswijziging_afwijzen",
    ),
    path("swv/gebruikers/", views_gebruikers.gebruikers, name="gebruikers"),
    path("swv/gebruikers/nieuw/", views_gebruikers.gebruiker_nieuw, name="gebruiker_nieuw"),
    path("swv/gebruikers/<int:pk>/", views_gebruikers.gebruiker_detail, name="gebruiker"),
    path(
        "swv/gebruikers/<int:pk>/actief/",
        views_gebruikers.gebruiker_actief,
        name="gebruiker_actief",
    ),
    path(
        "swv/gebruikers/<int:pk>/tweede-factor/",
        views_gebruikers.gebruiker_tweede_factor,
        name="gebruiker_tweede_factor",
    ),
    path("swv/scholen/", views_scholen.scholen, name="scholen"),
    path("swv/scholen/nieuw/", views_scholen.school_nieuw, name="school_nieuw"),
    path("swv/scholen/<int:pk>/", views_scholen.school_detail, name="school"),
    path(
        "swv/scholen/<int:pk>/samenvoegen/",
        views_scholen.school_samenvoegen,
        name="school_samenvoegen",
    ),
    path("swv/scholen/<int:pk>/opheffen/", views_scholen.school_sluiten, name="school_sluiten"),
    path("swv/bewaartermijnen/", views_bewaren.bewaartermijnen, name="bewaartermijnen"),
    path("swv/inzage/", views_privacy.inzage, name="inzage"),
    path("swv/inzage/<int:pk>/export/", views_privacy.inzage_export, name="inzage_export"),
    path("swv/kengetallen/", views_kengetallen.kengetallen, name="kengetallen"),
    path("swv/auditlog/", views_privacy.auditlog, name="auditlog"),
    # For schools: the manual's e-mail to the loket, as a request inside the application.
    path("personeelswijziging/", views.personeelswijziging_aanvragen, name="aanvragen"),
]
