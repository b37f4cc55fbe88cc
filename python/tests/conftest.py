"""Shared fixtures: the repository root (scenarios are named relative to it) and the CLI."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def in_repository(monkeypatch):
    """Every test runs from the repository root, as the README's commands do."""
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `fairglb` binary: $FAIRGLB, else the release build (built if missing)."""
    if os.environ.get("FAIRGLB"):
        return Path(os.environ["FAIRGLB"])
    binary = ROOT / "target" / "release" / "fairglb"
    if not binary.exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return binary
