"""The lock files pin everything pyproject.toml asks for, with hashes.

The image installs requirements/base.txt and CI installs requirements/dev.txt, both with
`--require-hashes` and then the project itself without dependencies: a dependency added to
pyproject.toml but not to the locks would be missing there. This catches it in a second, with
the remedy in the message."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
REMEDY = "run `make lock` and commit requirements/ with the pyproject.toml change"


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def parse_lock(text: str) -> dict[str, tuple[Version, list[str]]]:
    """{name: (pinned version, hashes)} of a `--generate-hashes` requirements file."""
    pins: dict[str, tuple[Version, list[str]]] = {}
    # One requirement per logical line (backslash continuations joined); comments dropped.
    logical = re.sub(r"\\\n", " ", text)
    for line in logical.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        spec, *options = (part.strip() for part in line.split(" --"))
        requirement = Requirement(spec.strip())
        pinned = [s for s in requirement.specifier if s.operator == "=="]
        assert len(pinned) == 1 and len(requirement.specifier) == 1, f"not pinned: {spec}"
        hashes = [o.split("=", 1)[1] for o in options if o.startswith("hash=")]
        pins[canonicalize_name(requirement.name)] = (Version(pinned[0].version), hashes)
    return pins


@pytest.fixture(scope="module")
def locks() -> dict[str, dict[str, tuple[Version, list[str]]]]:
    return {
        name: parse_lock((ROOT / "requirements" / f"{name}.txt").read_text())
        for name in ("base", "dev")
    }


def unpinned(requirements: list[str], lock: dict[str, tuple[Version, list[str]]]) -> list[str]:
    problems = []
    for line in requirements:
        requirement = Requirement(line)
        pin = lock.get(canonicalize_name(requirement.name))
        if pin is None:
            problems.append(f"{requirement.name} is missing")
        elif not requirement.specifier.contains(pin[0], prereleases=True):
            problems.append(f"{requirement.name}=={pin[0]} does not satisfy '{requirement}'")
    return problems


def test_every_runtime_dependency_is_pinned_in_both_locks(locks):
    dependencies = pyproject()["project"]["dependencies"]
    for name in ("base", "dev"):
        problems = unpinned(dependencies, locks[name])
        assert not problems, f"requirements/{name}.txt: {problems}; {REMEDY}"


def test_every_development_dependency_is_pinned_in_the_dev_lock(locks):
    dev = pyproject()["project"]["optional-dependencies"]["dev"]
    problems = unpinned(dev, locks["dev"])
    assert not problems, f"requirements/dev.txt: {problems}; {REMEDY}"


def test_every_pin_has_hashes_and_dev_pins_the_runtime_packages_alike(locks):
    for name, lock in locks.items():
        assert len(lock) > 10, name
        without = sorted(package for package, (_, hashes) in lock.items() if not hashes)
        assert not without, f"requirements/{name}.txt pins without a hash: {without}"
        for _, hashes in lock.values():
            assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), hashes
    differs = {
        package: (str(version), str(locks["dev"].get(package, (None,))[0]))
        for package, (version, _) in locks["base"].items()
        if locks["dev"].get(package, (None,))[0] != version
    }
    assert not differs, f"the image and CI would run different versions: {differs}; {REMEDY}"


def test_the_check_notices_a_dependency_added_without_make_lock(locks):
    """The check itself: a new requirement, or a pin the specifier excludes, is reported."""
    assert unpinned(["markdown>=3.5"], locks["base"]) == ["markdown is missing"]
    django = locks["base"]["django"][0]
    assert unpinned([f"Django>{django}"], locks["base"]) == [
        f"Django=={django} does not satisfy 'Django>{django}'"
    ]


@pytest.mark.parametrize(
    ("target", "lock"),
    [
        (".venv/.installed", "requirements/base.txt"),
        (".venv/.installed-dev", "requirements/dev.txt"),
    ],
)
def test_a_changed_lock_reinstalls_the_venv_from_it(target, lock):
    """`make -n -W <lock>`: what make would do were the lock file just changed."""
    make = shutil.which("make")
    assert make, "make is one of the two things README asks for"
    result = subprocess.run(
        [make, "-n", "-W", lock, target], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    commands = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert any(f"pip install --quiet --require-hashes -r {lock}" in c for c in commands), commands
    assert any(c.endswith("pip install --quiet --no-deps -e .") for c in commands), commands
