"""Shared fixtures: the bundled policy is compiled once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govrules.engine import Policy
from govrules.resources import bundled_policy_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = bundled_policy_dir() / "examples"

# A developer's own calendar directory must not change what the tests see.
os.environ.pop("GOVRULES_CALENDAR_DIR", None)


@pytest.fixture(scope="session")
def policy() -> Policy:
    return Policy.load(bundled_policy_dir())
