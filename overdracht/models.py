"""An SWV coming on board (schools from DUO's open data, users by invitation) and leaving again
(a full export that another installation imports). This app sits on top of the others: it only
calls their services and selectors (docs/overstappen.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kindkans.models import MetAangemaakt, OrganisatieInstelling


class DuoInlezing(OrganisatieInstelling, MetAangemaakt):
    """One upload of DUO's address file(s): the rows of the chosen SWV, kept until applied so the
    preview and the apply step read the same data. Applying compares again with the schools as
    they are then, so a second run shows only what still differs."""

    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    swv_code = models.CharField(_("code samenwerkingsverband"), max_length=16)
    bestandsnaam = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    # [{"brin", "vestiging", "naam", "plaats", "adres", "sector", "bestuur_nummer",
    #   "bestuur_naam"}], only this SWV's rows.
    scholen = models.JSONField(_("scholen"), default=list)
    # {"nummer": "naam"} from the bevoegde-gezagen file, when uploaded.
    besturen = models.JSONField(_("besturen"), default=dict)
    # [["00AA01", "00BB00"], ...]: from → into, from the transitions file, when uploaded.
    overgangen = models.JSONField(_("overgangen"), default=list)
    rijen_in_bestand = models.PositiveIntegerField(_("rijen in het bestand"), default=0)
    toegepast_op = models.DateTimeField(_("toegepast op"), null=True, blank=True)
    resultaat = models.JSONField(_("resultaat"), default=dict, blank=True)

    class Meta:
        verbose_name = _("DUO-inlezing")
        verbose_name_plural = _("DUO-inlezingen")
        ordering = ["-aangemaakt_op"]

    def __str__(self) -> str:
        return f"{self.swv_code} {self.aangemaakt_op:%d-%m-%Y %H:%M}"


class Uitnodiging(OrganisatieInstelling, MetAangemaakt):
    """The invitation of a new account: a one-time link (only its SHA-256 is stored) to choose a
    password, then the usual enrolment of an authenticator app. Resending makes a new link and
    the old one stops working."""

    gebruiker = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="uitnodiging",
        verbose_name=_("gebruiker"),
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, blank=True, db_index=True)
    verstuurd_op = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    geldig_tot = models.DateTimeField(_("geldig tot"), null=True, blank=True)
    keer_verstuurd = models.PositiveIntegerField(_("keer verstuurd"), default=0)
    aangenomen_op = models.DateTimeField(_("aangenomen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-aangemaakt_op"]

    def __str__(self) -> str:
        return str(self.gebruiker)


class ExportStatus(models.TextChoices):
    WACHTRIJ = "wachtrij", _("in de wachtrij")
    BEZIG = "bezig", _("bezig")
    KLAAR = "klaar", _("klaar om te downloaden")
    GEDOWNLOAD = "gedownload", _("gedownload en verwijderd")
    MISLUKT = "mislukt", _("mislukt")


class Export(OrganisatieInstelling, MetAangemaakt):
    """A full export of an SWV, made in the background (overdracht.tasks.export_maken): one 7z
    archive encrypted with the beheerder's passphrase, downloadable once, then deleted. The
    passphrase is never stored: it travels to the worker encrypted with `sleutel`, a one-time
    key that the worker wipes when it starts."""

    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ExportStatus.choices, default=ExportStatus.WACHTRIJ
    )
    voortgang = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    stap = models.CharField(_("stap"), max_length=200, blank=True)
    sleutel = models.CharField(_("eenmalige sleutel"), max_length=64, blank=True)
    bestand = models.CharField(_("bestand"), max_length=300, blank=True)
    grootte = models.PositiveBigIntegerField(_("grootte (bytes)"), default=0)
    aantallen = models.JSONField(_("aantallen"), default=dict, blank=True)
    klaar_op = models.DateTimeField(_("klaar op"), null=True, blank=True)
    gedownload_op = models.DateTimeField(_("gedownload op"), null=True, blank=True)
    fout = models.TextField(_("fout"), blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-aangemaakt_op"]

    def __str__(self) -> str:
        return f"{self.organisatie} {self.aangemaakt_op:%d-%m-%Y %H:%M}"
