from django.urls import path

from formulieren import views

app_name = "formulieren"
urlpatterns = [
    path("hulpvraag/<int:hulpvraag_pk>/", views.formulier_tab, name="tab"),
    path("te-ondertekenen/", views.te_ondertekenen, name="te_ondertekenen"),
    path("<int:pk>/bewerken/", views.formulier_bewerken, name="bewerken"),
    path("<int:pk>/concept/", views.formulier_concept, name="concept"),
    path("<int:pk>/ondertekenen/", views.formulier_ondertekenen, name="ondertekenen"),
    path("<int:pk>/word/", views.formulier_word, name="word"),
]
