"""Shared fixtures: the bundled policy is compiled once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from govrules.engine import Policy
from govrules.resources import bundled_policy_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = bundled_policy_dir() / "examples"


@pytest.fixture(scope="session")
def policy() -> Policy:
    return Policy.load(bundled_policy_dir())
