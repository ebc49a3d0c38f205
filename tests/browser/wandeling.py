"""The page walk: every page a role can reach, visited once in Chromium and checked there.

One walk serves three checks, so the browser loads each page once:
- reflow (WCAG 1.4.10): at 390 px and at 320 px wide the page does not scroll sideways
  (`document.documentElement.scrollWidth <= innerWidth`); wide data tables scroll inside their own
  container (`.tabelrol`), which does not count;
- axe-core (axe-playwright-python, which bundles axe) at 320 px: no violation of any rule;
- the Nu HTML checker (vnu.jar from npm): the HTML the server sent is saved per page, and
  `vnu_controleren` checks the whole batch with one JVM start;
and, on every page, that each `aria-describedby`/`aria-labelledby` names elements that exist.

The walk follows the links of each page it visits (same site, GET, no query string, no
downloads), so a new page is walked as soon as something links to it. Pages that only a form
leads to (wizard steps, error states) are added by the role's `stappen` in the test module.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.base import AXE_SCRIPT

BREEDTES = (390, 320)
HOOGTE = 844

# Links the walk does not follow: they leave, download, end the session or only redirect; and the
# API reference for LVS developers (Swagger UI, not ours and not axe-clean: toegankelijkheid.md).
OVERSLAAN = re.compile(
    r"/uitloggen/|/download/|/word/|/export/|/sessie/|/beheer/r/|/beheer/logout/"
    r"|/beheer/jsi18n/|/static/|/api/v1/schema/|/api/v1/docs/|\.(pdf|docx|csv|xlsx|txt|xml)$"
)
# Pages whose content differs per hulpvraag (type, state, form): walked for every hulpvraag the
# role sees. Every other path is walked once per pattern (digits replaced).
PER_HULPVRAAG = re.compile(
    r"^/hulpvragen/\d+/(?:(?:formulier|status|besluit|advies|tlv|vragen)/)?$"
    r"|^/formulieren/\d+/(?:bewerken|ondertekenen)/$"
)

# Admin pages drawn by one template whatever the model: walked once per role. Every model's
# changelist and change/add form is walked (their columns, filters and fields differ).
ADMIN_EENMAAL = [
    (re.compile(r"^/beheer/[a-z_]+/$"), "admin app"),
    (re.compile(r"^/beheer/.+/history/$"), "admin history"),
    (re.compile(r"^/beheer/.+/delete/$"), "admin delete"),
]

AXE_OPTIES = {"resultTypes": ["violations"]}
# axe-core as the package bundles it, asked for the violations only: the whole result (mostly
# passes) is large to hand back from the browser.
_AXE_JS = """(opties) => axe.run(document, opties).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, doelen: v.nodes.slice(0, 4).map(n => n.target.join(' '))})))"""


def axe_schendingen(page) -> list[str]:
    """axe-core's violations on the open page, one line each (rule, impact, first elements)."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    return [
        f"axe {v['id']} ({v['impact']}): {'; '.join(v['doelen'])}"
        for v in page.evaluate(_AXE_JS, AXE_OPTIES)
    ]


# Measured in the browser: how wide the page is, and which elements stick out (to name them in a
# failure). Elements inside a `.tabelrol` scroll container may be wider: that is the point.
_BREEDTE_JS = r"""() => {
  const w = window.innerWidth;
  const uit = [];
  const steekt_uit = (el) => {
    if (el.closest('.tabelrol') && !el.classList.contains('tabelrol')) return false;
    if (!el.checkVisibility()) return false;  // e.g. the folded menu's items
    const r = el.getBoundingClientRect();
    return r.right > w + 1;
  };
  // Name the innermost elements that stick out: where the overflow comes from.
  for (const el of document.body.querySelectorAll('*')) {
    if (!steekt_uit(el) || [...el.children].some(steekt_uit)) continue;
    uit.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string'
         ? '.' + el.className.trim().split(/\s+/).join('.') : '')
      + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
    if (uit.length >= 6) break;
  }
  return {breed: document.documentElement.scrollWidth, venster: w, uit: uit};
}"""

_VERWIJZINGEN_JS = r"""() => {
  const fout = [];
  for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls']) {
    for (const el of document.querySelectorAll('[' + attr + ']')) {
      for (const id of el.getAttribute(attr).split(/\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) fout.push(attr + '="' + id + '" op <'
          + el.tagName.toLowerCase() + (el.id ? ' id=' + el.id : '') + '>');
      }
    }
  }
  return fout;
}"""


@dataclass
class Wandeling:
    page: object
    basis: str
    html_map: Path
    rol: str
    bevindingen: list[str] = field(default_factory=list)
    bezocht: list[str] = field(default_factory=list)
    # Saved file name -> the page it is, for the HTML checker's report.
    html_namen: dict[str, str] = field(default_factory=dict)
    # Seconds spent per part (laden, reflow, axe, verwijzingen, html), printed by the test.
    tijden: Counter = field(default_factory=Counter)
    _gezien: set[str] = field(default_factory=set)
    _document: object = None

    def __post_init__(self) -> None:
        self.html_map.mkdir(parents=True, exist_ok=True)
        self.page.set_viewport_size({"width": BREEDTES[0], "height": HOOGTE})
        self.page.on("response", self._bij_antwoord)

    def _bij_antwoord(self, response) -> None:
        if (
            response.request.resource_type == "document"
            and response.frame == self.page.main_frame
            and response.status < 300
        ):
            self._document = response

    # --- one page -----------------------------------------------------------------------------

    def controleer(self, naam: str) -> None:
        """Check the page that is open now; `naam` says which page it is in a failure."""
        page = self.page
        t = time.perf_counter()
        page.wait_for_load_state("load")
        self.bezocht.append(naam)
        # The HTML as the server sent it (the checker judges our templates, not the DOM after
        # scripts); when the browser no longer holds that body, the current DOM.
        antwoord = self._document
        try:
            html = antwoord.text() if antwoord is not None else page.content()
        except Exception:
            html = page.content()
        bestand = self.html_map / f"{self.rol}-{len(self.bezocht):03d}.html"
        bestand.write_text(html, encoding="utf-8")
        self.html_namen[bestand.name] = naam
        t = self._tijd("html", t)
        for breedte in BREEDTES:
            if page.viewport_size["width"] != breedte:
                page.set_viewport_size({"width": breedte, "height": HOOGTE})
            meting = page.evaluate(_BREEDTE_JS)
            if meting["breed"] > meting["venster"]:
                self.bevindingen.append(
                    f"{naam}: bij {breedte} px scrolt de pagina opzij "
                    f"({meting['breed']} px breed): {', '.join(meting['uit'])}"
                )
        t = self._tijd("reflow", t)
        self.bevindingen += [f"{naam}: {schending}" for schending in axe_schendingen(page)]
        t = self._tijd("axe", t)
        for fout in page.evaluate(_VERWIJZINGEN_JS):
            self.bevindingen.append(f"{naam}: verwijst naar een ontbrekend element: {fout}")
        page.set_viewport_size({"width": BREEDTES[0], "height": HOOGTE})
        self._tijd("verwijzingen", t)

    def _tijd(self, deel: str, sinds: float) -> float:
        nu = time.perf_counter()
        self.tijden[deel] += nu - sinds
        return nu

    # --- following links ----------------------------------------------------------------------

    def _sleutel(self, pad: str) -> str:
        if PER_HULPVRAAG.match(pad):
            return pad
        for patroon, sleutel in ADMIN_EENMAAL:
            if patroon.match(pad):
                return sleutel
        return re.sub(r"/\d+(?=/)", "/<n>", pad)

    def _links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        paden = []
        for href in hrefs:
            deel = urlsplit(href)
            if f"{deel.scheme}://{deel.netloc}" != self.basis or deel.query:
                continue
            if OVERSLAAN.search(deel.path):
                continue
            paden.append(deel.path)
        return paden

    def loop(self, *starts: str, maximum: int = 150) -> None:
        """Visit `starts` and every page reachable from them by links (breadth first)."""
        rij = deque(starts)
        for pad in starts:
            self._gezien.add(self._sleutel(pad))
        while rij:
            pad = rij.popleft()
            if len(self.bezocht) >= maximum:
                self.bevindingen.append(f"meer dan {maximum} pagina's: gestopt bij {pad}")
                return
            self._document = None
            t = time.perf_counter()
            antwoord = self.page.goto(self.basis + pad)
            self._tijd("laden", t)
            if antwoord is None or antwoord.status >= 400:
                status = antwoord.status if antwoord else "geen antwoord"
                self.bevindingen.append(f"{pad}: {status}")
                continue
            if "text/html" not in antwoord.headers.get("content-type", ""):
                continue
            self.controleer(pad)
            for link in self._links():
                sleutel = self._sleutel(link)
                if sleutel not in self._gezien:
                    self._gezien.add(sleutel)
                    rij.append(link)

    def gezien(self, pad: str) -> None:
        """Mark a page as already visited (e.g. one reached by a form), so links skip it."""
        self._gezien.add(self._sleutel(pad))


# --- the Nu HTML checker --------------------------------------------------------------------


def vnu_jar() -> Path | None:
    """vnu.jar from npm (package.json: `make test` runs `npm ci`), or None when missing."""
    jar = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"
    return jar if jar.exists() and shutil.which("java") else None


def vnu_controleren(map_: Path, namen: dict[str, str]) -> list[str]:
    """All saved pages in one run of the checker (one JVM start); its errors, per page."""
    jar = vnu_jar()
    assert jar is not None
    bestanden = sorted(str(p) for p in map_.glob("*.html"))
    if not bestanden:
        return []
    proces = subprocess.run(
        ["java", "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json", *bestanden],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    berichten = json.loads(proces.stderr or proces.stdout or '{"messages": []}')["messages"]
    fouten = []
    for b in berichten:
        if b.get("type") not in ("error", "non-document-error"):
            continue
        bestand = Path(urlsplit(b.get("url", "")).path).name
        fouten.append(
            f"{namen.get(bestand, bestand)} (regel {b.get('lastLine')}): {b.get('message')}"
            f" [{b.get('extract', '').strip()}]"
        )
    return fouten
