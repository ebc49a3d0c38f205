"""What an authenticator app needs to know about a TOTP device: the otpauth URI, the secret as
base32 text and the QR code, drawn as inline SVG by our own server (no external QR service)."""

from __future__ import annotations

import base64
from urllib.parse import quote, urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils.html import escape
from django_otp.plugins.otp_totp.models import TOTPDevice


def issuer(device: TOTPDevice) -> str:
    """The name the app lists the account under; it names the organisation, because a person may
    have an account at several SWVs (colons are the URI's separator, so they go)."""
    organisatie = device.user.organisatie
    name = f"Kindkans {organisatie.naam}" if organisatie else settings.OTP_TOTP_ISSUER
    return name.replace(":", "")


def secret_b32(device: TOTPDevice) -> str:
    """The key as base32 without padding: what apps accept for manual entry."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def secret_grouped(device: TOTPDevice) -> str:
    """The same secret in groups of four, easier to type over from the screen."""
    secret = secret_b32(device)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otpauth_uri(device: TOTPDevice) -> str:
    """Key URI format (google-authenticator wiki), understood by Microsoft and Google
    Authenticator: otpauth://totp/ISSUER:ACCOUNT?secret=..&issuer=..&algorithm=SHA1&digits=6&period=30
    """
    name = issuer(device)
    label = f"{name}:{device.user.get_username().replace(':', '')}"
    params = urlencode(
        {
            "secret": secret_b32(device),
            "issuer": name,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{quote(label)}?{params}"


def qr_svg(data: str, *, label: str) -> str:
    """An <svg> element (no XML prolog) to put straight into the page; `label` is its text
    alternative for screen readers."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = svg[svg.index("<svg") :]
    return svg.replace("<svg ", f'<svg class="qr" role="img" aria-label="{escape(label)}" ', 1)
