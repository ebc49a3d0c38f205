from django.contrib import admin
from django.urls import include, path

from organisaties.views import informatie_wijzigen, start
from ouders.urls import ouder_urlpatterns

admin.site.site_header = "Kindkans beheer"
admin.site.site_title = "Kindkans beheer"
admin.site.index_title = "Beheer"

urlpatterns = [
    path("", start, name="start"),
    path("informatie/wijzigen/", informatie_wijzigen, name="informatie_wijzigen"),
    path("", include("accounts.urls")),
    path("", include("oidc.urls")),
    path("hulpvragen/<int:hulpvraag_pk>/bijlagen/", include("bijlagen.urls")),
    path("hulpvragen/", include("hulpvragen.urls")),
    path("", include("overdracht.urls")),
    path("", include("beheer.urls")),
    path("", include("dossiers.urls")),
    path("formulieren/", include("formulieren.urls")),
    path("", include("besluiten.urls")),
    path("loket/", include("loket.urls")),
    path("ouders/", include("ouders.urls")),
    path("ouder/", include(ouder_urlpatterns)),
    path("beheer/", admin.site.urls),
    path("swv/api-koppelingen/", include("api.urls_beheer")),
    path("api/", include("api.urls")),
]

# Dutch error pages with a reference the user can quote (kindkans/errors.py).
handler400 = "kindkans.errors.bad_request"
handler403 = "kindkans.errors.permission_denied"
handler404 = "kindkans.errors.page_not_found"
handler500 = "kindkans.errors.server_error"
