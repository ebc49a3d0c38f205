"""Every page behind both factors, and the session limits.

Runs after django-otp's OTPMiddleware (which sets request.user.is_verified()) and after the
messages middleware. For each resolved view:

1. an authenticated session that is idle too long, older than the absolute cap, or started before
   the account's sessions were ended (password reset, 2FA reset) is logged out and sent to the
   login page with `next` = the page it asked for, so logging in again returns there;
2. an anonymous request for anything not marked `openbaar` goes to the login page;
3. a session past the password but not the code step may only use views marked `na_wachtwoord`;
   anything else (pupil data, admin, downloads) answers a redirect to the code step, or to
   enrolment for a user without an app yet.

Unresolved URLs fall through to the 404 page, which shows nothing.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import auth, messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.bewaren import inzending_bewaren
from accounts.selectors import totp_device_for
from accounts.sessies import Verlopen, sessie_actief, sessie_net_verlopen, sessie_verlopen

MELDINGEN = {
    Verlopen.INACTIEF: _(
        "U bent automatisch afgemeld omdat u een tijd niets hebt gedaan. Meld u opnieuw aan; "
        "daarna komt u terug op de pagina waar u was."
    ),
    Verlopen.MAXIMUM: _("Uw sessie had de maximale duur bereikt. Meld u opnieuw aan."),
    Verlopen.BEEINDIGD: _("Uw sessie is beëindigd. Meld u opnieuw aan."),
}
NA_VERLOPEN = "na_verlopen"
BEWAARD = _(
    "Wat u net verstuurde is niet verloren: Kindkans heeft het voor u bewaard (een uur). Meld u "
    "opnieuw aan; daarna staat het weer op de pagina, nog niet opgeslagen."
)


def _view_attr(view_func, name: str) -> bool:
    if getattr(view_func, name, False):
        return True
    # Class-based views: the marker may sit on the class.
    view_class = getattr(view_func, "view_class", None)
    return bool(view_class and getattr(view_class, name, False))


class TweeFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        openbaar = _view_attr(view_func, "kindkans_openbaar")
        if user.is_authenticated:
            # The page's own "how long have I got" poll neither ends nor extends the session.
            if not _view_attr(view_func, "kindkans_sessie_passief"):
                reden = sessie_verlopen(request)
                if (
                    reden == Verlopen.INACTIEF
                    and _view_attr(view_func, "kindkans_bewaren_na_verlopen")
                    and sessie_net_verlopen(request)
                ):
                    # The page's last autosave as its countdown ends (or its pagehide beacon):
                    # saved below, and the session stays expired (no activity recorded).
                    reden = NA_VERLOPEN
                if reden is not None and reden != NA_VERLOPEN:
                    bewaard = (
                        request.method == "POST"
                        and reden in (Verlopen.INACTIEF, Verlopen.MAXIMUM)
                        and _view_attr(view_func, "kindkans_post_bewaren")
                    )
                    if bewaard:
                        inzending_bewaren(gebruiker=user, pad=request.path, post=request.POST)
                    auth.logout(request)
                    if openbaar:
                        # The login page itself, logout, password reset: carry on, anonymous.
                        return None
                    messages.info(request, MELDINGEN[reden])
                    if bewaard:
                        messages.info(request, BEWAARD)
                    return redirect_to_login(request.get_full_path())
                if reden is None:
                    sessie_actief(request)
        elif auth.SESSION_KEY in request.session:
            # The session names a user Django no longer accepts (deactivated, organisation
            # switched off, password changed): end it for good, so reactivating the account
            # does not bring an old session back.
            request.session.flush()
        if openbaar:
            return None
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.is_verified() or _view_attr(view_func, "kindkans_na_wachtwoord"):
            return None
        return HttpResponseRedirect(tweede_stap_url(user, request.get_full_path()))


def tweede_stap_url(user, next_url: str = "") -> str:
    """The code step, or enrolment when the user has no confirmed app yet."""
    naam = "code" if totp_device_for(gebruiker=user) is not None else "koppelen"
    url = reverse(naam)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
