"""Server time of the API's hulpvragen list (GET /api/v1/hulpvragen/) on the large PostgreSQL
data set of benchmarks/hulpvragen_screen.py (its seeding is reused: same database, same rows).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kindkans_bench \
        .venv/bin/python benchmarks/api_hulpvragen.py --hulpvragen 1000000

In the largest organisation it registers (once) two API clients through the beheerder's service:
a read-only client of the whole SWV (sees what the loket sees: the most rows) and a school client
of the school with the most hulpvragen. Through Django's full request stack (middleware, token
check, rate limit, access module, keyset pagination, the audit insert) it times per case the
first page, a deep page (after row 50,000 for the SWV client, or half of what the school sees)
and the filter on one pupil, and prints p50 and nearest-rank p95 in ms and the SQL query count.
Exit code 1 unless every case has p95 <= 50 ms (--geen-drempel: report only).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

HIER = Path(__file__).resolve().parent
sys.path.insert(0, str(HIER.parent))

eigen = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
eigen.add_argument("--hulpvragen", type=int, default=100_000)
eigen.add_argument("--herhalingen", type=int, default=50)
eigen.add_argument("--geen-drempel", action="store_true")
args = eigen.parse_args()

# The screen benchmark reads its own arguments at import: give it the data set's size only.
sys.argv = [sys.argv[0], "--hulpvragen", str(args.hulpvragen)]
# Importing it sets up Django on the benchmark database (before any model import below).
scherm = importlib.import_module("benchmarks.hulpvragen_screen")
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import Rol, User  # noqa: E402
from api.models import ApiClient, Scope  # noqa: E402
from api.services import api_client_create, api_token_create  # noqa: E402
from hulpvragen.access import hulpvragen_visible_to  # noqa: E402
from hulpvragen.lijst import _encode as lijst_cursor_maken  # noqa: E402
from hulpvragen.models import Hulpvraag  # noqa: E402
from organisaties.models import School  # noqa: E402

DOEL_P95_MS = 50


def koppeling(beheerder, naam: str, **kwargs) -> tuple[ApiClient, str]:
    client = ApiClient.objects.filter(organisatie_id=beheerder.organisatie_id, naam=naam).first()
    if client is None:
        client = api_client_create(door=beheerder, naam=naam, per_minuut=1_000_000, **kwargs)
    _rij, token = api_token_create(door=beheerder, client=client)
    return client, token


def meet(http: Client, url: str, n: int) -> tuple[float, float, int]:
    for _ in range(3):
        antwoord = http.get(url)
        assert antwoord.status_code == 200, (url, antwoord.status_code, antwoord.content[:300])
    queries: list[str] = []
    with connection.execute_wrapper(lambda ex, sql, *a: queries.append(sql) or ex(sql, *a)):
        http.get(url)
    tijden = []
    for _ in range(n):
        t = time.perf_counter()
        http.get(url)
        tijden.append((time.perf_counter() - t) * 1000)
    tijden.sort()
    return tijden[len(tijden) // 2], tijden[-(-95 * len(tijden) // 100) - 1], len(queries)


def main() -> int:
    scherm.call_command("migrate", verbosity=0)
    if not scherm.seeded():
        print(f"Zaaien: {args.hulpvragen:,} hulpvragen (benchmarks/hulpvragen_screen.py)")
        scherm.seed()
    org_id = (
        Hulpvraag.objects.values("organisatie_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("organisatie_id", flat=True)[0]
    )
    beheerder = User.objects.filter(organisatie_id=org_id, rol=Rol.BEHEERDER).first()
    if beheerder is None:
        beheerder = User.objects.create(
            organisatie_id=org_id, username="bench-beheerder", rol=Rol.BEHEERDER
        )
    school_id = (
        Hulpvraag.objects.filter(organisatie_id=org_id)
        .values("schoolgegevens__school_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("schoolgegevens__school_id", flat=True)[0]
    )
    swv, swv_token = koppeling(beheerder, "bench SWV-breed", scope=Scope.LEZEN, swv_breed=True)
    school, school_token = koppeling(
        beheerder,
        "bench school",
        scope=Scope.LEZEN,
        scholen=list(School.objects.filter(pk=school_id)),
    )
    cache.clear()
    print(
        f"\n{Hulpvraag.objects.count():,} hulpvragen; organisatie {org_id}: "
        f"{Hulpvraag.objects.filter(organisatie_id=org_id).count():,}. "
        f"{args.herhalingen} metingen per geval. "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    header = f"{'koppeling':<12}{'geval':<34}{'zichtbaar':>10}{'p50':>8}{'p95':>8}{'SQL':>5}"
    print(header)
    print("-" * len(header))
    fouten = []
    for naam, client, token in (("SWV-breed", swv, swv_token), ("school", school, school_token)):
        http = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        zichtbaar = hulpvragen_visible_to(client.gebruiker).order_by("-laatste_datum", "-pk")
        aantal = zichtbaar.count()
        diep = min(50_000, aantal // 2)
        cursor = lijst_cursor_maken(*zichtbaar.values_list("laatste_datum", "pk")[diep - 1])

        leerling = zichtbaar.values_list("leerling_id", flat=True).first()
        gevallen = [
            ("pagina 1 (50 rijen)", "/api/v1/hulpvragen/"),
            (
                f"diepe pagina (na rij {diep:,})",
                f"/api/v1/hulpvragen/?na={cursor}",
            ),
            ("pagina 1, 200 rijen", "/api/v1/hulpvragen/?aantal=200"),
            ("één leerling", f"/api/v1/hulpvragen/?leerling={leerling}"),
        ]
        for geval, url in gevallen:
            p50, p95, sql = meet(http, url, args.herhalingen)
            print(f"{naam:<12}{geval:<34}{aantal:>10,}{p50:>8.1f}{p95:>8.1f}{sql:>5}")
            if p95 > DOEL_P95_MS:
                fouten.append(f"{naam} {geval}: p95 {p95:.0f} ms > {DOEL_P95_MS} ms")
    for fout in fouten:
        print("NIET GEHAALD:", fout)
    return 1 if fouten and not args.geen_drempel else 0


if __name__ == "__main__":
    sys.exit(main())
