"""Timings of the loket's werkvoorraad on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kindkans_bench \\
        .venv/bin/python benchmarks/werkvoorraad.py --hulpvragen 100000

Seeds like benchmarks/access_queries.py (reused when present: organisations "BM…"), then gives
every seeded hulpvraag its decision clock (loket.Termijn: phase from its status, submitted in the
last 120 days, a tenth paused) and measures, for the loket of the first organisation, what the
werkvoorraad page runs: the counts per view (one aggregate), the paginator count and the first
page of 50 rows with their labels, for the default view and for "Termijn verstreken"; prints the
median and worst of --runs runs in milliseconds and, on PostgreSQL, the plan of the page query.
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
from hulpvragen.models import Hulpvraag  # noqa: E402
from loket.klok import Fase  # noqa: E402
from loket.models import Termijn  # noqa: E402
from loket.selectors import werkvoorraad, werkvoorraad_aantallen  # noqa: E402
from loket.services import status_fasen  # noqa: E402
from organisaties.models import Organisatie  # noqa: E402


def termijnen_vullen(orgs) -> None:
    rng = random.Random(9)
    nu = timezone.now()
    hulpvragen = Hulpvraag.objects.filter(organisatie__in=orgs, termijn__isnull=True)
    fasen = status_fasen(proces_ids=hulpvragen.values_list("proces_id", flat=True).distinct())
    rows = []
    for pk, org_id, status_id in hulpvragen.values_list("pk", "organisatie_id", "status_id"):
        fase = fasen[status_id]
        ingediend = None if fase == Fase.VOORLOPIG else nu - timedelta(days=rng.randint(0, 120))
        pauze = ingediend + timedelta(days=3) if fase == Fase.BIJ_SCHOOL else None
        rows.append(
            Termijn(
                hulpvraag_id=pk,
                organisatie_id=org_id,
                fase=fase,
                ingediend_op=ingediend,
                pauze_sinds=pauze,
                gestopt_op=nu if fase in (Fase.BESLOTEN, Fase.INGETROKKEN) else None,
                deadline=ingediend + timedelta(weeks=8) if ingediend else None,
            )
        )
    Termijn.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hulpvragen", type=int, default=100_000)
    parser.add_argument("--organisaties", type=int, default=10)
    parser.add_argument("--scholen", type=int, default=40)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    orgs = Organisatie.objects.filter(code__startswith=PREFIX)
    if not orgs.exists():
        seed(hulpvragen=args.hulpvragen, organisaties=args.organisaties, scholen=args.scholen)
    termijnen_vullen(orgs)
    org = orgs.order_by("code").first()
    loket = User.objects.get(organisatie=org, username="loket")
    print(
        f"{Hulpvraag.objects.filter(organisatie__in=orgs).count()} hulpvragen, "
        f"{Termijn.objects.filter(organisatie=org).count()} in {org.code}; "
        f"{connection.vendor}"
    )
    for weergave in ("open", "te_laat"):
        qs = werkvoorraad(user=loket, weergave=weergave)
        for naam, fn in (
            ("counts", lambda: werkvoorraad_aantallen(user=loket)),
            ("paginator count", lambda qs=qs: qs.count()),
            ("page of 50", lambda qs=qs: [h.labels.all() for h in qs[:50]]),
        ):
            mediaan, slechtst = timed(fn, args.runs)
            print(f"  {weergave:8} {naam:16} median {mediaan:7.1f} ms   worst {slechtst:7.1f} ms")
    if connection.vendor == "postgresql":
        sql, params = werkvoorraad(user=loket)[:50].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
