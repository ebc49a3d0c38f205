from django.urls import path

from beheer import views

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
    path("swv/gebruikers/", views.gebruikers, name="gebruikers"),
    path("swv/gebruikers/nieuw/", views.gebruiker_nieuw, name="gebruiker_nieuw"),
    path("swv/gebruikers/<int:pk>/", views.gebruiker_detail, name="gebruiker"),
    path("swv/gebruikers/<int:pk>/actief/", views.gebruiker_actief, name="gebruiker_actief"),
    path(
        "swv/gebruikers/<int:pk>/tweede-factor/",
        views.gebruiker_tweede_factor,
        name="gebruiker_tweede_factor",
    ),
    path("swv/scholen/", views.scholen, name="scholen"),
    path("swv/scholen/nieuw/", views.school_nieuw, name="school_nieuw"),
    path("swv/scholen/<int:pk>/", views.school_detail, name="school"),
    path("swv/scholen/<int:pk>/samenvoegen/", views.school_samenvoegen, name="school_samenvoegen"),
    path("swv/scholen/<int:pk>/opheffen/", views.school_sluiten, name="school_sluiten"),
    path("swv/bewaartermijnen/", views.bewaartermijnen, name="bewaartermijnen"),
    path("swv/inzage/", views.inzage, name="inzage"),
    path("swv/inzage/<int:pk>/export/", views.inzage_export, name="inzage_export"),
    path("swv/kengetallen/", views.kengetallen, name="kengetallen"),
    path("swv/auditlog/", views.auditlog, name="auditlog"),
    # For schools: the manual's e-mail to the loket, as a request inside the application.
    path("personeelswijziging/", views.personeelswijziging_aanvragen, name="aanvragen"),
]
