from django.urls import path

from dossiers import views, views_edexml, views_toevoegen

app_name = "dossiers"
urlpatterns = [
    path("hulpvragen/<int:pk>/lvs/", views.lvs_tab, name="lvs"),
    # "Toevoegen": search first, then the new-dossier wizard (issue 6).
    path("hulpvragen/toevoegen/", views_toevoegen.toevoegen, name="toevoegen"),
    path("hulpvragen/toevoegen/dossier/", views_toevoegen.concept_start, name="concept_start"),
    path("hulpvragen/toevoegen/edexml/", views_edexml.importeren, name="edexml"),
    path("hulpvragen/toevoegen/edexml/kiezen/", views_edexml.kiezen, name="edexml_kiezen"),
    path("hulpvragen/toevoegen/edexml/klas/", views_edexml.klas, name="edexml_klas"),
    path("hulpvragen/toevoegen/concept/<int:pk>/", views_toevoegen.concept, name="concept"),
    path(
        "hulpvragen/toevoegen/concept/<int:pk>/verwijderen/",
        views_toevoegen.concept_verwijderen,
        name="concept_verwijderen",
    ),
    path(
        "hulpvragen/toevoegen/concept/<int:pk>/<slug:stap>/",
        views_toevoegen.stap,
        name="stap",
    ),
    path(
        "hulpvragen/toevoegen/leerling/<int:leerling_pk>/",
        views_toevoegen.nieuwe_hulpvraag,
        name="nieuwe_hulpvraag",
    ),
]
