from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from accounts.models import Rol, User
from accounts.rechten import status_partij
from hulpvragen.access import hulpvragen_visible_to
from hulpvragen.guards import GuardContext, guard_acties, guards_missing
from hulpvragen.models import (
    Hulpvraag,
    HulpvraagType,
    LijstVoorkeur,
    Notitie,
    Overgang,
    Proces,
    Status,
    Statuswijziging,
    Toegang,
    Trigger,
    TypePerSector,
)
from organisaties.models import School


def hulpvragen_list_for(*, user: User) -> QuerySet[Hulpvraag]:
    """The rows of the Hulpvragen screen, with what each row shows loaded in one query."""
    return hulpvragen_visible_to(user).select_related(
        "leerling", "schoolgegevens__school", "status", "coordinator"
    )


def open_q(prefix: str = "") -> Q:
    """The condition "open" on a Hulpvraag (`prefix` to reach it through a relation, e.g.
    "schoolgegevens__hulpvragen__"): not (yet) in a final status of its process (the manual's
    FAQ), or in a final status that the process explicitly keeps open for a follow-up
    (`Status.vervolg_toegestaan`: after "FA afgegeven" the school still adds the evaluation, and
    its reminder and status mails still go to the aanvrager). `Status.open` is the same rule for a
    loaded status."""
    return Q(**{f"{prefix}status__eindstatus": False}) | Q(
        **{f"{prefix}status__vervolg_toegestaan": True}
    )


def hulpvragen_open(queryset: QuerySet[Hulpvraag]) -> QuerySet[Hulpvraag]:
    """Open hulpvragen (`open_q`): what a personeelswijziging re-routes and a closed school
    hands on."""
    return queryset.filter(open_q())


def overgang_mogelijk_q() -> Q:
    """Transitions the engine may take: none out of a final status, unless that status is
    explicitly configured for a follow-up (process validation enforces the same rule)."""
    return Q(van__eindstatus=False) | Q(van__vervolg_toegestaan=True)


def actor_for(user: User | None) -> str | None:
    """Which party of a transition a user acts as: the school's ondersteuningscoördinator for the
    school, the loket for the SWV. Other roles take no transitions by hand."""
    if user is None or not user.is_authenticated:
        return None
    # The capability module says who changes a status by hand, and as which party.
    return status_partij(user)


@dataclass
class Keuze:
    """One status the user may choose on "Status wijzigen", with what is still missing for it
    (checked again, under lock, when the user submits)."""

    overgang: Overgang
    naar: Status
    ontbrekend: list[str] = field(default_factory=list)
    # (label, url) where what is missing is made, e.g. the besluit form.
    acties: list[tuple[str, str]] = field(default_factory=list)


def available_transitions(*, hulpvraag: Hulpvraag, user: User) -> list[Keuze]:
    """The statuses this user may choose by hand from the hulpvraag's current status; nothing for
    a user who may not see the hulpvraag (the same rule hulpvraag_change_status applies)."""
    actor = actor_for(user)
    if actor is None or not hulpvragen_visible_to(user).filter(pk=hulpvraag.pk).exists():
        return []
    overgangen = (
        Overgang.objects.filter(
            proces_id=hulpvraag.proces_id,
            van_id=hulpvraag.status_id,
            trigger=Trigger.HANDMATIG,
            door=actor,
        )
        .filter(overgang_mogelijk_q())
        .select_related("naar")
        .order_by("volgorde", "id")
    )
    keuzes = []
    for o in overgangen:
        ctx = GuardContext(hulpvraag=hulpvraag, naar=o.naar, door=user)
        ontbrekend: list[str] = []
        falend: list[str] = []  # the checks that fail: only their pages are offered
        for naam in o.controles:
            mist = guards_missing([naam], ctx)
            if mist:
                falend.append(naam)
                ontbrekend.extend(mist)
        keuzes.append(Keuze(o, o.naar, ontbrekend, guard_acties(falend, hulpvraag)))
    return keuzes


def statuswijzigingen_for(*, hulpvraag: Hulpvraag) -> QuerySet[Statuswijziging]:
    """The Statushistorie, oldest first, with both statuses loaded."""
    return hulpvraag.statuswijzigingen.select_related("van", "naar", "door").order_by("op", "id")


def hulpvraag_types_for_school(*, school: School) -> list[str]:
    """The types a school may choose for a new hulpvraag: configured per organisation and school
    sector, and only where the organisation has an active process for it."""
    configured = TypePerSector.objects.filter(
        organisatie_id=school.organisatie_id, sector=school.sector
    ).values_list("type", flat=True)
    actief = set(
        Proces.objects.filter(
            organisatie_id=school.organisatie_id, actief=True, type__in=list(configured)
        ).values_list("type", flat=True)
    )
    return [t for t in HulpvraagType.values if t in actief]


def lijstvoorkeur_get_for(*, user: User) -> LijstVoorkeur:
    """The user's saved list settings, or unsaved defaults (no write on a plain page view)."""
    return LijstVoorkeur.objects.filter(gebruiker=user).first() or LijstVoorkeur(gebruiker=user)


def hulpvraag_type_choices_for_school(*, school: School) -> list[tuple[str, str]]:
    """The "Titel" choices for a pupil of this school, from the engine's per-organisation
    configuration (type per school sector, limited to active processes)."""
    return [(t, HulpvraagType(t).label) for t in hulpvraag_types_for_school(school=school)]


def notities_for(*, user: User, hulpvraag: Hulpvraag) -> QuerySet[Notitie]:
    """ "Mijn notities": only the notes this user wrote."""
    return Notitie.objects.filter(hulpvraag=hulpvraag, auteur=user)


def toegangen_visible_to(*, user: User, hulpvraag: Hulpvraag) -> QuerySet[Toegang]:
    """The grants of this hulpvraag listed on its Toegang tab. The loket does not see the
    invitations a school made for its own internal overlegronde (issue 9, item 7)."""
    qs = Toegang.objects.filter(hulpvraag=hulpvraag)
    if user.rol != Rol.SCHOOL and user.rol != Rol.BEVOEGD_GEZAG:
        qs = qs.exclude(schoolintern=True)
    return qs
