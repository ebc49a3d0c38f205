from django.urls import path

from hulpvragen import views

app_name = "hulpvragen"
urlpatterns = [
    path("", views.hulpvraag_lijst, name="lijst"),
    path("<int:pk>/", views.hulpvraag_detail, name="detail"),
]
