"""One leave audit in a fresh process: `python -m bench.audit N` prints one JSON line.

Run alone so that its peak memory (ru_maxrss) is its own. Times, for N people over 2021:
govrules end to end from plain data (validation, facts, grounding, solving, findings),
govrules from models already validated, and the floor (the hand-written program, fed the
symbols govrules builds for the same plan, built before the clock starts).
"""

from __future__ import annotations

import json
import resource
import sys
import time

from bench import floor, gen


def main(size: int) -> None:
    import govrules
    from govrules.asp.facts import day_number, fact, number, org_facts, plan_facts
    from govrules.inputs import load_org, load_plan
    from govrules.presence import workday_facts

    policy = govrules.load_policy()
    # Warm: the policy is loaded once and has answered plan questions of each shape before
    # (a small plan, sliced on the predicates it has; a big one, sliced on its mode only;
    # one of 1,200 people, past `COLUMNAR_FROM` absences, evaluated in DuckDB where it is
    # installed): each shape's slice (and its SQL) is made once, on its first question, and
    # kept.
    for people in (20, 600, 1200):
        warm_org = gen.organisation(people, seed=7)
        policy.check_leave(gen.year_plan(warm_org, seed=8), org=warm_org, timeout=600)
    org_data = gen.organisation(size)
    plan_data = gen.year_plan(org_data)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    policy.collect_statistics = True

    started = time.perf_counter()
    result = policy.check_leave(plan_data, org=org_data, timeout=600)
    end_to_end = time.perf_counter() - started
    stats = dict(policy.last_statistics)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    org = load_org(org_data)
    plan = load_plan(plan_data, org)
    started = time.perf_counter()
    again = policy.check_leave(plan, org=org, timeout=600)
    from_models = time.perf_counter() - started

    facts = [
        *org_facts(org),
        fact("in_force_from", number(day_number(policy.text.in_force_from))),
        *plan_facts(plan),
        *workday_facts(policy, plan, 0),
    ]
    floor_stats: dict[str, float] = {}
    started = time.perf_counter()
    model = floor.solve(floor.LEAVE, facts, statistics=floor_stats)[0]
    floor_seconds = time.perf_counter() - started
    started = time.perf_counter()
    rebuilt = [
        *org_facts(org),
        fact("in_force_from", number(day_number(policy.text.in_force_from))),
        *plan_facts(plan),
        *workday_facts(policy, plan, 0),
    ]
    symbols_seconds = time.perf_counter() - started
    del rebuilt

    print(
        json.dumps(
            {
                "people": size,
                "absences": len(plan_data["absences"]),
                "findings": len(result.findings),
                "findings_again": len(again.findings),
                "floor_findings": len(model),
                "seconds": end_to_end,
                "seconds_from_models": from_models,
                "floor_seconds": floor_seconds,
                "symbols_seconds": symbols_seconds,
                "atoms": stats.get("atoms"),
                "rules": stats.get("rules"),
                "ground_seconds": stats.get("ground_seconds"),
                "floor_atoms": floor_stats.get("atoms"),
                "floor_rules": floor_stats.get("rules"),
                "peak_rss_mib": peak / 1024,
                "baseline_rss_mib": before / 1024,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
