"""Peak Python memory while a 10 MB bijlage is uploaded through the real view.

    .venv/bin/python benchmarks/bijlage_upload_geheugen.py

Seeds a throw-away SQLite database, logs a school user in, writes a multipart request body of
exactly 10 MB per file to disk and hands it, as a stream, to Django's real WSGI handler
(middleware, CSRF, session, upload handlers, view, content checks, storage). tracemalloc measures
only that call: the request body itself is never in memory on our side. Prints the peak per case
and exits 1 when a case passes the 5 MB budget.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import tracemalloc
import zipfile
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

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bijlagen.models import Bijlage  # noqa: E402

MB = 1024 * 1024
LIMIET = 10 * MB
BUDGET = 5 * MB
BOUNDARY = "----kindkansbenchmark7MA4YWxkTrZu0gW"


def pdf_van(grootte: int, pad: Path) -> None:
    kop = b"%PDF-1.4\n% benchmark\n"
    with pad.open("wb") as uit:
        uit.write(kop)
        rest = grootte - len(kop)
        blok = os.urandom(MB)  # incompressible, like a scan
        while rest > 0:
            uit.write(blok[: min(rest, MB)])
            rest -= min(rest, MB)


def docx_van(grootte: int, pad: Path) -> None:
    """A real DOCX of (almost exactly) `grootte` bytes: an image member, stored."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archief:
        archief.writestr("[Content_Types].xml", "<Types/>")
        archief.writestr("word/document.xml", "<w:document/>")
    overhead = len(buffer.getvalue()) + 200
    with zipfile.ZipFile(pad, "w", zipfile.ZIP_DEFLATED) as archief:
        archief.writestr("[Content_Types].xml", "<Types/>")
        archief.writestr("word/document.xml", "<w:document/>")
        info = zipfile.ZipInfo("word/media/image1.png")
        info.compress_type = zipfile.ZIP_STORED
        with archief.open(info, "w", force_zip64=False) as lid:
            rest = grootte - overhead
            while rest > 0:
                lid.write(os.urandom(min(rest, MB)))
                rest -= min(rest, MB)


def multipart_body(bestand: Path, naam: str, csrf: str, doel: Path) -> int:
    with doel.open("wb") as uit, bestand.open("rb") as bron:
        uit.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{csrf}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="bestanden"; '
            f'filename="{naam}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        while blok := bron.read(MB):
            uit.write(blok)
        uit.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return doel.stat().st_size


def meet(handler, pad: str, body: Path, lengte: int, cookies: str) -> tuple[int, int, float]:
    status = {}

    def start_response(s, headers, exc_info=None):
        status["code"] = int(s.split()[0])

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": pad,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(lengte),
        "HTTP_COOKIE": cookies,
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    with body.open("rb") as invoer:
        environ["wsgi.input"] = invoer
        tracemalloc.start()
        tracemalloc.reset_peak()
        begin = time.perf_counter()
        response = handler(environ, start_response)
        for _ in response:
            pass
        response.close()
        duur = time.perf_counter() - begin
        _current, piek = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return status["code"], piek, duur


def main() -> int:
    call_command("migrate", verbosity=0)
    from tests.factories import (
        OrganisatieFactory,
        SchoolFactory,
        SchoolgegevensFactory,
        UserFactory,
        make_hulpvraag,
    )
    from tests.helpers import login

    org = OrganisatieFactory(code="VO2505", naam="VO2505 Apeldoorn")
    school = SchoolFactory(organisatie=org)
    user = UserFactory(organisatie=org, rol="school", scholen=[school])
    sg = SchoolgegevensFactory(school=school, aanvrager=user, email=user.email)
    hulpvraag = make_hulpvraag(schoolgegevens=sg, door=user)

    client = Client(HTTP_HOST="127.0.0.1")
    login(client, user)
    pad = reverse("bijlagen:lijst", args=[hulpvraag.pk])
    client.get(pad)
    csrf = client.cookies["csrftoken"].value
    cookies = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    handler = WSGIHandler()

    werk = Path(VAR)
    gevallen = [
        ("10 MB PDF (exactly the limit)", "scan.pdf", pdf_van, 302),
        ("10 MB DOCX (zip members read)", "verslag.docx", docx_van, 302),
        ("10 MB + 1 byte PDF (refused)", "te-groot.pdf", lambda n, p: pdf_van(n + 1, p), 400),
    ]
    mislukt = False
    print(f"{'geval':<34} {'status':>6} {'piek (MB)':>10} {'tijd (s)':>9}")
    for label, naam, maak, verwacht in gevallen:
        bestand, body = werk / naam, werk / (naam + ".body")
        maak(LIMIET, bestand)
        lengte = multipart_body(bestand, naam, csrf, body)
        code, piek, duur = meet(handler, pad, body, lengte, cookies)
        ok = code == verwacht and piek <= BUDGET
        mislukt |= not ok
        print(f"{label:<34} {code:>6} {piek / MB:>10.2f} {duur:>9.2f} {'ok' if ok else 'FOUT'}")
    print(
        f"bijlagen opgeslagen: {Bijlage.objects.count()} (verwacht 2); budget {BUDGET / MB:.0f} MB"
    )
    mislukt |= Bijlage.objects.count() != 2
    return 1 if mislukt else 0


if __name__ == "__main__":
    sys.exit(main())
