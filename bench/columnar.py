"""The leave audit's two engines side by side: `python -m bench.columnar --sizes 200 2000 20000`.

A plain leave audit (`check_leave`, no repair) goes to DuckDB from `PolicyCore.columnar_from`
absences (`govrules.asp.columnar`: the slice clingo would ground, translated into SQL by a
generic translator; the facts written as columns straight from the validated models). For
each size this times the same audit end to end from plain data and from models, with
clingo (`columnar_from = None`) and with DuckDB (`columnar_from = 0`), checks that the two
answers are byte-equal, and times the hand-written SQL peer (`bench.duckdb_peer`; `--no-peer`
skips it) from the same plain data. `--past-bounds` raises the engine's input bounds in
this process (100,000 people are refused otherwise). Not a test: no figure fails anything.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from typing import Any

NAME = "bench.columnar"


def _raise_bounds() -> None:
    """The input bounds (20,000 people, 200,000 absences, 500,000 values a file, 4 million
    pairs of absences that may meet, 5,000 findings) raised in this process, for sizes past
    them."""
    from govrules import policy_core, presence
    from govrules.inputs import bulk, loaders, plain

    loaders._load.__defaults__ = (10**8,)
    # a big plan's absences read as columns (`inputs.bulk`) are counted against it too
    bulk.MAX_VALUES = plain.MAX_VALUES = 10**8  # type: ignore[attr-defined]
    policy_core.MAX_PEOPLE = 10**7
    presence.MAX_ABSENCES = 10**8
    presence.MAX_ABSENCE_PAIRS = 10**10
    presence.MAX_FINDINGS = 10**6


def _policy(columnar_from: int | None) -> Any:
    import govrules
    from bench import gen

    policy = govrules.load_policy()
    policy.reuse_groundings = False
    policy.columnar_from = columnar_from
    # Warm: the audit's slice (and, for DuckDB, its translation) is made on a first question.
    org = gen.organisation(300, seed=7)
    policy.check_leave(gen.year_plan(org, seed=8), org=org, timeout=600)
    return policy


def _timed(policy: Any, plan: Any, org: Any) -> tuple[float, str]:
    gc.collect()
    started = time.perf_counter()
    answer = policy.check_leave(plan, org=org, timeout=3600).to_json()
    return time.perf_counter() - started, answer


def row(clingo: Any, duck: Any, size: int, peer: bool) -> dict[str, Any]:
    from bench import duckdb_peer, gen
    from govrules.inputs import load_org, load_plan

    org_data = gen.organisation(size)
    plan_data = gen.year_plan(org_data)
    out: dict[str, Any] = {"people": size, "absences": len(plan_data["absences"])}
    answers = {}
    for name, policy in (("clingo", clingo), ("duckdb", duck)):
        out[f"{name}_s"], answers[name] = _timed(policy, plan_data, org_data)
        org = load_org(org_data)
        plan = load_plan(plan_data, org)
        out[f"{name}_from_models_s"], again = _timed(policy, plan, org)
        assert again == answers[name]
    out["same"] = answers["clingo"] == answers["duckdb"]
    out["findings"] = len(json.loads(answers["duckdb"])["findings"])
    if peer:
        gc.collect()
        workdays = gen.workdays(clingo, plan_data)
        started = time.perf_counter()
        duckdb_peer.duckdb_audit(org_data, plan_data, workdays)
        out["peer_s"] = time.perf_counter() - started
    return out


def render(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| people | absences | clingo s | DuckDB s | clingo from models s "
        "| DuckDB from models s | peer s | DuckDB / peer | findings | same answer |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        peer = f"{r['peer_s']:.2f}" if "peer_s" in r else "-"
        ratio = f"{r['duckdb_s'] / r['peer_s']:.1f}x" if "peer_s" in r else "-"
        lines.append(
            f"| {r['people']:,} | {r['absences']:,} | {r['clingo_s']:.2f} | {r['duckdb_s']:.2f} "
            f"| {r['clingo_from_models_s']:.2f} | {r['duckdb_from_models_s']:.2f} | {peer} "
            f"| {ratio} | {r['findings']:,} | {'yes' if r['same'] else 'NO'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--past-bounds", action="store_true", help="raise the input bounds")
    parser.add_argument("--out", default=None, help="write the table as a section of this file")
    args = parser.parse_args()
    if args.past_bounds:
        _raise_bounds()
    clingo, duck = _policy(None), _policy(0)
    rows = []
    for size in args.sizes:
        r = row(clingo, duck, size, not args.no_peer)
        rows.append(r)
        print(json.dumps(r), flush=True)
    print(render(rows))
    if args.out:
        from pathlib import Path

        from bench import sections

        when, load = sections.stamp()
        lines = [
            "## 11. The audit in DuckDB: clingo, the engine's columnar path and the SQL peer "
            "(`python -m bench.columnar`)",
            "",
            f"Measured {when}; load average at the end {load}. The same plain leave audit",
            "end to end from plain data and from validated models, by clingo and by the",
            "engine's DuckDB path (`asp.columnar`, taken from `columnar_from` absences), and",
            "the hand-written SQL peer from the same plain data. *Same answer*: the two",
            "engines' JSON answers are byte-equal.",
            "",
            render(rows),
        ]
        sections.replace(Path(args.out), NAME, sections.section(NAME, lines))


if __name__ == "__main__":
    main()
