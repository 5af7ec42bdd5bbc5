"""Shared fixtures: the bundled policy is compiled once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from govrules.engine import Policy
from govrules.resources import bundled_policy_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = bundled_policy_dir() / "examples"

# A developer's own calendar directory must not change what the tests see.
os.environ.pop("GOVRULES_CALENDAR_DIR", None)

# No per-example time limit for any property (a test's own @settings inherits this): on a
# busy 2-core CI machine a first example that grounds or compiles passes hypothesis's
# default 200 ms, and the run would fail on speed, not on behaviour. bench/ times things.
settings.register_profile("govrules", deadline=None)
settings.load_profile("govrules")


@pytest.fixture(scope="session")
def policy() -> Policy:
    return Policy.load(bundled_policy_dir())
