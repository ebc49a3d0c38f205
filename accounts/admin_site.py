"""The admin (at /beheer/) behind both factors, with no login of its own.

django-otp's OTPAdminSite refuses every user whose session has not passed the code step. Its own
login form is replaced by a redirect to the one login screen (organisation, password, code), so
there is no second way in. Imported from AccountsConfig.ready() only (the app registry is ready).
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class KindkansAdminSite(OTPAdminSite):
    def __init__(self, name: str = "admin"):
        super().__init__(name)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and request.user.is_verified():
            # Fully logged in but not allowed here: no login form will change that.
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
