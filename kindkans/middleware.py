"""Response headers that hold for the whole site (Content-Security-Policy: django-csp, settings).

``PermissionsPolicyMiddleware``: ``Permissions-Policy`` from settings.PERMISSIONS_POLICY on every
response (browser features no page uses, such as camera and geolocation, are off).

``GeenCacheMiddleware``: a response to a logged-in session (a page, a tab, a partial update, an
export, a download; the code step after the password too) may hold pupil data, so no browser or
proxy may keep it: ``Cache-Control: no-store, private``. After "Afmelden" the browser's back
button then asks the server again, which answers the login page, instead of showing the page
from its cache. Static files (whitenoise answers them before this middleware) stay cacheable.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest, HttpResponse

NO_STORE = "no-store, private"


class GeenCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Decided before the view runs: the response to the logout request itself (the user is
        # anonymous afterwards) belongs to the logged-in session as well.
        ingelogd = request.user.is_authenticated or auth.SESSION_KEY in request.session
        response = self.get_response(request)
        if ingelogd or request.user.is_authenticated:
            response["Cache-Control"] = NO_STORE
            # Expires from never_cache would only confuse old proxies next to no-store.
            if "Expires" in response:
                del response["Expires"]
        return response


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
