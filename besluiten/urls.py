from django.urls import path

from besluiten import views

app_name = "besluiten"
urlpatterns = [
    path("hulpvragen/<int:pk>/besluit/", views.besluit, name="besluit"),
    path("hulpvragen/<int:pk>/advies/", views.advies, name="advies"),
    path("swv/brieven/", views.sjablonen, name="sjablonen"),
    path("swv/brieven/<str:soort>/", views.sjabloon, name="sjabloon"),
]
