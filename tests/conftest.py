"""Shared personas. Names say the role: a coordinator of school A, a colleague at school B, a board
member of A's bestuur, the loket, a deskundige, a beheerder, and an outsider at another SWV who even
has the same username as the coordinator."""

from __future__ import annotations

import os
import shutil
import zlib
from dataclasses import dataclass

import pytest
from hypothesis import settings as hypothesis_settings

from accounts.models import Rol
from hulpvragen.models import HulpvraagType
from tests.factories import (
    BestuurFactory,
    OrganisatieFactory,
    SchoolFactory,
    SchoolgegevensFactory,
    UserFactory,
    make_hulpvraag,
    seed_fake_data,
)
from tests.helpers import KLOKKEN_VOORUIT
from tests.libreoffice import soffice

# Wall-clock deadlines make property tests flaky on a loaded 2-core machine; what they prove does
# not depend on speed (benchmarks/ measures that).
hypothesis_settings.register_profile("kindkans", deadline=None)
hypothesis_settings.load_profile("kindkans")

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API runs an event loop in the test thread; the ORM calls that tests make for
# set-up are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _seeded_fake_data_and_real_clock(request):
    """Every test starts from the same fake data, whatever ran before it on its worker: seeded
    from the test's own id, so a failure reproduces with the test alone. A clock that
    tests/helpers.py moved forward (the next TOTP step) is put back afterwards."""
    seed_fake_data(zlib.crc32(request.node.nodeid.split("@")[0].encode()))
    yield
    while KLOKKEN_VOORUIT:
        KLOKKEN_VOORUIT.pop().stop()


@dataclass
class World:
    org: object
    other_org: object
    bestuur_a: object
    school_a: object
    school_b: object
    school_other: object
    coordinator_a: object
    collega_b: object
    bestuurder_a: object
    loket: object
    deskundige: object
    beheerder: object
    outsider: object
    hv_a_voorlopig: object
    hv_a_ingediend: object
    hv_b_ingediend: object
    hv_other_org: object


@pytest.fixture(autouse=True)
def _lege_cache():
    """Every test starts with an empty cache: ids repeat between tests (rolled back), so an entry
    left by one test would describe another test's rows."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db) -> World:
    org = OrganisatieFactory(code="VO2505", naam="VO2505 Apeldoorn")
    other_org = OrganisatieFactory(code="PO2501", naam="PO2501 Voorbeeld")
    bestuur_a = BestuurFactory(organisatie=org, naam="Stichting A")
    bestuur_b = BestuurFactory(organisatie=org, naam="Stichting B")
    school_a = SchoolFactory(organisatie=org, bestuur=bestuur_a, naam="School A")
    school_b = SchoolFactory(organisatie=org, bestuur=bestuur_b, naam="School B")
    school_other = SchoolFactory(organisatie=other_org, naam="School elders")

    coordinator_a = UserFactory(
        organisatie=org, username="piet", rol=Rol.SCHOOL, scholen=[school_a]
    )
    collega_b = UserFactory(
        organisatie=org, username="collega-b", rol=Rol.SCHOOL, scholen=[school_b]
    )
    bestuurder_a = UserFactory(
        organisatie=org, username="bestuurder-a", rol=Rol.BEVOEGD_GEZAG, bestuur=bestuur_a
    )
    loket = UserFactory(organisatie=org, username="loket", rol=Rol.SWV_LOKET, is_staff=True)
    deskundige = UserFactory(
        organisatie=org, username="deskundige", rol=Rol.DESKUNDIGE, functie="orthopedagoog"
    )
    beheerder = UserFactory(organisatie=org, username="beheerder", rol=Rol.BEHEERDER, is_staff=True)
    # Same username as the coordinator, at another SWV: a different account.
    outsider = UserFactory(
        organisatie=other_org, username="piet", rol=Rol.SCHOOL, scholen=[school_other]
    )

    def hv(school, aanvrager, **kwargs):
        sg = SchoolgegevensFactory(school=school, aanvrager=aanvrager, email=aanvrager.email)
        return make_hulpvraag(schoolgegevens=sg, door=aanvrager, **kwargs)

    return World(
        org=org,
        other_org=other_org,
        bestuur_a=bestuur_a,
        school_a=school_a,
        school_b=school_b,
        school_other=school_other,
        coordinator_a=coordinator_a,
        collega_b=collega_b,
        bestuurder_a=bestuurder_a,
        loket=loket,
        deskundige=deskundige,
        beheerder=beheerder,
        outsider=outsider,
        hv_a_voorlopig=hv(school_a, coordinator_a),
        hv_a_ingediend=hv(school_a, coordinator_a, status="TLV aanvraag indienen"),
        hv_b_ingediend=hv(
            school_b, collega_b, type=HulpvraagType.FA, status="FA aanvraag indienen"
        ),
        hv_other_org=hv(school_other, outsider, status="TLV aanvraag indienen"),
    )


@pytest.fixture
def libreoffice() -> str:
    """LibreOffice headless and pdftotext, for a test that reads our .docx the way a user's office
    suite would; skips without them (fails in CI). Requesting it marks the test `libreoffice`."""
    return soffice()


# --- Browser tests: Playwright on Debian's Chromium, never a downloaded browser -----------------


# Fixtures by which a test is recognised as one that starts a real Celery worker process.
WORKER_FIXTURES = {"worker", "workers"}
# Fixtures too costly to make on every xdist worker: their tests share one.
MODULE_SHARED_FIXTURES = {"worker", "built_image"}
POSTGRES_SKIP = "alleen op PostgreSQL: zet TEST_DATABASE_URL"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Marks a developer can select on (`-m "not browser and not libreoffice and not worker"`),
    applied by directory and fixture so a new test cannot forget them; PostgreSQL-only tests
    reported as skipped on SQLite; and the tests that must share one xdist worker grouped."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "tests/browser/" in item.nodeid or fixtures & {"page", "live_server"}:
            item.add_marker(pytest.mark.browser)
        if "libreoffice" in fixtures:
            item.add_marker(pytest.mark.libreoffice)
        if fixtures & WORKER_FIXTURES:
            item.add_marker(pytest.mark.worker)
        if fixtures & MODULE_SHARED_FIXTURES:
            # A module-scoped fixture that is costly to make (a Celery worker process, the built
            # image): keep the module on one xdist worker, or each xdist worker makes its own.
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
        if "postgres" in item.keywords and not os.environ.get("TEST_DATABASE_URL"):
            item.add_marker(pytest.mark.skip(reason=POSTGRES_SKIP))
    if os.path.exists(CHROMIUM) or not any("browser" in item.keywords for item in items):
        return
    reason = f"Chromium ontbreekt ({CHROMIUM}); installeer het Debian-pakket 'chromium'"
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI: browser tests cannot run: {reason}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


def ci_forbidden_skips(skips: list[tuple[str, bool]], *, on_postgres: bool) -> list[str]:
    """The skips CI counts as failures, from (nodeid, has the postgres marker) per skipped test:
    on SQLite only a PostgreSQL-only test may skip (CI runs it in its PostgreSQL pass); on
    PostgreSQL nothing may."""
    return [nodeid for nodeid, alleen_pg in skips if on_postgres or not alleen_pg]


_skipped: list[tuple[str, bool]] = []
_reported: set[str] = set()


def pytest_runtest_logreport(report):
    # Under xdist the controller receives every worker's reports (keywords included), so the
    # rules below see the whole run there.
    _reported.add(report.nodeid)
    if report.skipped:
        _skipped.append((report.nodeid, "postgres" in report.keywords))


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("PYTEST_XDIST_WORKER") or exitstatus != 0:
        return
    # Every collected test ran: pytest 9.2 with pytest-xdist 3.8 once collected 14 tests more
    # than it ran, and said nothing.
    if not session.config.option.collectonly and len(_reported) < session.testscollected:
        print(f"\n{session.testscollected} tests collected, but only {len(_reported)} ran")
        session.exitstatus = 1
    # In CI a skipped test (a service, a tool or a browser that was not there) is a failure.
    if not os.environ.get("CI"):
        return
    verboden = ci_forbidden_skips(_skipped, on_postgres=bool(os.environ.get("TEST_DATABASE_URL")))
    if verboden:
        print(f"\nCI: {len(verboden)} test(s) skipped, which CI counts as failure:")
        for nodeid in verboden:
            print(f"  {nodeid}")
        session.exitstatus = 1


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }
