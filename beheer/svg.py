"""Small server-rendered SVG charts for the kengetallen.

Why our own ~50 lines instead of a library: no chart library is installed, the charts needed are
plain horizontal bars (counts, and a median with its spread), and server-side SVG needs no
JavaScript and no CDN. Every text goes through format_html (escaped); each chart is an
`role="img"` with a <title>, and the page shows the same figures in a table next to it, which is
what a screen reader reads.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

LABEL_BREEDTE = 220
BALK_BREEDTE = 360
RIJ = 26


def staafdiagram(
    titel: str,
    rijen: list[tuple[str, float]],
    *,
    eenheid: str = "",
    spreiding: list[tuple[float, float]] | None = None,
) -> SafeString:
    """Horizontal bars, one per (label, value); with `spreiding` a line from p25 to p75 is drawn
    over each bar (the interquartile range)."""
    if not rijen:
        return SafeString("")
    maximum = max([v for _, v in rijen] + [hi for _, hi in (spreiding or [])] + [1])
    schaal = BALK_BREEDTE / maximum
    hoogte = RIJ * len(rijen) + 10
    breedte = LABEL_BREEDTE + BALK_BREEDTE + 80
    delen = []
    for i, (label, waarde) in enumerate(rijen):
        y = 5 + i * RIJ
        delen.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="grafiek__label">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" class="grafiek__balk"/>'
                '<text x="{}" y="{}" class="grafiek__waarde">{}{}</text>',
                LABEL_BREEDTE - 8,
                y + 16,
                label,
                LABEL_BREEDTE,
                y + 3,
                f"{waarde * schaal:.1f}",
                RIJ - 8,
                f"{LABEL_BREEDTE + waarde * schaal + 6:.1f}",
                y + 16,
                _getal(waarde),
                eenheid,
            )
        )
        if spreiding:
            lo, hi = spreiding[i]
            delen.append(
                format_html(
                    '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grafiek__spreiding"/>',
                    f"{LABEL_BREEDTE + lo * schaal:.1f}",
                    f"{LABEL_BREEDTE + hi * schaal:.1f}",
                    y + RIJ / 2 - 1,
                    y + RIJ / 2 - 1,
                )
            )
    return format_html(
        '<svg class="grafiek" role="img" viewBox="0 0 {} {}" width="{}" height="{}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        breedte,
        hoogte,
        breedte,
        hoogte,
        titel,
        format_html_join("", "{}", ((d,) for d in delen)),
    )


def _getal(waarde: float) -> str:
    return str(int(waarde)) if float(waarde).is_integer() else f"{waarde:.1f}".replace(".", ",")
