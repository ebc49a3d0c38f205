"""The one place that decides which pupil data a user may see.

Every list, detail, download, export and search of dossiers and hulpvragen starts from these
querysets. Anything outside them answers 404 (never 403: a user must not learn that a pupil exists
elsewhere). Rules (docs/architecture.md, "Access"):

- only the user's own organisation, always;
- school: hulpvragen whose Schoolgegevens point at one of the user's schools;
- bevoegd gezag: hulpvragen of the schools of the user's bestuur;
- SWV loket: every hulpvraag whose current status is visible to the SWV;
- deskundige and genodigde (an invited outsider): only hulpvragen granted on the Toegang tab,
  until the grant is revoked or its end date (geldig_tot) has passed;
- beheerder and platform admin: no pupil data through these screens (the beheerder's
  kengetallen count the loket's set without showing a row: hulpvragen_geteld_voor).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Rol, User
from dossiers.models import Leerling, Schoolgegevens
from hulpvragen.models import Hulpvraag, Toegang


def toegang_geldig() -> Q:
    """A grant that works now: not revoked and not past its end date (inclusive, local date).
    Evaluated on every query, so an expired grant stops working at once."""
    return Q(ingetrokken_op__isnull=True) & (
        Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=timezone.localdate())
    )


def _hulpvraag_rule(user: User) -> Q | None:
    """The role's filter on Hulpvraag, or None when the role sees no pupil data at all."""
    if not user.is_authenticated or not user.is_active or user.organisatie_id is None:
        return None
    own = Q(organisatie_id=user.organisatie_id)
    match user.rol:
        case Rol.SCHOOL:
            return own & Q(schoolgegevens__school__in=user.scholen.all())
        case Rol.BEVOEGD_GEZAG:
            if user.bestuur_id is None:
                return None
            return own & Q(schoolgegevens__school__bestuur_id=user.bestuur_id)
        case Rol.SWV_LOKET:
            return own & Q(status__zichtbaar_voor_swv=True)
        case Rol.DESKUNDIGE | Rol.GENODIGDE:
            granted = Toegang.objects.filter(
                toegang_geldig(), hulpvraag=OuterRef("pk"), gebruiker=user
            )
            return own & Q(Exists(granted))
    return None


def hulpvragen_visible_to(user: User) -> QuerySet[Hulpvraag]:
    rule = _hulpvraag_rule(user)
    if rule is None:
        return Hulpvraag.objects.none()
    return Hulpvraag.objects.filter(rule)


def hulpvragen_geteld_voor(user: User) -> QuerySet[Hulpvraag]:
    """The hulpvragen an SWV's aggregate reports (kengetallen) count: exactly the set its loket
    sees. For the loket that is hulpvragen_visible_to. The beheerder, who may see no pupil data,
    gets the same set for counting only: callers aggregate it (counts per type, status, school,
    days) and never show or export a row, a name or a dossier number of it. Every other role:
    nothing."""
    if not user.is_authenticated or not user.is_active or user.organisatie_id is None:
        return Hulpvraag.objects.none()
    if user.rol == Rol.SWV_LOKET:
        return hulpvragen_visible_to(user)
    if user.rol == Rol.BEHEERDER:
        return Hulpvraag.objects.filter(
            organisatie_id=user.organisatie_id, status__zichtbaar_voor_swv=True
        )
    return Hulpvraag.objects.none()


def hulpvragen_beheer_feiten_voor(user: User) -> QuerySet[Hulpvraag]:
    """Every hulpvraag of the organisation, for the SWV's beheer actions on the routing of mail
    (personeelswijziging): the loket and the beheerder may list their administrative facts only
    — dossiernummer, type, status, the current aanvrager on the Schoolgegevens — never the
    pupil's name or any content; for a name, callers check hulpvragen_visible_to. Every other
    role: nothing."""
    if (
        not user.is_authenticated
        or not user.is_active
        or user.organisatie_id is None
        or user.rol not in (Rol.SWV_LOKET, Rol.BEHEERDER)
    ):
        return Hulpvraag.objects.none()
    return Hulpvraag.objects.filter(organisatie_id=user.organisatie_id)


def leerlingen_visible_to(user: User) -> QuerySet[Leerling]:
    """Dossiers the user may open. A school also sees the dossiers of pupils enrolled at its
    schools that have no hulpvraag yet (the wizard's pupil, the search before
    "Dossier toevoegen")."""
    if not user.is_authenticated or not user.is_active or user.organisatie_id is None:
        return Leerling.objects.none()
    condition = Q(Exists(hulpvragen_visible_to(user).filter(leerling=OuterRef("pk"))))
    enrolled = Schoolgegevens.objects.filter(leerling=OuterRef("pk"))
    if user.rol == Rol.SCHOOL:
        condition |= Q(Exists(enrolled.filter(school__in=user.scholen.all())))
    elif user.rol == Rol.BEVOEGD_GEZAG and user.bestuur_id is not None:
        condition |= Q(Exists(enrolled.filter(school__bestuur_id=user.bestuur_id)))
    return Leerling.objects.filter(condition, organisatie_id=user.organisatie_id)


def hulpvraag_get_for(user: User, pk: int | str) -> Hulpvraag:
    """The hulpvraag with this id if the user may see it; otherwise 404, whatever the reason."""
    try:
        return (
            hulpvragen_visible_to(user)
            .select_related("leerling", "schoolgegevens__school", "status", "coordinator")
            .get(pk=int(pk))
        )
    except (Hulpvraag.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def leerling_get_for(user: User, pk: int | str) -> Leerling:
    try:
        return leerlingen_visible_to(user).get(pk=int(pk))
    except (Leerling.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def has_pupil_access(user: User) -> bool:
    """Whether the user's role sees any pupil data at all (screens and admin hide pupil-data
    sections from roles that do not, such as beheerder and platform admin)."""
    return _hulpvraag_rule(user) is not None


# --- AVG inzage (art. 15) ------------------------------------------------------------------------


def _inzage_toegestaan(user: User) -> bool:
    """Only the beheerder (the SWV's privacy role) of an organisation answers a request for
    inzage; no other screen gives the beheerder pupil data."""
    return (
        user.is_authenticated
        and user.is_active
        and user.organisatie_id is not None
        and user.rol == Rol.BEHEERDER
    )


def leerlingen_for_inzage(user: User, *, bsn: str = "", dossier: int | None = None):
    """Find the pupil of an inzage request by exact BSN or dossier number, within the beheerder's
    own organisation (never a name search: the beheerder must not browse pupils)."""
    if not _inzage_toegestaan(user) or not (bsn or dossier):
        return Leerling.objects.none()
    qs = Leerling.objects.filter(organisatie_id=user.organisatie_id)  # type: ignore[misc]
    if bsn:
        qs = qs.filter(bsn=bsn)
    if dossier:
        qs = qs.filter(pk=dossier)
    return qs


def leerling_get_for_inzage(user: User, pk: int | str) -> Leerling:
    if not _inzage_toegestaan(user):
        raise Http404
    try:
        return Leerling.objects.get(pk=int(pk), organisatie_id=user.organisatie_id)  # type: ignore[misc]
    except (Leerling.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
