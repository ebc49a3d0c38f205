"""The API's shapes: what goes out, and the types of what comes in. The business checks of
input are the screens' own forms (dossiers.dossier_forms), run by the views, so a pupil or a
hulpvraag made through the API passes exactly what the wizard would ask."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bijlagen.models import Bijlage, Documentsoort
from dossiers.models import Geslacht, IqTest, Leerling, Schoolgegevens, Toets
from hulpvragen.models import Hulpvraag, HulpvraagType, Statuswijziging

MAX_ID = 2**63 - 1


def IdVeld(**kwargs):  # noqa: N802 (a field factory, used like a field class)
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class SchoolSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    naam = serializers.CharField()
    brin = serializers.CharField()
    vestiging = serializers.CharField(allow_blank=True)
    sector = serializers.CharField()
    typen = serializers.ListField(
        child=serializers.ChoiceField(choices=HulpvraagType.choices),
        help_text=_("De typen hulpvraag die voor deze school worden aangeboden."),
    )


class AdresSerializer(serializers.Serializer):
    straat = serializers.CharField(max_length=200)
    huisnummer = serializers.CharField(max_length=20)
    postcode = serializers.CharField(max_length=7, help_text=_("Als 1234 AB."))
    woonplaats = serializers.CharField(max_length=100)


class SchoolgegevensInSerializer(serializers.Serializer):
    school = IdVeld(help_text=_("Id uit GET /scholen/."))
    leerjaar_groep = serializers.IntegerField(
        min_value=1, max_value=8, help_text=_("PO: groep 1–8; VO: leerjaar 1–6.")
    )
    doublures = serializers.IntegerField(min_value=0, max_value=5, default=0)
    contactpersoon = serializers.CharField(max_length=200)
    email = serializers.EmailField(help_text=_("Meldingen over de status gaan naar dit adres."))
    telefoon = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class SchoolgegevensSerializer(serializers.ModelSerializer):
    class Meta:
        model = Schoolgegevens
        fields = [
            "school",
            "groep",
            "leerjaar",
            "doublures",
            "contactpersoon",
            "email",
            "telefoon",
            "begindatum",
            "einddatum",
        ]


class LeerlingInSerializer(serializers.Serializer):
    voornamen = serializers.CharField(max_length=200)
    roepnaam = serializers.CharField(max_length=100)
    tussenvoegsel = serializers.CharField(max_length=20, required=False, allow_blank=True)
    achternaam = serializers.CharField(max_length=200)
    geboortedatum = serializers.DateField()
    geslacht = serializers.ChoiceField(choices=Geslacht.choices)
    bsn = serializers.CharField(max_length=9, required=False, allow_blank=True)
    onderwijsnummer = serializers.CharField(max_length=9, required=False, allow_blank=True)
    adres = AdresSerializer()
    schoolgegevens = SchoolgegevensInSerializer()
    toch_nieuw = serializers.BooleanField(
        default=False,
        help_text=_(
            "Een leerling met dezelfde achternaam en geboortedatum bestaat al; dit is toch een "
            "andere leerling."
        ),
    )


class LeerlingSerializer(serializers.ModelSerializer):
    schoolgegevens = serializers.SerializerMethodField()

    class Meta:
        model = Leerling
        fields = [
            "id",
            "voornamen",
            "roepnaam",
            "tussenvoegsel",
            "achternaam",
            "geboortedatum",
            "geslacht",
            "bsn",
            "onderwijsnummer",
            "schoolgegevens",
        ]

    @extend_schema_field(SchoolgegevensSerializer(many=True))
    def get_schoolgegevens(self, obj):
        # Only the enrolments at schools the client sees (the view prefetches them so).
        return SchoolgegevensSerializer(getattr(obj, "api_schoolgegevens", []), many=True).data


class StatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    naam = serializers.CharField()
    eindstatus = serializers.BooleanField()
    zichtbaar_voor_swv = serializers.BooleanField(
        help_text=_("Onwaar: een voorlopige aanvraag, het samenwerkingsverband ziet hem nog niet.")
    )


class HulpvraagInSerializer(serializers.Serializer):
    leerling = IdVeld()
    type = serializers.ChoiceField(choices=HulpvraagType.choices)
    omschrijving = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("Zonder namen.")
    )


class HulpvraagSerializer(serializers.ModelSerializer):
    status = StatusSerializer()
    school = serializers.IntegerField(source="schoolgegevens.school_id")

    class Meta:
        model = Hulpvraag
        fields = [
            "id",
            "leerling",
            "school",
            "type",
            "status",
            "hulpvraagdatum",
            "omschrijving",
            "aangemaakt_op",
        ]


class StatuswijzigingSerializer(serializers.ModelSerializer):
    van = serializers.CharField(source="van.naam", allow_null=True, default=None)
    naar = serializers.CharField(source="naar.naam")

    class Meta:
        model = Statuswijziging
        fields = ["id", "op", "van", "naar", "door_naam", "toelichting", "automatisch"]


class OvergangSerializer(serializers.Serializer):
    naar = StatusSerializer()
    toelichting_verplicht = serializers.BooleanField()
    ontbrekend = serializers.ListField(
        child=serializers.CharField(), help_text=_("Wat nog ontbreekt voor deze status.")
    )


class StatusInSerializer(serializers.Serializer):
    naar = IdVeld(help_text=_("Id van de status, uit GET …/overgangen/."))
    toelichting = serializers.CharField(required=False, allow_blank=True, default="")


class BijlageSerializer(serializers.ModelSerializer):
    downloadbaar = serializers.BooleanField()

    class Meta:
        model = Bijlage
        fields = [
            "id",
            "naam",
            "documentsoort",
            "grootte",
            "content_type",
            "sha256",
            "beantwoordt_vragen",
            "geupload_op",
            "ingetrokken_op",
            "scan_status",
            "downloadbaar",
        ]


class BijlageUploadSerializer(serializers.Serializer):
    bestanden = serializers.ListField(child=serializers.FileField(), min_length=1, max_length=20)
    documentsoort = serializers.ChoiceField(
        choices=Documentsoort.choices,
        required=False,
        help_text=_("Soort van alle bestanden; leeg: wat het scherm zou voorstellen."),
    )
    beantwoordt_vragen = serializers.BooleanField(
        default=False, help_text=_("Antwoord op de vragen van het loket.")
    )


class ToetsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Toets
        fields = ["id", "toetsdatum", "domein", "dle", "naam", "ruwe_score"]
        read_only_fields = ["id"]


class IqTestSerializer(serializers.ModelSerializer):
    class Meta:
        model = IqTest
        fields = ["id", "testdatum", "totaal_iq", "verbaal_iq", "performaal_iq", "test", "interval"]
        read_only_fields = ["id"]


class LvsSerializer(serializers.Serializer):
    toetsen = ToetsSerializer(many=True, required=False)
    iq_tests = IqTestSerializer(many=True, required=False)


class VraagSerializer(serializers.Serializer):
    sleutel = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    vooringevuld = serializers.BooleanField(
        help_text=_("Het dossier vult deze vraag zelf in (basisgegevens, school); niet te zetten.")
    )


class FormulierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    hulpvraag = serializers.IntegerField()
    naam = serializers.CharField()
    versie = serializers.IntegerField()
    antwoorden = serializers.DictField(
        help_text=_("De opgeslagen antwoorden (met Opslaan), per vraag; data als JJJJ-MM-DD.")
    )
    concept = serializers.DictField(
        allow_null=True,
        help_text=_("Het concept dat nog niet is opgeslagen (zoals getypt), of null."),
    )
    opgeslagen_op = serializers.DateTimeField(allow_null=True)
    ondertekend = serializers.BooleanField(
        help_text=_("Er is een geldige ondertekening van de opgeslagen antwoorden.")
    )
    vragen = VraagSerializer(many=True)


class VoorafInvullenInSerializer(serializers.Serializer):
    antwoorden = serializers.DictField(
        child=serializers.JSONField(),
        help_text=_(
            "Per vraag (de sleutel uit `vragen`) tekst, of een lijst van tekst bij een keuze met "
            "meerdere antwoorden. Een datum als JJJJ-MM-DD of DD-MM-JJJJ."
        ),
    )


class VoorafInvullenSerializer(serializers.Serializer):
    ingevuld = serializers.ListField(
        child=serializers.CharField(), help_text=_("Vragen die nu in het concept staan.")
    )
    al_beantwoord = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Vragen die de school al had beantwoord: niet gewijzigd."),
    )
    formulier = FormulierSerializer()
