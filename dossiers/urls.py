from django.urls import path

from dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("hulpvragen/<int:pk>/lvs/", views.lvs_tab, name="lvs"),
]
