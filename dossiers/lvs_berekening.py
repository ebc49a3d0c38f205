"""The PrO advice computed from LVS data (dossiers.lvs holds its input, settings and result):
didactische leeftijd, leerachterstand per domain, the landelijke criteria, and the reasons in
plain Dutch.

Pure code: no database, no request. Thresholds are compared on exact fractions
(fractions.Fraction), never on the rounded percentage shown: 49.996 % is shown as 50,00 % but is
not "50 % or more"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dossiers.lvs import (
    DOMEINEN,
    KERNDOMEINEN,
    MAANDEN,
    STANDAARD_INSTELLINGEN,
    ProAdvies,
    ProInstellingen,
    ProInvoer,
    ProInvoerFout,
    dle_fout,
    domein_naam,
    iq_fout,
)


def _check_schoolgegevens(groep: int | None, vo_leerjaar: int | None, doublures: int) -> dict:
    fouten: dict[str, list[str]] = {}
    if groep is None and vo_leerjaar is None:
        fouten["groep"] = [
            _(
                "Vul in de schoolgegevens de groep (basisschool) of het leerjaar (voortgezet "
                "onderwijs) in; zonder kan de didactische leeftijd niet worden berekend."
            )
        ]
    elif groep is not None and vo_leerjaar is not None:
        fouten["groep"] = [_("Vul de groep óf het leerjaar in, niet allebei.")]
    elif groep is not None and not 3 <= groep <= 8:
        fouten["groep"] = [
            _(
                "De didactische leeftijd wordt berekend vanaf groep 3; groep %(groep)s kan "
                "niet (groep 3 tot en met 8, of een leerjaar in het voortgezet onderwijs)."
            )
            % {"groep": groep}
        ]
    elif vo_leerjaar is not None and not 1 <= vo_leerjaar <= 6:
        fouten["vo_leerjaar"] = [
            _("Leerjaar %(leerjaar)s bestaat niet: vul 1 tot en met 6 in.")
            % {"leerjaar": vo_leerjaar}
        ]
    if doublures < 0:
        fouten["doublures"] = [_("Het aantal doublures kan niet negatief zijn.")]
    return fouten


def bereken_dl(
    *,
    groep: int | None,
    vo_leerjaar: int | None,
    doublures: int,
    toetsdatum: date,
    instellingen: ProInstellingen = STANDAARD_INSTELLINGEN,
) -> int:
    """Didactische leeftijd in months: (groep − 3)·10 + 10 per doublure from groep 3 on + the
    toetsdatum's month value, capped (60). A VO pupil has the cap: all of PO is behind them."""
    fouten = _check_schoolgegevens(groep, vo_leerjaar, doublures)
    if fouten:
        raise ProInvoerFout(fouten)
    if groep is None:
        return instellingen.dl_max
    dl = (groep - 3) * 10 + 10 * doublures + instellingen.maandwaarden[toetsdatum.month - 1]
    return min(dl, instellingen.dl_max)


def leerachterstand_exact(*, dl: int, dle: int | Decimal | Fraction) -> Fraction:
    """(DL − DLE) / DL as a fraction in 0..1; a DLE at or above the DL is no achterstand."""
    if dl <= 0:
        raise ProInvoerFout(
            {"toetsdatum": [_("De didactische leeftijd is 0: controleer de maandtabel.")]}
        )
    fout = dle_fout(dle)
    if fout:
        raise ProInvoerFout({"dle": [fout]})
    dle_f = Fraction(str(dle)) if isinstance(dle, Decimal) else Fraction(dle)
    return max(Fraction(0), (dl - dle_f) / dl)


def als_percentage(fractie: Fraction) -> Decimal:
    """A fraction as a percentage with two decimals, halves rounded up (exact, no floats)."""
    honderdsten = fractie * 10_000
    afgerond = (2 * honderdsten.numerator + honderdsten.denominator) // (
        2 * honderdsten.denominator
    )
    return Decimal(afgerond).scaleb(-2)


def procent(waarde: Decimal) -> str:
    """Dutch notation: 54,55 %."""
    return f"{waarde:.2f} %".replace(".", ",")


def _grens(waarde: Decimal) -> str:
    """A threshold as written in a sentence: 50 % rather than 50,00 %."""
    d = waarde.normalize()
    tekst = f"{d:f}".replace(".", ",")
    return f"{tekst} %"


def _opsomming(delen: list[str]) -> str:
    if len(delen) <= 1:
        return "".join(delen)
    return _("%(eerste)s en %(laatste)s") % {"eerste": ", ".join(delen[:-1]), "laatste": delen[-1]}


def _frac(percentage: Decimal) -> Fraction:
    return Fraction(str(percentage)) / 100


def bereken_pro_advies(invoer: ProInvoer, instellingen: ProInstellingen | None = None) -> ProAdvies:
    """The computed advice with its reasons in plain Dutch. Raises ProInvoerFout on bad input."""
    inst = _instellingen(instellingen)
    fouten = _check_schoolgegevens(invoer.groep, invoer.vo_leerjaar, invoer.doublures)
    for code, dle in invoer.dle.items():
        if code not in DOMEINEN:
            fouten.setdefault("dle", []).append(
                _("Onbekend domein %(code)s: gebruik BL, IR, TL of SP.") % {"code": code}
            )
        elif dle is None:
            continue
        elif fout := dle_fout(dle):
            fouten.setdefault("dle", []).append(
                f"{domein_naam(code).capitalize()}: {fout[0].lower()}{fout[1:]}"
            )
    if invoer.iq is not None and (fout := iq_fout(invoer.iq)):
        fouten["iq"] = [fout]
    if fouten:
        raise ProInvoerFout(fouten)

    def dl_op(datum: date) -> int:
        return bereken_dl(
            groep=invoer.groep,
            vo_leerjaar=invoer.vo_leerjaar,
            doublures=invoer.doublures,
            toetsdatum=datum,
            instellingen=inst,
        )

    dl = dl_op(invoer.toetsdatum)
    getoetst = [c for c in DOMEINEN if invoer.dle.get(c) is not None]
    dl_per_domein = {
        c: dl_op(invoer.toetsdatum_per_domein.get(c, invoer.toetsdatum)) for c in getoetst
    }
    exact = {c: leerachterstand_exact(dl=dl_per_domein[c], dle=invoer.dle[c]) for c in getoetst}
    getoond = {c: als_percentage(f) for c, f in exact.items()}

    pro_grens = _frac(inst.pro_la_min)
    lwoo_grens = _frac(inst.lwoo_la_min)
    met_achterstand = [c for c in getoetst if exact[c] >= pro_grens]
    la_voldoet = len(met_achterstand) >= inst.min_domeinen and bool(
        KERNDOMEINEN & set(met_achterstand)
    )
    iq = invoer.iq
    iq_binnen = iq is not None and inst.pro_iq_min <= iq <= inst.pro_iq_max
    praktijkonderwijs = iq_binnen and la_voldoet

    lwoo_domeinen = [c for c in getoetst if lwoo_grens <= exact[c] < pro_grens]
    lwoo_la = len(lwoo_domeinen) >= inst.min_domeinen and bool(KERNDOMEINEN & set(lwoo_domeinen))
    lwoo_iq = iq is not None and (
        inst.lwoo_iq_min <= iq <= inst.lwoo_iq_max
        or (
            inst.lwoo_iq_max < iq <= inst.lwoo_sep_iq_max and invoer.sociaal_emotionele_problematiek
        )
    )
    lwoo_profiel = lwoo_la and lwoo_iq

    redenen = [_dl_reden(invoer, dl, dl_per_domein, inst)]
    redenen.append(_iq_reden(iq, iq_binnen, inst))
    redenen.extend(_la_redenen(getoetst, getoond, exact, met_achterstand, la_voldoet, inst))
    if praktijkonderwijs:
        redenen.append(
            _(
                "Berekend advies: praktijkonderwijs, want aan beide criteria (IQ en "
                "leerachterstand) is voldaan."
            )
        )
    else:
        redenen.append(
            _("Berekend advies: geen praktijkonderwijs, want %(welke)s.")
            % {"welke": _welke_niet(iq_binnen, la_voldoet)}
        )
    redenen.append(_lwoo_reden(lwoo_profiel, iq, lwoo_domeinen, getoond, inst))

    return ProAdvies(
        dl=dl,
        dl_per_domein=dl_per_domein,
        leerachterstand=getoond,
        leerachterstand_exact=exact,
        domeinen_met_achterstand=met_achterstand,
        iq_binnen_grenzen=iq_binnen,
        praktijkonderwijs=praktijkonderwijs,
        lwoo_profiel=lwoo_profiel,
        redenen=redenen,
    )


def _instellingen(instellingen) -> ProInstellingen:
    if instellingen is None:
        return STANDAARD_INSTELLINGEN
    # The organisation's settings row (dossiers.models.LvsInstellingen) may be passed as is.
    if hasattr(instellingen, "als_pro_instellingen"):
        return instellingen.als_pro_instellingen()
    return instellingen


def _welke_niet(iq_binnen: bool, la_voldoet: bool) -> str:
    if not iq_binnen and not la_voldoet:
        return _("aan het IQ-criterium noch aan het criterium leerachterstand is voldaan")
    if not iq_binnen:
        return _("aan het IQ-criterium is niet voldaan")
    return _("aan het criterium leerachterstand is niet voldaan")


def _dl_reden(invoer: ProInvoer, dl: int, dl_per_domein: dict, inst: ProInstellingen) -> str:
    if invoer.groep is None:
        return _(
            "De didactische leeftijd (DL) is %(dl)s maanden: een leerling in het voortgezet "
            "onderwijs (leerjaar %(leerjaar)s) heeft de volledige DL van de basisschool."
        ) % {"dl": dl, "leerjaar": invoer.vo_leerjaar}
    maand = invoer.toetsdatum.month
    zin = _(
        "De didactische leeftijd (DL) op %(datum)s is %(dl)s maanden: groep %(groep)s, "
        "%(doublures)s vanaf groep 3 en toetsmaand %(maand)s (%(waarde)s)."
    ) % {
        "datum": invoer.toetsdatum.strftime("%d-%m-%Y"),
        "dl": dl,
        "groep": invoer.groep,
        "doublures": (
            _("geen doublures")
            if invoer.doublures == 0
            else ngettext("%(n)s doublure", "%(n)s doublures", invoer.doublures)
            % {"n": invoer.doublures}
        ),
        "maand": MAANDEN[maand - 1],
        "waarde": inst.maandwaarden[maand - 1],
    }
    onbegrensd = (invoer.groep - 3) * 10 + 10 * invoer.doublures + inst.maandwaarden[maand - 1]
    if onbegrensd > inst.dl_max:
        zin += " " + _("Berekend %(berekend)s, maar de DL is ten hoogste %(max)s.") % {
            "berekend": onbegrensd,
            "max": inst.dl_max,
        }
    afwijkend = [f"{domein_naam(c)} {d}" for c, d in dl_per_domein.items() if d != dl]
    if afwijkend:
        zin += " " + _("Met een andere toetsdatum: %(lijst)s maanden.") % {
            "lijst": _opsomming(afwijkend)
        }
    return zin


def _iq_reden(iq: int | None, iq_binnen: bool, inst: ProInstellingen) -> str:
    grenzen = {"iq": iq, "min": inst.pro_iq_min, "max": inst.pro_iq_max}
    if iq is None:
        return (
            _(
                "Er is geen totaal IQ bekend; voor praktijkonderwijs moet het tussen %(min)s en "
                "%(max)s (inclusief) liggen."
            )
            % grenzen
        )
    if iq_binnen:
        return (
            _(
                "Het totaal IQ is %(iq)s: dat ligt tussen %(min)s en %(max)s (inclusief), zoals "
                "voor praktijkonderwijs nodig is."
            )
            % grenzen
        )
    if iq > inst.pro_iq_max:
        return (
            _(
                "Het totaal IQ is %(iq)s: dat is hoger dan %(max)s, de bovengrens voor "
                "praktijkonderwijs (%(min)s tot en met %(max)s)."
            )
            % grenzen
        )
    return (
        _(
            "Het totaal IQ is %(iq)s: dat is lager dan %(min)s, de ondergrens voor "
            "praktijkonderwijs (%(min)s tot en met %(max)s)."
        )
        % grenzen
    )


def _la_redenen(getoetst, getoond, exact, met_achterstand, la_voldoet, inst) -> list[str]:
    grens = _grens(inst.pro_la_min)
    redenen = []
    if getoetst:
        redenen.append(
            _("Leerachterstand per domein: %(lijst)s.")
            % {"lijst": _opsomming([f"{domein_naam(c)} {procent(getoond[c])}" for c in getoetst])}
        )
    ontbreekt = [domein_naam(c) for c in DOMEINEN if c not in getoetst]
    if ontbreekt:
        redenen.append(
            _("Niet ingevuld, telt dus niet mee: %(lijst)s.") % {"lijst": _opsomming(ontbreekt)}
        )
    grens_f = _frac(inst.pro_la_min)
    net_niet = [c for c in getoetst if exact[c] < grens_f and getoond[c] >= inst.pro_la_min]
    for c in net_niet:
        redenen.append(
            _(
                "De leerachterstand %(domein)s is afgerond %(la)s, maar exact net minder dan "
                "%(grens)s; dat telt niet als %(grens)s of meer."
            )
            % {"domein": domein_naam(c), "la": procent(getoond[c]), "grens": grens}
        )
    namen = _opsomming([f"{domein_naam(c)} ({procent(getoond[c])})" for c in met_achterstand])
    kern = _("begrijpend lezen of inzichtelijk rekenen")
    waarden = {
        "grens": grens,
        "aantal": len(met_achterstand),
        "nodig": inst.min_domeinen,
        "namen": namen,
        "kern": kern,
    }
    if la_voldoet:
        redenen.append(
            _(
                "Een leerachterstand van %(grens)s of meer in %(aantal)s domeinen: %(namen)s; "
                "nodig zijn ten minste %(nodig)s domeinen, waarvan ten minste één %(kern)s. "
                "Aan het criterium leerachterstand is voldaan."
            )
            % waarden
        )
    elif not met_achterstand:
        redenen.append(
            _(
                "In geen enkel domein is de leerachterstand %(grens)s of meer; nodig zijn ten "
                "minste %(nodig)s domeinen, waarvan ten minste één %(kern)s. Aan het criterium "
                "leerachterstand is niet voldaan."
            )
            % waarden
        )
    elif len(met_achterstand) < inst.min_domeinen:
        redenen.append(
            ngettext(
                "Een leerachterstand van %(grens)s of meer in %(aantal)s domein: %(namen)s; "
                "nodig zijn ten minste %(nodig)s domeinen, waarvan ten minste één %(kern)s. "
                "Aan het criterium leerachterstand is niet voldaan.",
                "Een leerachterstand van %(grens)s of meer in %(aantal)s domeinen: %(namen)s; "
                "nodig zijn ten minste %(nodig)s domeinen, waarvan ten minste één %(kern)s. "
                "Aan het criterium leerachterstand is niet voldaan.",
                len(met_achterstand),
            )
            % waarden
        )
    else:
        redenen.append(
            _(
                "Een leerachterstand van %(grens)s of meer in %(namen)s, maar niet in %(kern)s; "
                "ten minste één van die twee is nodig. Aan het criterium leerachterstand is niet "
                "voldaan."
            )
            % waarden
        )
    return redenen


def _lwoo_reden(
    lwoo_profiel: bool,
    iq: int | None,
    lwoo_domeinen: list[str],
    getoond: dict[str, Decimal],
    inst: ProInstellingen,
) -> str:
    waarden = {
        "min": _grens(inst.lwoo_la_min),
        "max": _grens(inst.pro_la_min),
        "iq_min": inst.lwoo_iq_min,
        "iq_max": inst.lwoo_iq_max,
        "sep_max": inst.lwoo_sep_iq_max,
        "sep_min": inst.lwoo_iq_max + 1,
        "nodig": inst.min_domeinen,
    }
    profiel = (
        _(
            "IQ %(iq_min)s tot en met %(iq_max)s, of IQ %(sep_min)s tot en met %(sep_max)s "
            "met sociaal-emotionele problematiek, en een leerachterstand van %(min)s tot "
            "%(max)s in ten minste %(nodig)s domeinen, waarvan ten minste één begrijpend lezen "
            "of inzichtelijk rekenen"
        )
        % waarden
    )
    if lwoo_profiel:
        return _(
            "Ter informatie: het profiel past bij leerwegondersteunend onderwijs (LWOO): IQ "
            "%(iq)s en een leerachterstand in %(namen)s (%(profiel)s)."
        ) % {
            "iq": iq,
            "namen": _opsomming(
                [f"{domein_naam(c)} ({procent(getoond[c])})" for c in lwoo_domeinen]
            ),
            "profiel": profiel,
        }
    return _(
        "Ter informatie: het profiel past niet bij leerwegondersteunend onderwijs (LWOO), "
        "daarvoor is nodig: %(profiel)s."
    ) % {"profiel": profiel}
