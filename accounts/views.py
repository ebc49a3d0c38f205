"""Login (password + code on one screen), the code step, enrolment of an authenticator app, backup
codes, password change and reset, and the session keep-alive.

Views only orchestrate: the work is in accounts.services, the session state in accounts.sessies.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.decorators import na_wachtwoord, openbaar, sessie_passief
from accounts.forms import (
    CodeForm,
    HuidigWachtwoordForm,
    KoppelForm,
    LoginForm,
    WachtwoordHerstelForm,
)
from accounts.http import safe_next
from accounts.models import Gebeurtenis
from accounts.selectors import (
    organisaties_for_login,
    reservecodes_remaining_for,
    totp_device_for,
)
from accounts.services import (
    CodeUitslag,
    beveiliging_log,
    herstelaanvraag_allowed,
    inlogpoging_reserve,
    inlogpoging_succeed,
    reservecodes_renew,
    telefoonkoppeling_notify,
    totp_device_confirm,
    totp_device_prepare,
    tweede_factor_verify,
    wachtwoordherstel_complete,
    wachtwoordwijziging_record,
)
from accounts.sessies import (
    sessie_actief,
    sessie_resterend,
    sessie_start,
    sessie_verified,
    sessie_verlopen,
)
from accounts.tasks import wachtwoord_herstel_verzenden
from accounts.totp import otpauth_uri, qr_svg, secret_grouped
from kindkans.proxy import client_ip
from kindkans.tasks import enqueue_on_commit


def _next(request: HttpRequest) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), reverse("start"))


def _met_next(naam: str, next_url: str) -> str:
    return f"{reverse(naam)}?{urlencode({'next': next_url})}"


def _code_fout(uitslag: CodeUitslag) -> str:
    if uitslag.geremd_tot is not None:
        return _(
            "Te veel onjuiste codes na elkaar. Wacht tot %(tijd)s en probeer het dan opnieuw."
        ) % {"tijd": date_format(localtime(uitslag.geremd_tot), "H:i:s")}
    return _(
        "De code is onjuist of al gebruikt. Gebruik de code die de app nu toont; staat de tijd "
        "op uw telefoon goed?"
    )


def _ingelogd(request: HttpRequest, device, next_url: str) -> HttpResponse:
    sessie_verified(request, device)
    beveiliging_log(
        gebeurtenis=Gebeurtenis.LOGIN_GELUKT, gebruiker=request.user, ip=client_ip(request)
    )
    return redirect(next_url)


@openbaar
@sensitive_post_parameters("password", "code")
@csrf_protect
@never_cache
def inloggen(request: HttpRequest) -> HttpResponse:
    """The manual's login screen: organisatie, gebruikersnaam, wachtwoord, code, "Aanmelden"."""
    next_url = _next(request)
    form = LoginForm(
        request.POST or None,
        request=request,
        initial={"organisatie": request.GET.get("organisatie", "")},
    )
    if request.method == "POST" and form.is_valid():
        gebruiker = form.user_cache
        sessie_start(request, gebruiker)
        if totp_device_for(gebruiker=gebruiker) is None:
            return redirect(_met_next("koppelen", next_url))
        code = form.cleaned_data["code"]
        if code:
            uitslag = tweede_factor_verify(gebruiker=gebruiker, code=code, ip=client_ip(request))
            if uitslag.gelukt:
                return _ingelogd(request, uitslag.device, next_url)
            messages.error(request, _code_fout(uitslag))
        return redirect(_met_next("code", next_url))
    return render(
        request,
        "registration/login.html",
        {"form": form, "next": next_url, "organisaties": organisaties_for_login()},
    )


@na_wachtwoord
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def code(request: HttpRequest) -> HttpResponse:
    """The code step: after the password, before anything else."""
    next_url = _next(request)
    if not request.user.is_authenticated:
        return redirect(_met_next("login", next_url))
    if request.user.is_verified():
        return redirect(next_url)
    if totp_device_for(gebruiker=request.user) is None:
        return redirect(_met_next("koppelen", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        uitslag = tweede_factor_verify(
            gebruiker=request.user, code=form.cleaned_data["code"], ip=client_ip(request)
        )
        if uitslag.gelukt:
            return _ingelogd(request, uitslag.device, next_url)
        form.add_error("code", _code_fout(uitslag))
    return render(request, "accounts/code.html", {"form": form, "next": next_url})


FOUTE_KOPPELCODE = _lazy(
    "Deze code klopt niet. Typ de code die de app nu toont; staat de tijd op uw telefoon goed?"
)


def koppel_context(device) -> dict:
    """What the scan step shows (templates/accounts/_koppelen_qr.html): the QR code, rendered by
    our own server, and the same secret as text for typing over."""
    uri = otpauth_uri(device)
    return {
        "qr": qr_svg(uri, label=_("QR-code om te scannen met uw authenticator-app")),
        "geheim": secret_grouped(device),
        "otpauth_uri": uri,
    }


@na_wachtwoord
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def koppelen(request: HttpRequest) -> HttpResponse:
    """Enrolment, for a user without an app: QR code and secret, confirmed by a current code.

    Only while the user has no confirmed app: otherwise someone who knows just the password
    could add an app of their own.
    """
    next_url = _next(request)
    if not request.user.is_authenticated:
        return redirect(_met_next("login", next_url))
    if totp_device_for(gebruiker=request.user) is not None:
        return redirect(next_url if request.user.is_verified() else _met_next("code", next_url))
    device = totp_device_prepare(gebruiker=request.user)
    form = KoppelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_device_confirm(
            device=device, code=form.cleaned_data["code"], ip=client_ip(request)
        )
        if codes is not None:
            device.refresh_from_db()
            _ingelogd(request, device, next_url)
            return render(
                request,
                "accounts/reservecodes_nieuw.html",
                {"codes": codes, "next": next_url, "bij_koppelen": True},
            )
        form.add_error("code", FOUTE_KOPPELCODE)
    return render(
        request,
        "accounts/koppelen.html",
        {"form": form, "next": next_url, **koppel_context(device)},
    )


def wachtwoord_opnieuw_klopt(request: HttpRequest, form: HuidigWachtwoordForm) -> bool:
    """The current password asked again before a change to the second factor ("Nieuwe telefoon
    koppelen", new backup codes): a session left open on someone's computer is not enough.
    Counted in the login's lockout (checked before the hash); errors go onto the form."""
    if not form.is_valid():
        return False
    user = request.user
    sleutel = {
        "organisatie": user.organisatie,
        "gebruikersnaam": user.username,
        "ip": client_ip(request),
    }
    if not inlogpoging_reserve(**sleutel):
        form.add_error(None, _("Te veel mislukte pogingen. Probeer het later opnieuw."))
        return False
    if not user.check_password(form.cleaned_data["wachtwoord"]):
        form.add_error("wachtwoord", _("Dit wachtwoord klopt niet."))
        return False
    inlogpoging_succeed(**sleutel)
    return True


# How long the password asked on "Nieuwe telefoon koppelen" allows scanning and confirming.
TELEFOON_KOPPELEN_SECONDEN = 10 * 60
_TELEFOON_KOPPELEN_TOT = "telefoon_koppelen_tot"


@sensitive_post_parameters("wachtwoord", "code")
@csrf_protect
@never_cache
def telefoon_koppelen(request: HttpRequest) -> HttpResponse:
    """A new phone, by the user: the current password again, then the QR code of a new app,
    confirmed by a code from it. The old app stops working (totp_device_bevestig keeps one app),
    new backup codes are shown once; other sessions verified with the old app need a code
    again. A lost phone without backup codes still goes through the beheerder's reset."""
    user = request.user
    tot = request.session.get(_TELEFOON_KOPPELEN_TOT, 0)
    if not (isinstance(tot, int | float) and time.time() < tot):
        form = HuidigWachtwoordForm(request.POST or None)
        if request.method == "POST" and wachtwoord_opnieuw_klopt(request, form):
            request.session[_TELEFOON_KOPPELEN_TOT] = time.time() + TELEFOON_KOPPELEN_SECONDEN
            return redirect("telefoon_koppelen")
        return render(request, "accounts/telefoon.html", {"wachtwoord_form": form})

    device = totp_device_prepare(gebruiker=user)
    form = KoppelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_device_confirm(
            device=device, code=form.cleaned_data["code"], ip=client_ip(request)
        )
        if codes is not None:
            request.session.pop(_TELEFOON_KOPPELEN_TOT, None)
            device.refresh_from_db()
            sessie_verified(request, device)  # this session now rests on the new app
            telefoonkoppeling_notify(gebruiker=user)
            return render(
                request,
                "accounts/reservecodes_nieuw.html",
                {"codes": codes, "next": reverse("account"), "bij_koppelen": True},
            )
        form.add_error("code", FOUTE_KOPPELCODE)
    return render(request, "accounts/telefoon.html", {"form": form, **koppel_context(device)})


@never_cache
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {"reservecodes_over": reservecodes_remaining_for(gebruiker=request.user)},
    )


@sensitive_post_parameters("wachtwoord")
@csrf_protect
@never_cache
def reservecodes(request: HttpRequest) -> HttpResponse:
    """Make ten new backup codes (the old ones stop working) after the current password again;
    they are shown this once, the security log records it and the user gets a mail."""
    form = HuidigWachtwoordForm(request.POST or None)
    if request.method == "POST" and wachtwoord_opnieuw_klopt(request, form):
        codes = reservecodes_renew(gebruiker=request.user, ip=client_ip(request))
        return render(
            request,
            "accounts/reservecodes_nieuw.html",
            {"codes": codes, "next": reverse("account"), "bij_koppelen": False},
        )
    return render(
        request,
        "accounts/reservecodes.html",
        {"reservecodes_over": reservecodes_remaining_for(gebruiker=request.user), "form": form},
    )


class WachtwoordWijzigenView(auth_views.PasswordChangeView):
    """Asks the current password, then the new one twice; this session stays logged in, every
    other session of the account ends (Django's session auth hash changes with the password)."""

    template_name = "accounts/wachtwoord_wijzigen.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        wachtwoordwijziging_record(gebruiker=self.request.user, ip=client_ip(self.request))
        messages.success(self.request, _("Uw wachtwoord is gewijzigd."))
        return response


@openbaar
@csrf_protect
@never_cache
def wachtwoord_vergeten(request: HttpRequest) -> HttpResponse:
    """One field "gebruikersnaam of e-mailadres". The answer is the same whether or not an
    account was found, so the page cannot be used to find out who has one."""
    form = WachtwoordHerstelForm(
        request.POST or None, initial={"organisatie": request.GET.get("organisatie", "")}
    )
    if request.method == "POST" and form.is_valid():
        organisatie = form.cleaned_data["organisatie"]
        invoer = form.cleaned_data["invoer"]
        ip = client_ip(request)
        if not herstelaanvraag_allowed(ip=ip):
            # Same answer as always; no mail, so the form cannot be used to flood inboxes.
            return redirect("wachtwoord_vergeten_verstuurd")

        # The lookup and the mail happen in the background task: this request does the same
        # work whether or not an account matches (accounts.services.wachtwoord_herstel_verzenden).
        enqueue_on_commit(
            wachtwoord_herstel_verzenden,
            organisatie_id=organisatie.pk if organisatie else None,
            invoer=invoer,
            ip=ip,
        )
        return redirect("wachtwoord_vergeten_verstuurd")
    return render(
        request,
        "accounts/wachtwoord_vergeten.html",
        {"form": form, "organisaties": organisaties_for_login()},
    )


@openbaar
def wachtwoord_vergeten_verstuurd(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/wachtwoord_vergeten_verstuurd.html")


class WachtwoordHerstellenView(auth_views.PasswordResetConfirmView):
    """The link from the mail: a new password, then back to the login screen. Never logs in by
    itself, so the code step always follows."""

    template_name = "accounts/wachtwoord_herstellen.html"
    post_reset_login = False
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        wachtwoordherstel_complete(gebruiker=form.user, ip=client_ip(self.request))
        messages.success(
            self.request,
            _("Uw wachtwoord is ingesteld. Meld u aan met het nieuwe wachtwoord en uw code."),
        )
        return response


@require_POST
@csrf_protect
def sessie_verlengen(request: HttpRequest) -> HttpResponse:
    """ "Blijf ingelogd": counts as activity. Without JavaScript it is an ordinary form post that
    returns to the page."""
    sessie_actief(request, altijd=True)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"resterend": sessie_resterend(request)})
    return redirect(_next(request))


@openbaar
@sessie_passief
@never_cache
def sessie_status(request: HttpRequest) -> JsonResponse:
    """Seconds left before the automatic logout, for the warning on the page. Does not count as
    activity, and says only a number (0 when there is no live session)."""
    resterend = 0
    if request.user.is_authenticated and sessie_verlopen(request) is None:
        resterend = sessie_resterend(request)
    return JsonResponse({"resterend": resterend})
