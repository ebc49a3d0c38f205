"""The operator's command that recomputes the stored decision clocks (docs/loket.md)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from loket.models import Termijn
from tests.factories import OrganisatieFactory


def test_the_command_rebuilds_a_lost_or_stale_clock(world, ingediend):
    tlv = ingediend("TLV_VSO")
    echt = Termijn.objects.get(hulpvraag=tlv)
    Termijn.objects.filter(hulpvraag=tlv).update(deadline=None, ingediend_op=None)
    ander = OrganisatieFactory()

    uit = StringIO()
    call_command("termijnen_herberekenen", organisatie=ander.code, stdout=uit)
    assert Termijn.objects.get(hulpvraag=tlv).deadline is None  # another SWV: untouched
    assert "0 termijnen herberekend" in uit.getvalue()

    uit = StringIO()
    call_command("termijnen_herberekenen", organisatie=world.org.code, stdout=uit)
    herberekend = Termijn.objects.get(hulpvraag=tlv)
    assert herberekend.deadline == echt.deadline
    assert herberekend.ingediend_op == echt.ingediend_op
    assert "termijnen herberekend" in uit.getvalue()


def test_an_unknown_organisation_is_refused(db):
    with pytest.raises(CommandError, match="BESTAATNIET"):
        call_command("termijnen_herberekenen", organisatie="BESTAATNIET")
