"""Timings and query counts of the bulk beheer actions on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/beheer_bench \\
        .venv/bin/python benchmarks/beheer_bulk.py --hulpvragen 5000

Seeds one organisation (code "BB…", a fresh one each run) with N hulpvragen at one school, all
submitted and one status change each, half of them closed years ago, then measures:

- personeelswijziging_apply / _undo over the school's open hulpvragen;
- school_merge of that school into another;
- kengetallen_for over all of them (the loket's report);
- bewaarsignalering_refresh and dossiers_verwijderen of the closed dossiers (no files).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindkans.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Rol, User  # noqa: E402
from beheer.kengetallen import kengetallen_for  # noqa: E402
from beheer.services import personeelswijziging_apply, personeelswijziging_undo  # noqa: E402
from beheer.services_bewaren import bewaarsignalering_refresh, dossiers_delete  # noqa: E402
from beheer.services_scholen import organisatie_create, school_merge  # noqa: E402
from dossiers.models import Leerling, Schoolgegevens  # noqa: E402
from hulpvragen.models import Hulpvraag, Statuswijziging  # noqa: E402
from organisaties.models import Bestuur, Organisatie, School, Sector  # noqa: E402


def meet(naam: str, fn):
    with CaptureQueriesContext(connection) as q:
        start = time.perf_counter()
        result = fn()
        ms = (time.perf_counter() - start) * 1000
    print(f"{naam:<34} {ms:9.1f} ms  {len(q.captured_queries):5d} queries")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hulpvragen", type=int, default=2000)
    n = parser.parse_args().hulpvragen
    call_command("migrate", verbosity=0)
    code = f"BB{int(time.time()) % 100000}"
    org = organisatie_create(
        door=None,
        organisatie=Organisatie(
            code=code, naam=f"{code} Bench", sector=Sector.VO, loket_email="l@x.example"
        ),
    )
    bestuur = Bestuur.objects.create(organisatie=org, naam="Bestuur")
    school, andere = (
        School.objects.create(organisatie=org, bestuur=bestuur, brin=b, naam=b, sector=Sector.VO)
        for b in ("11AA", "22BB")
    )
    mk = dict(organisatie=org, email="", first_name="A", last_name="B")
    oud = User.objects.create(username="oud", rol=Rol.SCHOOL, **mk)
    nieuw = User.objects.create(username="nieuw", rol=Rol.SCHOOL, **{**mk, "email": "n@x.example"})
    oud.scholen.add(school)
    nieuw.scholen.add(school)
    loket = User.objects.create(username="loket", rol=Rol.SWV_LOKET, **mk)
    beheerder = User.objects.create(username="beheerder", rol=Rol.BEHEERDER, **mk)
    proces = org.processen.get(type="TLV_VSO")
    ingediend = proces.statussen.get(naam="TLV aanvraag indienen")
    afgegeven = proces.statussen.get(naam="TLV afgegeven")

    start = time.perf_counter()
    leerlingen = Leerling.objects.bulk_create(
        Leerling(
            organisatie=org,
            voornamen="K",
            roepnaam="K",
            achternaam=f"L{i}",
            geboortedatum="2012-01-01",
            geslacht="M",
        )
        for i in range(n)
    )
    sgs = Schoolgegevens.objects.bulk_create(
        Schoolgegevens(
            organisatie=org,
            leerling=lr,
            school=school,
            leerjaar=2,
            aanvrager=oud,
            contactpersoon="Oud",
            email="oud@x.example",
            begindatum="2024-08-26",
        )
        for lr in leerlingen
    )
    hvs = Hulpvraag.objects.bulk_create(
        Hulpvraag(
            organisatie=org,
            leerling=sg.leerling,
            schoolgegevens=sg,
            type="TLV_VSO",
            proces=proces,
            status=afgegeven if i % 2 else ingediend,
            hulpvraagdatum=timezone.localdate(),
        )
        for i, sg in enumerate(sgs)
    )
    lang_geleden = timezone.now() - timedelta(days=4 * 365)
    Statuswijziging.objects.bulk_create(
        Statuswijziging(
            organisatie=org,
            hulpvraag=hv,
            naar=hv.status,
            op=lang_geleden if i % 2 else timezone.now() - timedelta(days=10),
        )
        for i, hv in enumerate(hvs)
    )
    print(f"seeded {n} hulpvragen in {time.perf_counter() - start:.1f} s ({connection.vendor})")

    pw = meet(
        "personeelswijziging_apply",
        lambda: personeelswijziging_apply(
            door=loket,
            school=school,
            vertrekkend=oud,
            opvolger=nieuw,
            ingangsdatum=timezone.localdate() + timedelta(days=7),
        ),
    )
    print(f"  {pw.regels.count()} schoolgegevens changed")
    meet(
        "personeelswijziging_undo",
        lambda: personeelswijziging_undo(personeelswijziging=pw, door=loket),
    )
    meet(
        "kengetallen_for",
        lambda: kengetallen_for(user=loket, van=timezone.localdate(), tot=timezone.localdate()),
    )
    due = meet(
        "bewaarsignalering_refresh", lambda: bewaarsignalering_refresh(organisatie_id=org.pk)
    )
    print(f"  {due} dossiers due")
    ids = list(org.leerlingen.values_list("pk", flat=True))
    meet("dossiers_delete", lambda: dossiers_delete(door=beheerder, leerling_ids=ids))
    meet("school_merge", lambda: school_merge(door=loket, bron=school, doel=andere))


if __name__ == "__main__":
    main()
