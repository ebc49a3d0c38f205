"""Django's own Dutch messages stay Django's: an installed app (Django REST framework) that
translates the same English message in other words must not change what the screens say."""

import gettext
from pathlib import Path

import django
import rest_framework
from django.utils import translation


def _catalogus(pakket) -> dict:
    pad = Path(pakket.__file__).parent
    pad = pad / ("conf/locale" if pakket is django else "locale") / "nl/LC_MESSAGES/django.mo"
    with pad.open("rb") as bestand:
        return gettext.GNUTranslations(bestand)._catalog


def test_every_django_message_another_app_rewords_keeps_djangos_wording():
    eigen, drf = _catalogus(django), _catalogus(rest_framework)
    gedeeld = {k for k in drf if isinstance(k, str) and k and k in eigen and eigen[k] != drf[k]}
    assert gedeeld, "the check compares nothing: did the catalogs move?"
    with translation.override("nl"):
        afwijkend = {
            k: translation.gettext(k) for k in gedeeld if translation.gettext(k) != eigen[k]
        }
    assert not afwijkend, (
        f"add these to locale/nl/LC_MESSAGES/django.po with Django's wording: {afwijkend}"
    )


def test_a_required_field_says_verplicht():
    with translation.override("nl"):
        assert translation.gettext("This field is required.") == "Dit veld is verplicht."
