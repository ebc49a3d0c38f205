"""A process as a picture: statuses as boxes, transitions as arrows labelled with who takes them or
the event that triggers them, as SVG drawn by the server (no JavaScript), and beside it the same
transitions as a plain list for screen readers.

Layout: Graphviz `dot` (Debian package `graphviz`, called as `dot -Tjson`), drawn by us from its
coordinates. The earlier own layout (one column, forward arcs right and back arcs left, further
out the more statuses they skip) could not be made readable: arcs of the same span share one x,
so two of them overlap on the stretch they have in common, and a label of 6 to 18 characters at
an arc's apex always crosses the neighbouring arcs only 26 px away ("bijlage toegevoegd" over
"SWV"), which left labels that could not be matched to their arrows. `dot` ranks the statuses,
makes every edge label a node of its own in that ranking (so labels get their own room and
edges are routed around them), and returns the boxes, splines, arrowheads and label positions;
drawing them ourselves keeps our styling, escaping and legend, and gives each label a box
(`rect.diagram-label`) that the tests check against every other label and every foreign arrow.

The layout of a process is cached by its dot source (the same process draws the same picture).
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hulpvragen.models import KiezenDoor, Overgang, Proces, Status, Trigger

logger = logging.getLogger(__name__)

MARGE = 12  # px around the drawing
LEGENDA_H = 40
LABEL_PUNT = 10.5
STATUS_PUNT = 12


def _label(door: str, trigger: str) -> str:
    if trigger != Trigger.HANDMATIG:
        return str(Trigger(trigger).label)
    return {KiezenDoor.SCHOOL: _("school"), KiezenDoor.SWV: _("SWV")}.get(door, door)


def _dot_tekst(tekst: str) -> str:
    return '"' + tekst.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _dot_bron(statussen: list[Status], overgangen: list[Overgang]) -> str:
    regels = [
        "digraph proces {",
        "  rankdir=TB; nodesep=0.6; ranksep=0.6; splines=true;",
        f'  node [shape=box, style=rounded, fontname="DejaVu Sans", fontsize={STATUS_PUNT}, '
        'margin="0.15,0.06"];',
        f'  edge [fontname="DejaVu Sans", fontsize={LABEL_PUNT}];',
    ]
    for s in statussen:
        regels.append(f"  s{s.pk} [label={_dot_tekst(s.naam)}];")
    for i, o in enumerate(overgangen):
        regels.append(
            f"  s{o.van_id} -> s{o.naar_id} [label={_dot_tekst(_label(o.door, o.trigger))}, "
            f'id="o{i}"];'
        )
    regels.append("}")
    return "\n".join(regels)


@lru_cache(maxsize=64)
def _dot_layout(bron: str) -> dict:
    resultaat = subprocess.run(  # noqa: S603 - fixed program, our own generated input
        [shutil.which("dot") or "dot", "-Tjson"],
        input=bron,
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    )
    return json.loads(resultaat.stdout)


@dataclass(frozen=True)
class Vak:
    x0: float
    y0: float
    x1: float
    y1: float


def _punten(lijst) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in lijst]


def proces_svg(proces: Proces) -> str:
    """The diagram as one SVG element (every text escaped); "" for a process without statuses.
    Without Graphviz installed: a short notice instead (the list still says it all)."""
    statussen = list(proces.statussen.all())
    overgangen = list(proces.overgangen.all())
    if not statussen:
        return ""
    if shutil.which("dot") is None:
        logger.error("Graphviz (dot) ontbreekt: procesdiagram niet getekend")
        return format_html(
            "<p>{}</p>", _("Het diagram kan niet getekend worden (Graphviz ontbreekt).")
        )
    layout = _dot_layout(_dot_bron(statussen, overgangen))
    _x0, _y0, breedte, hoogte = (float(v) for v in layout["bb"].split(","))

    def xy(x: float, y: float) -> tuple[float, float]:
        # dot's y axis points up; SVG's down.
        return MARGE + x, MARGE + hoogte - y

    totaal_b = breedte + 2 * MARGE
    totaal_h = hoogte + 2 * MARGE + LEGENDA_H
    titel = escape(_("Procesdiagram %(proces)s") % {"proces": proces})
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="procesdiagram" role="img" '
        f'aria-labelledby="diagram-titel" aria-describedby="diagram-overgangen" '
        f'width="{totaal_b:.0f}" height="{totaal_h:.0f}" '
        f'viewBox="0 0 {totaal_b:.0f} {totaal_h:.0f}" font-family="DejaVu Sans, sans-serif" '
        f'font-size="{STATUS_PUNT}">',
        f'<title id="diagram-titel">{titel}</title>',
    ]
    status_van = {f"s{s.pk}": s for s in statussen}
    for obj in layout.get("objects", []):
        s = status_van.get(obj.get("name"))
        if s is None:
            continue
        cx, cy = (float(v) for v in obj["pos"].split(","))
        w, h = float(obj["width"]) * 72, float(obj["height"]) * 72
        x, y = xy(cx - w / 2, cy + h / 2)
        fill = "#e6e6e6" if not s.zichtbaar_voor_swv else "#ffffff"
        stroke_w = 3 if s.eindstatus else 1.4
        dash = ' stroke-dasharray="6 3"' if s.initieel else ""
        tx, ty = xy(cx, cy)
        out.append(
            f'<rect class="diagram-status" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
            f'height="{h:.1f}" rx="6" fill="{fill}" stroke="#1d1d1b" '
            f'stroke-width="{stroke_w}"{dash}/>'
            f'<text x="{tx:.1f}" y="{ty + 4:.1f}" text-anchor="middle">'
            f"{escape(s.naam)}</text>"
        )
    for edge in layout.get("edges", []):
        i = int(edge["id"][1:])
        o = overgangen[i]
        automatisch = o.trigger != Trigger.HANDMATIG
        kleur = "#8b1a1a" if automatisch else "#333333"
        dash = ' stroke-dasharray="5 3"' if automatisch else ""
        d = []
        for op in edge.get("_draw_", []):
            if op["op"] in ("b", "B"):
                pts = [xy(*p) for p in _punten(op["points"])]
                d.append(f"M{pts[0][0]:.1f},{pts[0][1]:.1f}")
                for k in range(1, len(pts) - 2, 3):
                    (ax, ay), (bx, by), (cx, cy) = pts[k : k + 3]
                    d.append(f"C{ax:.1f},{ay:.1f} {bx:.1f},{by:.1f} {cx:.1f},{cy:.1f}")
        pijl = []
        for op in edge.get("_hdraw_", []):
            if op["op"] in ("P", "p"):
                pijl = [xy(*p) for p in _punten(op["points"])]
        out.append(
            f'<g class="diagram-overgang" data-overgang="{i}">'
            f'<path d="{" ".join(d)}" fill="none" stroke="{kleur}"{dash} stroke-width="1.4"/>'
            + (
                '<polygon points="'
                + " ".join(f"{px:.1f},{py:.1f}" for px, py in pijl)
                + f'" fill="{kleur}" stroke="{kleur}"/>'
                if pijl
                else ""
            )
        )
        for op in edge.get("_ldraw_", []):
            if op["op"] != "T":
                continue
            lx, ly = (float(v) for v in edge["lp"].split(","))
            # The room dot reserved for the label: its text width by one line (1.2 x size).
            lb = float(op["width"])
            lh = LABEL_PUNT * 1.2
            vx, vy = xy(lx - lb / 2, ly + lh / 2)
            tx, ty = xy(lx, ly)
            out.append(
                f'<rect class="diagram-label" x="{vx:.1f}" y="{vy:.1f}" width="{lb:.1f}" '
                f'height="{lh:.1f}" fill="#ffffff" fill-opacity="0.85"/>'
                f'<text x="{tx:.1f}" y="{ty + LABEL_PUNT * 0.35:.1f}" fill="{kleur}" '
                f'font-size="{LABEL_PUNT}" text-anchor="middle">{escape(_label(o.door, o.trigger))}'
                "</text>"
            )
        out.append("</g>")
    legenda = [
        _(
            "Stippelrand: beginstatus · grijs: niet zichtbaar voor het SWV · dikke rand: "
            "eindstatus (een pijl eruit: vervolg na eindstatus)"
        ),
        _("Rood gestippeld: automatisch · bij elke pijl: wie de overgang kiest"),
    ]
    for k, regel in enumerate(legenda):
        y = totaal_h - LEGENDA_H + 16 + 14 * k
        out.append(
            f'<text x="{MARGE}" y="{y:.0f}" fill="#333" font-size="10.5">{escape(regel)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _door(o: Overgang) -> str:
    if o.trigger != Trigger.HANDMATIG:
        return _("automatisch, bij “%(gebeurtenis)s”") % {"gebeurtenis": Trigger(o.trigger).label}
    return {
        KiezenDoor.SCHOOL: _("gekozen door de school"),
        KiezenDoor.SWV: _("gekozen door het samenwerkingsverband"),
    }.get(o.door, o.door)


def proces_overgangen_lijst(proces: Proces) -> SafeString:
    """Every transition as a sentence in a plain list, in the process's order: what the diagram
    shows, for screen readers (the SVG points at it with aria-describedby) and for anyone who
    prefers text."""
    statussen = {s.pk: s.naam for s in proces.statussen.all()}
    regels = []
    for o in proces.overgangen.all():
        extra = []
        if o.toelichting_verplicht:
            extra.append(_("toelichting verplicht"))
        if o.controles:
            extra.append(_("controles: %(c)s") % {"c": ", ".join(o.controles)})
        regels.append(
            (
                _("Van “%(van)s” naar “%(naar)s”: %(door)s")
                % {"van": statussen[o.van_id], "naar": statussen[o.naar_id], "door": _door(o)}
                + (f" ({'; '.join(extra)})" if extra else ""),
            )
        )
    return format_html(
        '<h3 id="diagram-overgangen-kop">{}</h3><ul id="diagram-overgangen" '
        'class="diagram-overgangen" aria-labelledby="diagram-overgangen-kop">{}</ul>',
        _("Overgangen"),
        format_html_join("", "<li>{}</li>", regels),
    )


def proces_diagram_html(proces: Proces) -> SafeString:
    """The diagram and, beside it, the transitions as a list."""
    # proces_svg escapes every text it draws (status names, labels): safe to mark.
    return format_html(
        '<div class="procesdiagram-blok">{}{}</div>',
        mark_safe(proces_svg(proces)),  # noqa: S308
        proces_overgangen_lijst(proces),
    )
