"""Test-only URLconf: the project's URLs and error handlers, plus a view that fails."""

from django.urls import path

from kindkans.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

GEHEIM = "RuntimeError-detail-Jansen-geboren-2011"


def view_that_raises(request):
    raise RuntimeError(GEHEIM)


urlpatterns = [*urlpatterns, path("test/fout/", view_that_raises)]
