"""govrules: a declarative policy engine for government office working rules.

import govrules
policy = govrules.load_policy()          # the bundled policy; load_policy(path) for another
org = govrules.load_org()                # the bundled example organisation; load_org(path)
policy.route(document, org=org).orders
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from govrules.errors import (
    CalendarError,
    GovrulesError,
    InputError,
    PolicyError,
    RuleError,
    SolverLimitError,
)
from govrules.version import __version__ as __version__

if TYPE_CHECKING:
    from govrules.engine import CheckResult, LeaveResult, Policy, RouteResult
    from govrules.inputs import Organisation

__all__ = [
    "CalendarError",
    "CheckResult",
    "GovrulesError",
    "InputError",
    "LeaveResult",
    "Policy",
    "PolicyError",
    "RouteResult",
    "RuleError",
    "SolverLimitError",
    "load_org",
    "load_policy",
]


def load_policy(directory: str | Path | None = None) -> Policy:
    """Load and compile a policy (the bundled one by default); reuse it for many queries."""
    from govrules.engine import Policy

    return Policy.load(directory)


def load_org(path: Any = None) -> Organisation:
    """An organisation file, dict or model; the bundled example organisation by default."""
    from govrules.inputs import load_org as _load_org
    from govrules.resources import bundled_org_file

    return _load_org(path if path is not None else bundled_org_file())


def __getattr__(name: str) -> Any:
    if name in ("Policy", "RouteResult", "CheckResult", "LeaveResult"):
        from govrules import engine

        return getattr(engine, name)
    raise AttributeError(name)
