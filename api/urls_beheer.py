from django.urls import path

from api import views_beheer

app_name = "koppelingen"

urlpatterns = [
    path("", views_beheer.koppelingen, name="lijst"),
    path("nieuw/", views_beheer.koppeling_nieuw, name="nieuw"),
    path("<int:pk>/", views_beheer.koppeling_detail, name="detail"),
]
