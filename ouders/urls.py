from django.urls import path

from ouders import views_ouder, views_school

app_name = "ouders"
urlpatterns = [
    path("formulier/<int:formulier_pk>/uitnodigen/", views_school.uitnodigen, name="uitnodigen"),
    path("<int:pk>/nieuwe-code/", views_school.nieuwe_code, name="nieuwe_code"),
    path("<int:pk>/intrekken/", views_school.intrekken, name="intrekken"),
    path("voorstel/<int:pk>/", views_school.voorstel, name="voorstel"),
]

# The parents' own pages: a separate namespace and prefix (/ouder/), the only path their
# session cookie is sent to.
ouder_urlpatterns = (
    [
        path("<str:token>/", views_ouder.link, name="link"),
        path("<str:token>/aanvraag/", views_ouder.aanvraag, name="aanvraag"),
        path("<str:token>/bijlagen/<int:pk>/", views_ouder.bijlage, name="bijlage"),
        path("<str:token>/gegevens/", views_ouder.gegevens, name="gegevens"),
        path("<str:token>/zienswijze/", views_ouder.zienswijze, name="zienswijze"),
        path("<str:token>/tekenen/", views_ouder.tekenen, name="tekenen"),
        path("<str:token>/afmelden/", views_ouder.afmelden, name="afmelden"),
    ],
    "ouder",
)
