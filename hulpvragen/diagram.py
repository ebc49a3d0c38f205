"""A process as a picture: statuses as boxes, transitions as arrows labelled with who takes them or
the event that triggers them, drawn by the server as SVG (no JavaScript, no external library).

Layout: an arc diagram. The statuses stand in one column in their `volgorde` (which follows the
normal path); an arrow to a later status curves on the right, an arrow back to an earlier status
on the left, further out the more statuses it skips, so no arrow crosses a box. A transition to
the status itself is a small loop.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import gettext as _

from hulpvragen.models import KiezenDoor, Proces, Trigger

BOX_W, BOX_H, GAP_Y = 230, 40, 22
ARC_BASE, ARC_STEP = 34, 26
SIDE = 260  # room for arcs and labels on either side of the column
TOP = 16


def _label(door: str, trigger: str) -> str:
    if trigger != Trigger.HANDMATIG:
        return str(Trigger(trigger).label)
    return {KiezenDoor.SCHOOL: _("school"), KiezenDoor.SWV: _("SWV")}.get(door, door)


LABEL_H, CHAR_W = 12, 6.0  # a label's line height and the rough width of one character


def _vrije_plek(
    geplaatst: list[tuple[float, float, float]], x: float, y: float, anchor: str, tekst: str
) -> float:
    """A y at or below `y` where this label overlaps no label placed before (several arcs can
    share an apex height: "bijlage toegevoegd" would run through a neighbour's "SWV"); records
    it."""
    breedte = CHAR_W * len(tekst)
    x0, x1 = (x, x + breedte) if anchor == "start" else (x - breedte, x)
    while any(a < x1 and x0 < b and abs(y - py) < LABEL_H for a, b, py in geplaatst):
        y += LABEL_H
    geplaatst.append((x0, x1, y))
    return y


def proces_svg(proces: Proces) -> str:
    statussen = list(proces.statussen.all())
    overgangen = list(proces.overgangen.all())
    if not statussen:
        return ""
    row = {s.pk: i for i, s in enumerate(statussen)}
    left, right = SIDE, SIDE + BOX_W
    width = 2 * SIDE + BOX_W
    height = TOP + len(statussen) * (BOX_H + GAP_Y) + 44  # room for the two legend lines

    def mid_y(pk: int) -> float:
        return TOP + row[pk] * (BOX_H + GAP_Y) + BOX_H / 2

    titel = escape(_("Procesdiagram %(proces)s") % {"proces": proces})
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="procesdiagram" role="img" '
        f'aria-labelledby="diagram-titel" width="{width}" height="{height:.0f}" '
        f'viewBox="0 0 {width} {height:.0f}" font-family="sans-serif" font-size="12">',
        f'<title id="diagram-titel">{titel}</title>',
        '<defs><marker id="pijl" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="context-stroke"/></marker></defs>',
    ]
    # Arrows first, so boxes are drawn over their ends.
    geplaatst: list[tuple[float, float, float]] = []  # labels drawn so far: (x0, x1, y)
    for o in overgangen:
        y1, y2 = mid_y(o.van_id), mid_y(o.naar_id)
        automatic = o.trigger != Trigger.HANDMATIG
        colour = "#8b1a1a" if automatic else "#333333"
        dash = ' stroke-dasharray="5 3"' if automatic else ""
        span = abs(row[o.naar_id] - row[o.van_id])
        if span == 0:
            x = right
            path = (
                f"M{x},{y1 - 8:.0f} C{x + 45},{y1 - 30:.0f} {x + 45},{y1 + 30:.0f} {x},{y1 + 8:.0f}"
            )
            lx, ly, anchor = x + 40, y1 + 4, "start"
        elif row[o.naar_id] > row[o.van_id]:
            # Forward on the right; start a little below centre, end a little above.
            bend = right + ARC_BASE + ARC_STEP * (span - 1)
            path = (
                f"M{right},{y1 + 6:.0f} C{bend},{y1 + 6:.0f} "
                f"{bend},{y2 - 6:.0f} {right},{y2 - 6:.0f}"
            )
            lx, ly, anchor = bend - 18, (y1 + y2) / 2 + 4, "start"
        else:
            bend = left - ARC_BASE - ARC_STEP * (span - 1)
            path = (
                f"M{left},{y1 - 6:.0f} C{bend},{y1 - 6:.0f} {bend},{y2 + 6:.0f} {left},{y2 + 6:.0f}"
            )
            lx, ly, anchor = bend + 18, (y1 + y2) / 2 + 4, "end"
        label = _label(o.door, o.trigger)
        ly = _vrije_plek(geplaatst, lx, ly, anchor, label)
        out.append(
            f'<path d="{path}" fill="none" stroke="{colour}"{dash} stroke-width="1.4" '
            f'marker-end="url(#pijl)"/>'
            f'<text x="{lx:.0f}" y="{ly:.0f}" fill="{colour}" font-size="10.5" '
            f'text-anchor="{anchor}" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
            f"{escape(label)}</text>"
        )
    for s in statussen:
        y = TOP + row[s.pk] * (BOX_H + GAP_Y)
        fill = "#e6e6e6" if not s.zichtbaar_voor_swv else "#ffffff"
        stroke_w = 3 if s.eindstatus else 1.4
        dash = ' stroke-dasharray="6 3"' if s.initieel else ""
        out.append(
            f'<rect x="{left}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
            f'stroke="#1d1d1b" stroke-width="{stroke_w}"{dash}/>'
            f'<text x="{left + BOX_W / 2:.0f}" y="{y + BOX_H / 2 + 4:.0f}" text-anchor="middle" '
            f'font-weight="600">{escape(s.naam)}</text>'
        )
    legend = [
        _(
            "Stippelrand: beginstatus · grijs: niet zichtbaar voor het SWV · dikke rand: "
            "eindstatus (een pijl eruit: vervolg na eindstatus)"
        ),
        _("Rood gestippeld: automatisch · rechts: vooruit, links: terug"),
    ]
    for i, regel in enumerate(legend):
        y = height - 24 + 14 * i
        out.append(f'<text x="8" y="{y:.0f}" fill="#333" font-size="10.5">{escape(regel)}</text>')
    out.append("</svg>")
    return "".join(out)
