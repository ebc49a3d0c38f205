"""Timings of the TLV renewal queries on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kindkans_tlv \\
        .venv/bin/python benchmarks/tlv_verloopt.py --hulpvragen 40000

Seeds like benchmarks/access_queries.py (reused when present: organisations "BM…"), then gives
--tlv-aandeel of the visible hulpvragen of every organisation a TLV whose einddatum lies between a
year ago and three years ahead (so about a tenth ends within the 16-week signal period), and
measures for the loket of the first organisation what the werkvoorraad view "TLV verloopt" runs
(its count, the first page of 50) and the daily reminder task's candidate query over all
organisations; prints the median and worst of --runs runs in milliseconds and, on PostgreSQL, the
plan of the page query.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from access_queries import PREFIX, seed, timed  # noqa: E402  (sets Django up)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from besluiten.models import Toelaatbaarheidsverklaring  # noqa: E402
from besluiten.selectors import tlv_verloopt_q  # noqa: E402
from hulpvragen.models import Hulpvraag  # noqa: E402
from loket.selectors import werkvoorraad, werkvoorraad_aantallen  # noqa: E402
from organisaties.models import Organisatie  # noqa: E402


def tlvs_vullen(orgs, aandeel: float) -> None:
    if Toelaatbaarheidsverklaring.objects.filter(organisatie__in=orgs).exists():
        return
    rng = random.Random(16)
    vandaag = timezone.localdate()
    rows = []
    hulpvragen = Hulpvraag.objects.filter(organisatie__in=orgs, status__zichtbaar_voor_swv=True)
    for pk, org_id, leerling_id in hulpvragen.values_list("pk", "organisatie_id", "leerling_id"):
        if rng.random() >= aandeel:
            continue
        eind = vandaag + timedelta(days=rng.randint(-365, 3 * 365))
        rows.append(
            Toelaatbaarheidsverklaring(
                organisatie_id=org_id,
                hulpvraag_id=pk,
                leerling_id=leerling_id,
                soort="PRO",
                ingangsdatum=eind - timedelta(days=730),
                einddatum=eind,
                besluitdatum=eind - timedelta(days=760),
            )
        )
    Toelaatbaarheidsverklaring.objects.bulk_create(rows, batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hulpvragen", type=int, default=40_000)
    parser.add_argument("--organisaties", type=int, default=4)
    parser.add_argument("--scholen", type=int, default=40)
    parser.add_argument("--tlv-aandeel", type=float, default=0.3)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    orgs = Organisatie.objects.filter(code__startswith=PREFIX)
    if not orgs.exists():
        seed(hulpvragen=args.hulpvragen, organisaties=args.organisaties, scholen=args.scholen)
    tlvs_vullen(orgs, args.tlv_aandeel)
    org = orgs.order_by("code").first()
    loket = User.objects.get(organisatie=org, username="loket")
    vandaag = timezone.localdate()
    qs = werkvoorraad(user=loket, weergave="tlv_verloopt")
    print(
        f"{Hulpvraag.objects.filter(organisatie__in=orgs).count()} hulpvragen, "
        f"{Toelaatbaarheidsverklaring.objects.filter(organisatie=org).count()} TLVs in {org.code}, "
        f"{qs.count()} in 'TLV verloopt'; {connection.vendor}"
    )
    taak = Toelaatbaarheidsverklaring.objects.filter(
        tlv_verloopt_q(vandaag=vandaag), herinnering_op__isnull=True
    ).values_list("pk", flat=True)
    for naam, fn in (
        ("counts (all views)", lambda: werkvoorraad_aantallen(user=loket)),
        ("paginator count", lambda: qs.count()),
        ("page of 50", lambda: list(qs[:50])),
        ("task candidates", lambda: list(taak.all())),
    ):
        mediaan, slechtst = timed(fn, args.runs)
        print(f"  {naam:20} median {mediaan:7.1f} ms   worst {slechtst:7.1f} ms")
    if connection.vendor == "postgresql":
        for q in (qs[:50], taak):
            sql, params = q.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
