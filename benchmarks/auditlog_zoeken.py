"""Timing of the audit-log search on a large audit_inzage table (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/beheer_bench \\
        .venv/bin/python benchmarks/auditlog_zoeken.py --rijen 1000000

Run benchmarks/beheer_bulk.py first (it creates the organisation and users). Inserts --rijen
access records with generate_series (spread over 20,000 pupils, the organisation's users and the
last two years), then times the first page and a next page of auditlog_zoeken by pupil, by user
and by period (median of 5 runs), and prints the query plan of the pupil search.
"""

from __future__ import annotations

import argparse
import os
import statistics
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

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Rol, User  # noqa: E402
from audit.models import Inzage  # noqa: E402
from beheer.auditlog import auditlog_zoeken  # noqa: E402


def ms(fn) -> float:
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rijen", type=int, default=1_000_000)
    n = parser.parse_args().rijen
    beheerder = User.objects.filter(rol=Rol.BEHEERDER, organisatie__code__startswith="BB").latest(
        "pk"
    )
    org = beheerder.organisatie_id
    users = list(User.objects.filter(organisatie_id=org).values_list("pk", flat=True))
    bestaand = Inzage.objects.filter(organisatie_id=org).count()
    if bestaand < n:
        start = time.perf_counter()
        with connection.cursor() as c:
            c.execute(
                f"""INSERT INTO {Inzage._meta.db_table}
                (organisatie_id, gebruiker_id, actie, onderdeel, leerling_id, hulpvraag_id,
                 details, op)
                SELECT %s, (ARRAY{users})[1 + (i %% {len(users)})], 'bekeken', 'hulpvraag',
                       1 + (i %% 20000), NULL, '', now() - (i %% 730) * interval '1 day'
                       - (i %% 86400) * interval '1 second'
                FROM generate_series(1, %s) AS i""",
                [org, n - bestaand],
            )
            c.execute(f"ANALYZE {Inzage._meta.db_table}")
        print(f"inserted {n - bestaand} rows in {time.perf_counter() - start:.1f} s")
    print(f"{Inzage.objects.filter(organisatie_id=org).count()} access records in the organisation")
    loket = User.objects.get(pk=users[0])
    vandaag = timezone.localdate()
    cases = {
        "by pupil": {"leerling_id": 4242},
        "by user": {"gebruiker": loket},
        "by period (1 week)": {"van": vandaag - timedelta(days=7), "tot": vandaag},
        "by user + period": {
            "gebruiker": loket,
            "van": vandaag - timedelta(days=30),
            "tot": vandaag,
        },
    }
    for naam, kwargs in cases.items():
        eerste, cursor = auditlog_zoeken(user=beheerder, **kwargs)
        t1 = ms(lambda kwargs=kwargs: auditlog_zoeken(user=beheerder, **kwargs))
        t2 = ms(
            lambda kwargs=kwargs, cursor=cursor: auditlog_zoeken(
                user=beheerder, cursor=cursor, **kwargs
            )
        )
        print(f"{naam:<22} first page {t1:7.1f} ms, next page {t2:7.1f} ms ({len(eerste)} rows)")
    qs = Inzage.objects.filter(organisatie_id=org, leerling_id=4242).order_by("-op", "-id")[:51]
    with connection.cursor() as c:
        c.execute("EXPLAIN ANALYZE " + str(qs.query).replace("= bekeken", "= 'bekeken'"))
        print("\n".join(r[0] for r in c.fetchall()[:8]))


if __name__ == "__main__":
    main()
