"""Run the engine and the oracle on one case and list every way their answers differ."""

from __future__ import annotations

import json
from typing import Any

from tests.oracle import presence, routing

from govrules.engine import Policy
from govrules.inputs import DocumentFile, Organisation, Plan

ORDER_LIMIT = 50


def _engine_findings(result: Any) -> list[str]:
    return sorted(
        json.dumps(
            [f.article, f.rule, f.kind, f.severity, f.facts], ensure_ascii=False, sort_keys=True
        )
        for f in result.findings
    )


def _diff(what: str, engine: Any, oracle: Any) -> list[str]:
    if engine == oracle:
        return []
    if isinstance(engine, list) and isinstance(oracle, list):
        extra = [x for x in engine if x not in oracle]
        missing = [x for x in oracle if x not in engine]
        return [f"{what}: engine only {extra}; oracle only {missing}"]
    return [f"{what}: engine {engine!r}; oracle {oracle!r}"]


def compare(
    policy: Policy, org: Organisation, doc: DocumentFile, settings: dict[str, bool]
) -> list[str]:
    """Every difference between the engine's and the oracle's route and check (empty: agree)."""
    problems: list[str] = []
    if doc.trace:  # one solve: check answers the route's steps and precedence too
        checked = policy.check(doc, org, interpretations=settings)
        oracle, found = routing.check(org, doc, settings)
        problems += _route_diff(checked, oracle, orders=False)
        problems += _diff(
            "check findings", _engine_findings(checked), sorted({f.key() for f in found})
        )
        return problems
    routed = policy.route(doc, org, interpretations=settings, limit=ORDER_LIMIT)
    oracle = routing.route(org, doc, settings)
    problems += _route_diff(routed, oracle, orders=True)
    problems += _diff(
        "route findings",
        _engine_findings(routed),
        sorted({f.key() for f in oracle.findings}),
    )
    return problems


def _route_diff(routed: Any, oracle: routing.Route, *, orders: bool) -> list[str]:
    problems: list[str] = []
    engine_steps = {
        s.id: (s.actor, s.action, s.role, s.article, s.rule, [list(r) for r in s.rules])
        for s in routed.steps
    }
    oracle_steps = {}
    for s in oracle.steps.values():
        article, rule, role = min(s.required)
        rules = sorted({(r, a) for a, r, _ in s.required}, key=lambda x: (x[1], x[0]))
        oracle_steps[s.id] = (s.actor, s.action, role, article, rule, [list(r) for r in rules])
    problems += _diff("steps", sorted(engine_steps.items()), sorted(oracle_steps.items()))
    problems += _diff("precedence", sorted(routed.precedence), sorted(oracle.precedence))
    pairs = oracle.pairs
    cyclic = any(f.kind == "precedence_cycle" for f in oracle.findings)
    if not cyclic:
        depth = routing.depths(oracle.steps, pairs)
        expected = sorted(oracle.steps, key=lambda i: (depth[i], i))
        problems += _diff("step order", [s.id for s in routed.steps], expected)
    count = routing.count_linear_extensions(oracle.steps, pairs) if oracle.steps else 0
    problems += _diff("order_count", routed.order_count, count)
    if not orders:
        return problems
    if count <= ORDER_LIMIT:
        every = sorted(routing.linear_extensions(oracle.steps, pairs, ORDER_LIMIT + 1))
        problems += _diff("orders", routed.orders, every if oracle.steps else [])
    else:
        listed = routed.orders
        if len(listed) != ORDER_LIMIT or len({tuple(o) for o in listed}) != len(listed):
            problems.append(f"orders: {len(listed)} listed of {count}, limit {ORDER_LIMIT}")
        for order in listed:
            pos = {s: i for i, s in enumerate(order)}
            if sorted(order) != sorted(oracle.steps) or any(pos[a] > pos[b] for a, b in pairs):
                problems.append(f"orders: invalid order {order}")
    return problems


def compare_leave(
    policy: Policy, org: Organisation, plan: Plan, settings: dict[str, bool]
) -> list[str]:
    """Every difference between the engine's and the oracle's answer on a plan of absences."""
    result = policy.check_leave(plan, org, interpretations=settings)
    found, rows = presence.leave(org, plan, settings)
    problems = _diff("leave findings", _engine_findings(result), sorted({f.key() for f in found}))
    problems += _diff("acting", result.acting, rows)
    return problems
