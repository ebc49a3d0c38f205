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
