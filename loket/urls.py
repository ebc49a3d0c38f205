from django.urls import path

from loket import views

app_name = "loket"
urlpatterns = [
    path("werkvoorraad/", views.werkvoorraad_view, name="werkvoorraad"),
    path("werkvoorraad/<int:pk>/toewijzen/", views.toewijzen, name="toewijzen"),
    path("instellingen/", views.instellingen, name="instellingen"),
]
urlpatterns += [
    path("hulpvragen/<int:pk>/vragen/", views.vragen, name="vragen"),
]
urlpatterns += [
    path("vergaderingen/", views.vergaderingen, name="vergaderingen"),
    path("vergaderingen/<int:pk>/", views.vergadering, name="vergadering"),
    path(
        "vergaderingen/<int:pk>/verplaatsen/",
        views.vergadering_verplaatsen_view,
        name="vergadering_verplaatsen",
    ),
    path(
        "vergaderingen/<int:pk>/agenda/<int:punt>/",
        views.agendapunt_afhandelen,
        name="agendapunt_afhandelen",
    ),
]
