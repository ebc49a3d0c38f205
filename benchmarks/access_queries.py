"""Timings of the access module's list queries per role, on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kindkans_bench \\
        .venv/bin/python benchmarks/access_queries.py --hulpvragen 100000

Migrates the database, seeds (once; reused on the next run) N hulpvragen spread over
--organisaties SWVs with --scholen schools each (one dossier and schoolgegevens per hulpvraag,
20 % "voorlopige aanvraag", the rest in a random later status, a deskundige with 25 grants), then
for one user per role in the first organisation measures, as the Hulpvragen screen runs them:

- page: the first 50 rows of hulpvragen_list_for(user=...) (the list screen);
- count: hulpvragen_visible_to(user).count() (the paginator);
- detail: hulpvraag_get_for(user, pk) of a row the user may see;

and prints the median and worst of --runs runs in milliseconds, and on PostgreSQL the plan of
the page query (EXPLAIN ANALYZE, BUFFERS). Seeded rows live in organisations whose code starts
with "BM"; use a database of its own (or --opnieuw to delete and reseed them).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindkans.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import DateTimeField, F  # noqa: E402
from django.db.models.functions import Cast  # noqa: E402

from accounts.models import Rol, User  # noqa: E402
from beheer.services_scholen import organisatie_create  # noqa: E402
from dossiers.models import Leerling, Schoolgegevens  # noqa: E402
from hulpvragen.access import hulpvraag_get_for, hulpvragen_visible_to  # noqa: E402
from hulpvragen.models import Hulpvraag, Proces, Status, Toegang  # noqa: E402
from hulpvragen.selectors import hulpvragen_list_for  # noqa: E402
from organisaties.models import Bestuur, Organisatie, School, Sector  # noqa: E402

PREFIX = "BM"
BATCH = 5000


def seed(*, hulpvragen: int, organisaties: int, scholen: int) -> None:
    rng = random.Random(2505)
    started = time.perf_counter()
    orgs = []
    for o in range(organisaties):
        org = organisatie_create(
            door=None,
            organisatie=Organisatie(
                code=f"{PREFIX}{o:04d}",
                naam=f"{PREFIX}{o:04d} Benchmark",
                sector=Sector.VO,
                loket_email=f"loket@bm{o}.example",
            ),
        )
        orgs.append(org)
    per_org: dict[int, dict] = {}
    for org in orgs:
        besturen = Bestuur.objects.bulk_create(
            Bestuur(organisatie=org, naam=f"Bestuur {b}") for b in range(max(1, scholen // 8))
        )
        org_scholen = School.objects.bulk_create(
            School(
                organisatie=org,
                bestuur=besturen[s % len(besturen)],
                brin=f"{s % 100:02d}{chr(65 + s // 100 % 26)}{chr(65 + s // 2600 % 26)}",
                vestiging="00",
                naam=f"School {s}",
                sector=Sector.VO,
            )
            for s in range(scholen)
        )
        processen = {
            p.type: (p, list(p.statussen.order_by("volgorde")))
            for p in Proces.objects.filter(organisatie=org, actief=True)
        }
        per_org[org.pk] = {"scholen": org_scholen, "processen": processen}
    types = sorted(next(iter(per_org.values()))["processen"])

    created = 0
    while created < hulpvragen:
        n = min(BATCH, hulpvragen - created)
        with transaction.atomic():
            rows = []
            for i in range(created, created + n):
                org = orgs[i % organisaties]
                school = per_org[org.pk]["scholen"][(i // organisaties) % scholen]
                rows.append((org, school, i))
            leerlingen = Leerling.objects.bulk_create(
                Leerling(
                    organisatie=org,
                    voornamen="Kim",
                    roepnaam="Kim",
                    achternaam=f"Leerling {i}",
                    geboortedatum=date(2010, 1, 1) + timedelta(days=i % 2000),
                    geslacht="O",
                )
                for org, school, i in rows
            )
            schoolgegevens = Schoolgegevens.objects.bulk_create(
                Schoolgegevens(
                    organisatie=org,
                    leerling=leerling,
                    school=school,
                    leerjaar=1 + i % 6,
                    contactpersoon="Contact",
                    email="contact@school.example",
                    begindatum=date(2024, 8, 26),
                )
                for (org, school, i), leerling in zip(rows, leerlingen, strict=True)
            )
            hv_rows = []
            for (org, _school, i), leerling, sg in zip(
                rows, leerlingen, schoolgegevens, strict=True
            ):
                proces, statussen = per_org[org.pk]["processen"][types[i % len(types)]]
                status = statussen[0] if rng.random() < 0.2 else rng.choice(statussen[1:])
                hv_rows.append(
                    Hulpvraag(
                        organisatie=org,
                        leerling=leerling,
                        schoolgegevens=sg,
                        type=proces.type,
                        proces=proces,
                        status=status,
                        hulpvraagdatum=date(2025, 1, 1) + timedelta(days=i % 365),
                    )
                )
            Hulpvraag.objects.bulk_create(hv_rows)
        created += n
        print(f"  {created:>8} hulpvragen ({time.perf_counter() - started:.0f} s)", flush=True)

    for org in orgs:
        first_school = per_org[org.pk]["scholen"][0]
        school_user = User.objects.create(organisatie=org, username="school", rol=Rol.SCHOOL)
        school_user.scholen.set([first_school])
        User.objects.create(
            organisatie=org,
            username="bestuurder",
            rol=Rol.BEVOEGD_GEZAG,
            bestuur_id=first_school.bestuur_id,
        )
        User.objects.create(organisatie=org, username="loket", rol=Rol.SWV_LOKET)
        deskundige = User.objects.create(organisatie=org, username="deskundige", rol=Rol.DESKUNDIGE)
        granted = Hulpvraag.objects.filter(organisatie=org).order_by("?")[:25]
        Toegang.objects.bulk_create(
            Toegang(organisatie=org, hulpvraag=hv, gebruiker=deskundige) for hv in granted
        )
    # bulk_create stamps every row with the same "laatste datum"; spread them over a year as in
    # real use, so that ordering by it is measured honestly.
    Hulpvraag.objects.filter(organisatie__in=orgs).update(
        laatste_datum=Cast(F("hulpvraagdatum"), DateTimeField())
    )
    print(f"Seeded in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        # Planner statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) would
        # gather them in use.
        cursor.execute("ANALYZE")


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm-up: connection, plan cache, OS page cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hulpvragen", type=int, default=100_000)
    parser.add_argument("--organisaties", type=int, default=10)
    parser.add_argument("--scholen", type=int, default=40, help="schools per organisation")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--plan", action="store_true", help="print plans on SQLite too")
    parser.add_argument("--opnieuw", action="store_true", help="delete the seed and reseed")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    bench_orgs = Organisatie.objects.filter(code__startswith=PREFIX)
    if args.opnieuw and bench_orgs.exists():
        print("Deleting the previous seed ...", flush=True)
        Toegang.objects.filter(organisatie__in=bench_orgs).delete()
        Hulpvraag.objects.filter(organisatie__in=bench_orgs).delete()
        Schoolgegevens.objects.filter(organisatie__in=bench_orgs).delete()
        Leerling.objects.filter(organisatie__in=bench_orgs).delete()
        User.objects.filter(organisatie__in=bench_orgs).delete()
        School.objects.filter(organisatie__in=bench_orgs).delete()
        Bestuur.objects.filter(organisatie__in=bench_orgs).delete()
        Status.objects.filter(proces__organisatie__in=bench_orgs).delete()
        Proces.objects.filter(organisatie__in=bench_orgs).delete()
        bench_orgs.delete()
    if not bench_orgs.exists():
        print(
            f"Seeding {args.hulpvragen} hulpvragen over {args.organisaties} organisations "
            f"x {args.scholen} schools on {connection.vendor} ...",
            flush=True,
        )
        seed(hulpvragen=args.hulpvragen, organisaties=args.organisaties, scholen=args.scholen)

    org = bench_orgs.order_by("code").first()
    total = Hulpvraag.objects.filter(organisatie__in=bench_orgs).count()
    in_org = Hulpvraag.objects.filter(organisatie=org).count()
    print(
        f"\nDatabase: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"{total} hulpvragen in {bench_orgs.count()} organisations, {in_org} in {org.code}; "
        f"median and worst of {args.runs} runs, ms\n"
    )
    print(f"{'role':<15}{'visible':>9}{'page 50':>18}{'count':>18}{'detail':>18}")
    plans = []
    for rol in (Rol.SCHOOL, Rol.BEVOEGD_GEZAG, Rol.SWV_LOKET, Rol.DESKUNDIGE):
        user = User.objects.get(organisatie=org, rol=rol)
        visible = hulpvragen_visible_to(user)
        some_pk = visible.values_list("pk", flat=True).first()
        page = timed(lambda u=user: list(hulpvragen_list_for(user=u)[:50]), args.runs)
        count = timed(lambda v=visible: v.count(), args.runs)
        detail = timed(lambda u=user, pk=some_pk: hulpvraag_get_for(u, pk), args.runs)
        cells = "".join(f"{m:>9.1f} /{w:>6.1f}" for m, w in (page, count, detail))
        print(f"{rol.value:<15}{visible.count():>9}{cells}")
        if connection.vendor == "postgresql":
            plan = hulpvragen_list_for(user=user)[:50].explain(analyze=True, buffers=True)
            plans.append((rol.value, plan))
        elif args.plan:
            plans.append((rol.value, hulpvragen_list_for(user=user)[:50].explain()))
    for rol, plan in plans:
        print(f"\n--- plan of the page query for {rol} ---\n{plan}")


if __name__ == "__main__":
    main()
