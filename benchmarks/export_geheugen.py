"""Peak Python memory and time of a full export of a large SWV.

    .venv/bin/python benchmarks/export_geheugen.py [--hulpvragen 20000] [--bijlagen 200] [--mb 5]

Seeds a throw-away SQLite database (under a temporary KINDKANS_VAR_DIR) with one SWV: 40
schools, N pupils, each with schoolgegevens, a hulpvraag and two status changes, and --bijlagen
files of --mb MB of incompressible bytes in the storage (a scaled-down stand-in for 5 GB: the
export streams every file the same way, so memory does not grow with their number or size; the
time does, linearly). Then runs the real export (overdracht.exporteren.archief_schrijven:
JSON/CSV per entity, schema files, AES-256 7z with the bijlagen) under tracemalloc and prints
the peak of Python's allocations, the time, the archive's size and the row counts. Exits 1 when
the peak passes 200 MB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = tempfile.mkdtemp(prefix="kindkans-bench-")
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "kindkans.settings",
        "DEBUG": "true",
        "KINDKANS_VAR_DIR": VAR,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
)
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from accounts.models import Rol, User  # noqa: E402
from beheer.services_scholen import organisatie_create  # noqa: E402
from bijlagen.models import Bijlage  # noqa: E402
from dossiers.models import Leerling, Schoolgegevens  # noqa: E402
from hulpvragen.models import Hulpvraag, Proces, Statuswijziging  # noqa: E402
from organisaties.models import Bestuur, Organisatie, School, Sector  # noqa: E402
from overdracht.exporteren import archief_schrijven  # noqa: E402

MB = 1024 * 1024
BUDGET = 200 * MB
BATCH = 5000


def seed(*, hulpvragen: int, bijlagen: int, mb: int) -> Organisatie:
    org = organisatie_create(
        door=None,
        organisatie=Organisatie(
            code="VO9901", naam="VO9901 Benchmark", sector=Sector.VO, loket_email="l@bm.example"
        ),
    )
    bestuur = Bestuur.objects.create(organisatie=org, naam="Stichting Benchmark")
    scholen = School.objects.bulk_create(
        School(
            organisatie=org,
            bestuur=bestuur,
            brin=f"{s:02d}BM",
            vestiging="00",
            naam=f"School {s}",
            sector=Sector.VO,
        )
        for s in range(40)
    )
    school_user = User.objects.create(organisatie=org, username="school", rol=Rol.SCHOOL)
    proces = Proces.objects.filter(organisatie=org, actief=True).first()
    statussen = list(proces.statussen.order_by("volgorde"))
    gemaakt = 0
    while gemaakt < hulpvragen:
        n = min(BATCH, hulpvragen - gemaakt)
        with transaction.atomic():
            leerlingen = Leerling.objects.bulk_create(
                Leerling(
                    organisatie=org,
                    voornamen="Kim",
                    roepnaam="Kim",
                    achternaam=f"Leerling {i}",
                    geboortedatum=date(2010, 1, 1) + timedelta(days=i % 2000),
                    geslacht="O",
                )
                for i in range(gemaakt, gemaakt + n)
            )
            sgs = Schoolgegevens.objects.bulk_create(
                Schoolgegevens(
                    organisatie=org,
                    leerling=leerling,
                    school=scholen[i % len(scholen)],
                    leerjaar=1 + i % 6,
                    contactpersoon="Contact",
                    email="contact@school.example",
                    begindatum=date(2024, 8, 26),
                )
                for i, leerling in enumerate(leerlingen)
            )
            hvs = Hulpvraag.objects.bulk_create(
                Hulpvraag(
                    organisatie=org,
                    leerling=leerling,
                    schoolgegevens=sg,
                    type=proces.type,
                    proces=proces,
                    status=statussen[1],
                    hulpvraagdatum=date(2025, 1, 1),
                )
                for leerling, sg in zip(leerlingen, sgs, strict=True)
            )
            Statuswijziging.objects.bulk_create(
                Statuswijziging(
                    organisatie=org,
                    hulpvraag=hv,
                    van=van,
                    naar=naar,
                    door=school_user,
                    toelichting="benchmark",
                )
                for hv in hvs
                for van, naar in ((None, statussen[0]), (statussen[0], statussen[1]))
            )
        gemaakt += n
    blok = os.urandom(MB)
    hvs = list(Hulpvraag.objects.filter(organisatie=org).values_list("pk", flat=True)[:bijlagen])
    rijen = []
    for i, hv_id in enumerate(hvs):
        sleutel = f"bijlagen/bm/{uuid.uuid4().hex}"
        pad = Path(default_storage.path(sleutel))
        pad.parent.mkdir(parents=True, exist_ok=True)
        with open(pad, "wb") as f:
            f.write(b"%PDF-1.4\n")
            for _ in range(mb):
                f.write(blok)
        rijen.append(
            Bijlage(
                organisatie=org,
                hulpvraag_id=hv_id,
                sleutel=sleutel,
                naam=f"Verslag {i}.pdf",
                originele_naam=f"Verslag {i}.pdf",
                grootte=mb * MB + 9,
                content_type="application/pdf",
                soort="pdf",
                sha256="0" * 64,
                upload=uuid.uuid4(),
                geupload_door=school_user,
            )
        )
    Bijlage.objects.bulk_create(rijen)
    return org


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hulpvragen", type=int, default=20_000)
    parser.add_argument("--bijlagen", type=int, default=200)
    parser.add_argument("--mb", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    org = seed(hulpvragen=args.hulpvragen, bijlagen=args.bijlagen, mb=args.mb)
    print(
        f"seeded {args.hulpvragen} hulpvragen, {args.bijlagen} bijlagen of {args.mb} MB "
        f"in {time.perf_counter() - t:.0f} s"
    )
    doel = Path(VAR) / "export.7z"
    tracemalloc.start()
    t = time.perf_counter()
    aantallen = archief_schrijven(organisatie=org, doel=doel, wachtwoord="benchmark wachtzin")
    duur = time.perf_counter() - t
    _nu, piek = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    bijlagen_mb = args.bijlagen * args.mb
    print(
        f"export: {duur:.1f} s, archive {doel.stat().st_size / MB:.0f} MB "
        f"({bijlagen_mb} MB of bijlagen, {bijlagen_mb / duur:.1f} MB/s overall)"
    )
    print(f"peak Python memory (tracemalloc): {piek / MB:.1f} MB (budget {BUDGET // MB} MB)")
    print("rows: " + ", ".join(f"{k} {v}" for k, v in aantallen.items() if v))
    return 0 if piek < BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
