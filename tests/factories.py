"""factory-boy factories with Dutch fake data. Every pupil-data row gets its organisation from the
row it belongs to, so a test cannot accidentally cross organisations."""

from __future__ import annotations

import datetime as dt

import factory
import factory.random
from factory.django import DjangoModelFactory
from faker import Faker

from accounts.models import Rol, User
from beheer.services_scholen import organisatie_create
from dossiers.models import Adres, Geslacht, Leerling, Schoolgegevens
from hulpvragen.models import HulpvraagType, Label, Toegang
from hulpvragen.services import hulpvraag_create
from organisaties.models import Bestuur, Organisatie, School, Sector

factory.Faker._DEFAULT_LOCALE = "nl_NL"

TEST_PASSWORD = "Testwachtwoord-123"

_FAKER = Faker("nl_NL")


# The name parts handed out in the current test (emptied per test by `seed_fake_data`): a name
# part is never given twice in one test, so a person's name cannot appear on a page by the accident
# of another person (or pupil) carrying the same name, which made "nothing of the other pupil"
# assertions fail now and then.
_GEBRUIKT: set[str] = set()


def seed_fake_data(seed: int) -> None:
    """Seed Faker and factory_boy's randomness (`_FAKER` and `factory.Faker` share Faker's module
    random) and forget the names handed out, so a test gets the same data every run, on any
    xdist worker, in any order."""
    factory.random.reseed_random(seed)
    _GEBRUIKT.clear()


def _naam(soort: str):
    """A Dutch fake name part, unique within the test, without an apostrophe ("d' Heripon",
    "van 't Hof") and of at least 3 characters: page tests compare names with the HTML, where
    Django escapes the apostrophe, and search for them, which needs 3 characters ("VI" is in
    Faker's list); random ones made them flaky. Escaping of such names is tested on purpose, with
    fixed names. When Faker's list runs out (a test making hundreds of people) a letter suffix
    keeps the name unique."""

    def maak(*_args) -> str:
        for poging in range(200):
            naam = getattr(_FAKER, soort)()
            if poging >= 100:
                naam += chr(ord("a") + poging % 26) * (1 + poging // 26)
            if "'" not in naam and len(naam) >= 3 and naam not in _GEBRUIKT:
                _GEBRUIKT.add(naam)
                return naam
        raise AssertionError(f"no unique {soort} left")

    return factory.LazyFunction(maak)


def _bsn(n: int) -> str:
    """A valid BSN derived from a sequence number."""
    for prefix_n in range(n * 10, n * 10 + 10):
        prefix = f"{prefix_n + 10_000_000:08d}"[:8]
        total = sum(int(d) * w for d, w in zip(prefix, range(9, 1, -1), strict=True))
        if total % 11 < 10:
            return prefix + str(total % 11)
    raise AssertionError("no valid BSN found")


class OrganisatieFactory(DjangoModelFactory):
    class Meta:
        model = Organisatie
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"VO{2600 + n}")
    naam = factory.LazyAttribute(lambda o: f"{o.code} Testregio")
    sector = Sector.VO
    loket_email = factory.LazyAttribute(lambda o: f"loket@{o.code.lower()}.example")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The one way an organisation is made: with its processes and form definitions.
        bestaand = model_class.objects.filter(code=kwargs["code"]).first()
        if bestaand is not None:
            return bestaand
        return organisatie_create(door=None, organisatie=model_class(*args, **kwargs))


class BestuurFactory(DjangoModelFactory):
    class Meta:
        model = Bestuur

    organisatie = factory.SubFactory(OrganisatieFactory)
    naam = factory.Sequence(lambda n: f"Stichting Onderwijs {n}")


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    organisatie = factory.SubFactory(OrganisatieFactory)
    bestuur = factory.SubFactory(BestuurFactory, organisatie=factory.SelfAttribute("..organisatie"))
    brin = factory.Sequence(lambda n: f"{n % 100:02d}{chr(65 + n // 100 % 26)}{chr(65 + n % 26)}")
    vestiging = "00"
    naam = factory.Sequence(lambda n: f"Scholengemeenschap {n}")
    sector = Sector.VO


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    organisatie = factory.SubFactory(OrganisatieFactory)
    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = _naam("first_name")
    last_name = _naam("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@school.example")
    rol = Rol.SCHOOL
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def scholen(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.scholen.set(extracted)
        if create:
            obj.save()


class LeerlingFactory(DjangoModelFactory):
    class Meta:
        model = Leerling

    organisatie = factory.SubFactory(OrganisatieFactory)
    voornamen = _naam("first_name")
    roepnaam = factory.SelfAttribute("voornamen")
    achternaam = _naam("last_name")
    geboortedatum = factory.Faker(
        "date_between", start_date=dt.date(2008, 1, 1), end_date=dt.date(2016, 12, 31)
    )
    geslacht = factory.Iterator([Geslacht.MAN, Geslacht.VROUW])
    bsn = factory.Sequence(_bsn)


class AdresFactory(DjangoModelFactory):
    class Meta:
        model = Adres

    leerling = factory.SubFactory(LeerlingFactory)
    organisatie = factory.SelfAttribute("leerling.organisatie")
    straat = factory.Faker("street_name")
    huisnummer = factory.Faker("building_number")
    postcode = factory.Faker("postcode")
    woonplaats = factory.Faker("city")
    ingangsdatum = factory.Faker(
        "date_between", start_date=dt.date(2015, 1, 1), end_date=dt.date(2025, 1, 1)
    )


class SchoolgegevensFactory(DjangoModelFactory):
    class Meta:
        model = Schoolgegevens

    school = factory.SubFactory(SchoolFactory)
    organisatie = factory.SelfAttribute("school.organisatie")
    leerling = factory.SubFactory(
        LeerlingFactory, organisatie=factory.SelfAttribute("..organisatie")
    )
    leerjaar = 2
    contactpersoon = factory.Faker("name")
    email = factory.Faker("email")
    begindatum = dt.date(2024, 8, 26)


class LabelFactory(DjangoModelFactory):
    class Meta:
        model = Label

    organisatie = factory.SubFactory(OrganisatieFactory)
    naam = factory.Sequence(lambda n: f"Label {n}")


def make_hulpvraag(
    *,
    schoolgegevens=None,
    type=HulpvraagType.TLV_VSO,
    door=None,
    status=None,
    **schoolgegevens_kwargs,
):
    """A hulpvraag through the real service; `status` names a status of its process to move it to
    (test set-up only: the status engine is the one way in application code)."""
    if schoolgegevens is None and type == HulpvraagType.BAG:
        # BAG is offered to basisscholen only (TypePerSector); hulpvraag_create enforces it.
        schoolgegevens_kwargs.setdefault("school__sector", Sector.PO)
        schoolgegevens_kwargs.setdefault("leerjaar", None)
        schoolgegevens_kwargs.setdefault("groep", 8)
    schoolgegevens = schoolgegevens or SchoolgegevensFactory(**schoolgegevens_kwargs)
    hulpvraag = hulpvraag_create(schoolgegevens=schoolgegevens, type=type, door=door)
    if status is not None:
        hulpvraag.status = hulpvraag.proces.statussen.get(naam=status)
        hulpvraag.save(update_fields=["status"])
    return hulpvraag


def grant_toegang(*, hulpvraag, gebruiker, door=None) -> Toegang:
    return Toegang.objects.create(
        organisatie=hulpvraag.organisatie,
        hulpvraag=hulpvraag,
        gebruiker=gebruiker,
        verleend_door=door,
    )


def school_voor_type(type, *, school, gebruiker) -> School:
    """`school` itself, or for BAG (offered to basisscholen only) a basisschool of the same
    bestuur at which `gebruiker` also works: hulpvraag_create refuses a type the school's sector
    is not offered."""
    if type != HulpvraagType.BAG or school.sector == Sector.PO:
        return school
    basisschool = SchoolFactory(
        organisatie=school.organisatie, bestuur=school.bestuur, sector=Sector.PO
    )
    gebruiker.scholen.add(basisschool)
    return basisschool
