from django.urls import path

from bijlagen import views

app_name = "bijlagen"
urlpatterns = [
    path("", views.bijlagen_lijst, name="lijst"),
    path("<int:pk>/download/", views.bijlage_download, name="download"),
    path("<int:pk>/verwijderen/", views.bijlage_verwijderen, name="verwijderen"),
    path("<int:pk>/soort/", views.bijlage_soort, name="soort"),
]
