"""The layers of docs/architecture.md hold: `lint-imports` keeps both contracts of pyproject.toml,
and every web module (views*.py, admin*.py and the like) is in the web tier of both contracts,
so a new screen module cannot slip into the layer order by its name."""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)


def _config() -> dict:
    return tomllib.loads((BASE / "pyproject.toml").read_text())["tool"]["importlinter"]


def test_lint_imports_keeps_the_layers():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    uitslag = subprocess.run(  # noqa: S603 - the venv's own tool, fixed arguments
        [str(lint_imports), "--no-cache"], cwd=BASE, capture_output=True, text=True, timeout=300
    )
    assert uitslag.returncode == 0, uitslag.stdout + uitslag.stderr
    assert "2 kept, 0 broken" in uitslag.stdout


def test_every_web_module_is_in_the_web_tier_of_both_contracts():
    lagen, web = (c for c in _config()["contracts"])
    bovenop = [regel.split(" -> ")[0] for regel in lagen["ignore_imports"]]
    assert web["ignore_imports"] == lagen["ignore_imports"]
    verboden = web["forbidden_modules"]
    apps = _config()["root_packages"]
    modules = [
        ".".join(pad.relative_to(BASE).with_suffix("").parts)
        for app in apps
        for patroon in ("views*.py", "admin*.py")
        for pad in (BASE / app).glob(patroon)
    ]
    assert modules
    for module in modules:
        assert any(fnmatch.fnmatchcase(module, p) for p in bovenop), module
        assert any(fnmatch.fnmatchcase(module, p) for p in verboden), module
