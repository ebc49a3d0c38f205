from django.urls import path

from overdracht import views

app_name = "overdracht"
urlpatterns = [
    path("swv/scholen/inlezen/", views.scholen_inlezen, name="scholen_inlezen"),
    path("swv/scholen/inlezen/<int:pk>/", views.scholen_voorbeeld, name="scholen_voorbeeld"),
    path("swv/gebruikers/uitnodigen/", views.uitnodigen, name="uitnodigen"),
    path("swv/gebruikers/uitnodigingen/", views.uitnodigingen, name="uitnodigingen"),
    path(
        "swv/gebruikers/uitnodigingen/<int:pk>/opnieuw/",
        views.uitnodiging_opnieuw_versturen,
        name="uitnodiging_opnieuw",
    ),
    path("uitnodiging/aannemen/", views.aannemen_wachtwoord, name="aannemen_wachtwoord"),
    path("uitnodiging/<str:token>/", views.aannemen, name="aannemen"),
]
urlpatterns += [
    path("swv/export/", views.exporteren, name="exporteren"),
    path("swv/export/<int:pk>/downloaden/", views.export_downloaden_view, name="export_downloaden"),
    path("platform/importeren/", views.importeren, name="importeren"),
]
