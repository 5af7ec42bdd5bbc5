"""Keeping a route's kit (`quickroute.RouteKit`) after a full `govrules route`.

Everything a route needs beyond its document, for one policy and organisation, taken
from the loaded policy and kept in the compiled-policy cache under a name that hashes
what it depends on (govrules' code, the policy's files, the organisation file's bytes,
the calendar library). Only an organisation that loads without a warning gets a kit, so
a kit's route never owes one. Best effort, as the cache is: a kit that cannot be made
is simply not made, and the full route answers next time too.
"""

from __future__ import annotations

import os
import warnings
from datetime import date

from clingo import SymbolType

from govrules.asp.slice_names import KeptExact
from govrules.asp.slicing import analysis_name
from govrules.cache import read_entry, usable, write_entry
from govrules.compiler import compiled_entry
from govrules.inputs.source import source_from_text
from govrules.policy_core import PolicyCore
from govrules.quickroute import (
    DefaultOrg,
    RouteKit,
    default_org_name,
    kit_name,
    policy_digest,
    read_bounded,
)
from govrules.routing import MAX_ORDER_LIMIT, MAX_TRACE

__all__ = ["keep_route_kit"]


def keep_route_kit(policy: PolicyCore, org: str | None) -> None:
    """Keep the kit of `policy` and the organisation file `org` (None: the policy's
    example) unless it is kept already; silently nothing where no kit can be made."""
    try:
        with warnings.catch_warnings(record=True):  # a kit's making never warns the user
            warnings.simplefilter("always")
            _keep(policy, org)
    except Exception:
        return


def _keep(policy: PolicyCore, org: str | None) -> None:
    if os.environ.get("GOVRULES_CALENDAR_DIR") or not policy.use_cache or not usable():
        return
    digest = policy_digest(policy.directory)
    if digest is None:
        return
    if org is None:
        path = str(policy.example_org().resolve())
        write_entry(default_org_name(digest), DefaultOrg(path))
    else:
        path = org
    if path == "-" or path.lower().endswith(".json"):
        return
    raw = read_bounded(path)
    if raw is None:
        return
    name = kit_name(digest, raw)
    if isinstance(read_entry(name, (RouteKit,)), RouteKit):
        return
    kit = _make(policy, raw, path)
    if kit is not None:
        write_entry(name, kit)


def _make(policy: PolicyCore, raw: bytes, path: str) -> RouteKit | None:
    """The kit of the organisation read from exactly `raw`; None when it warns or has a
    fact a kit cannot hold."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = policy._org(source_from_text(raw.decode("utf-8-sig"), path))
        symbols, present = policy._common(model)
        calendar = policy.calendar
    if caught:
        return None
    common: list[tuple[str, tuple[str | int, ...]]] = []
    for symbol in symbols:
        values: list[str | int] = []
        for arg in symbol.arguments:
            if arg.type == SymbolType.String:
                values.append(arg.string)
            elif arg.type == SymbolType.Number:
                values.append(arg.number)
            else:
                return None
        common.append((symbol.name, tuple(values)))
    program = policy.compiled.solver_program
    analysis = analysis_name(program)
    kept = read_entry(analysis + "-exact", (KeptExact,))
    if isinstance(kept, KeptExact) and isinstance(kept.exact, tuple):
        exact = tuple(sorted((str(name), int(arity)) for name, arity in kept.exact))
    else:
        exact = tuple(sorted(policy.sliced.exact))
    return RouteKit(
        analysis=analysis,
        compiled=compiled_entry(policy.directory),
        exact=exact,
        common=tuple(common),
        present=tuple(sorted(present)),
        settings=tuple(policy.interpretations(None).items()),
        in_force_from=policy.text.in_force_from.isoformat(),
        read_marks=tuple(sorted(policy.text.read_marks)),
        articles=tuple(sorted(policy.articles.items())),
        words=tuple(
            (item.kind, item.ident, item.label_zh, item.label_en, tuple(item.traits))
            for item in policy.program.vocabulary
        ),
        people=tuple(p.name for p in model.people),
        units=tuple(model.units.items()),
        covered=tuple(
            (year, calendar.last_covered_day(date(year, 1, 1)).isoformat())
            for year in calendar.covered_years
        ),
        max_trace=MAX_TRACE,
        max_order_limit=MAX_ORDER_LIMIT,
    )
