"""`make bench`: every figure of bench/RESULTS.md, measured on this machine.

    python -m bench.run [--quick] [--out bench/RESULTS.md]

Sections: warm latency beside the floor, cold start, leave audits at three sizes (each in
a fresh process, for its peak memory), a batch of recorded traces on every core, and two
peers on the leave-clash decision. Nothing here is a test: no figure fails the run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import floor, gen, peers

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def latency(rounds: int) -> list[dict[str, Any]]:
    """Each decision and its floor, interleaved so that both see the same machine load."""
    from clingo import Function

    import govrules
    from govrules.asp.facts import day_number, document_facts, fact, fact_args, number, org_facts
    from govrules.inputs import load_document, load_org, load_plan
    from govrules.routing import deadline_fact_values

    policy = govrules.load_policy()
    # Keeps no answer and no grounding: every question ground afresh (slices still shared).
    fresh = govrules.load_policy()
    fresh.reuse_groundings = False
    org = govrules.load_org()
    outgoing = gen.load_example("doc-outgoing.yaml")
    incoming = gen.load_example("doc-incoming.yaml")
    plan = gen.load_example("plan.yaml")
    in_force = fact("in_force_from", number(day_number(policy.text.in_force_from)))
    base = [*org_facts(load_org(org)), in_force]

    def doc_facts(doc: dict[str, Any], mode: str) -> list[Any]:
        model = load_document(doc, org, policy.vocabulary)
        facts = [*base, *document_facts(model, org, policy.text.read_marks), floor.mode(mode)]
        if mode == "check":
            facts += [Function(n, a) for n, a in fact_args(deadline_fact_values(policy, model))]
        return facts

    from govrules.asp.facts import plan_facts
    from govrules.presence import workday_facts

    def leave_facts(model: Any) -> list[Any]:
        return [*base, *plan_facts(model), *workday_facts(policy, model, 0)]

    cases: list[tuple[str, str, Callable[[], object], Callable[[], object], int]] = [
        (
            "route",
            "doc-outgoing.yaml",
            lambda: policy.route(outgoing, org=org),
            _floor_call(floor.ROUTE, doc_facts(outgoing, "route"), models=101),
            len(policy.route(outgoing, org=org).orders),
        ),
        (
            "check",
            "doc-incoming.yaml",
            lambda: policy.check(incoming, org=org),
            _floor_call(floor.CHECK, doc_facts(incoming, "check")),
            len(policy.check(incoming, org=org).findings),
        ),
        (
            "check_leave",
            "plan.yaml",
            lambda: policy.check_leave(plan, org=org),
            _floor_call(floor.LEAVE, leave_facts(load_plan(plan, org))),
            len(policy.check_leave(plan, org=org).findings),
        ),
        (
            "check, ground afresh",
            "doc-incoming.yaml",
            lambda: fresh.check(incoming, org=org),
            _floor_call(floor.CHECK, doc_facts(incoming, "check")),
            len(fresh.check(incoming, org=org).findings),
        ),
        (
            "check_leave, ground afresh",
            "plan.yaml",
            lambda: fresh.check_leave(plan, org=org),
            _floor_call(floor.LEAVE, leave_facts(load_plan(plan, org))),
            len(fresh.check_leave(plan, org=org).findings),
        ),
    ]
    rows = []
    for name, example, ours, low, answers in cases:
        for _ in range(30):
            ours()
            low()
        mine: list[float] = []
        floors: list[float] = []
        for _ in range(rounds):
            started = time.perf_counter()
            ours()
            mine.append(time.perf_counter() - started)
            started = time.perf_counter()
            low()
            floors.append(time.perf_counter() - started)
        p50, p99 = _percentiles(mine)
        f50, f99 = _percentiles(floors)
        rows.append(
            {
                "decision": name,
                "input": example,
                "answers": answers,
                "p50": p50,
                "p99": p99,
                "floor_p50": f50,
                "floor_p99": f99,
            }
        )
    return rows


def _floor_call(program: str, facts: list[Any], models: int = 1) -> Callable[[], object]:
    def call() -> object:
        return floor.solve(program, facts, models=models)

    return call


def cold_start(runs: int) -> dict[str, Any]:
    """`govrules route` on the bundled example as a whole process, the policy cache warm:
    answered from its kit (`quickroute`, as every route after the first of a policy and
    organisation is), as JSON too, and by the full command line (GOVRULES_ROUTE_KIT=off,
    as a route the kit declines is); interleaved run by run."""
    example = ROOT / "policy" / "xihu-office-2020" / "examples" / "doc-outgoing.yaml"
    command = [str(Path(PYTHON).with_name("govrules")), "route", str(example)]
    kit = dict(os.environ)
    full = {**kit, "GOVRULES_ROUTE_KIT": "off"}
    variants = {
        "kit": (command, kit),
        "kit_json": ([*command, "--format", "json"], kit),
        "full": (command, full),
        "bare": ([PYTHON, "-c", "pass"], kit),
    }
    subprocess.run(command, capture_output=True, check=True, env=full)  # keeps the kit
    for args, env in variants.values():
        subprocess.run(args, capture_output=True, check=True, env=env)
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, (args, env) in variants.items():
            started = time.perf_counter()
            subprocess.run(args, capture_output=True, check=True, env=env)
            times[name].append(time.perf_counter() - started)
    imports = subprocess.run(
        [PYTHON, "-X", "importtime", "-m", "govrules", "route", str(example)],
        capture_output=True,
        text=True,
    ).stderr
    heavy = []
    for line in imports.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            heavy.append((int(parts[1]), parts[2].rstrip()))
    heavy.sort(reverse=True)
    heavy = [(us, name) for us, name in heavy if not name.strip().startswith("encodings")]
    return {
        "command": "govrules route " + str(example.relative_to(ROOT)),
        "median": statistics.median(times["kit"]),
        "min": min(times["kit"]),
        "json_median": statistics.median(times["kit_json"]),
        "full_median": statistics.median(times["full"]),
        "python_median": statistics.median(times["bare"]),
        "imports": heavy[:8],
    }


def _base_checkout(ref: str, into: Path) -> Path | None:
    """The source of `ref` (e.g. main) extracted into `into`, or None without git or ref."""
    try:
        subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", ref],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        archive = subprocess.run(
            ["git", "archive", ref], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
        # Bytecode compiled, as `make bench` compiles this checkout's: starts compare code,
        # not which side had its modules compiled already.
        subprocess.run(
            [PYTHON, "-m", "compileall", "-q", str(into / "src")], check=True, capture_output=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return into / "src"


def before_after(ref: str, rounds: int, runs: int) -> dict[str, Any] | None:
    """The same warm decisions and cold start on `ref` (its source, this environment),
    interleaved with this checkout's, so that both see the same machine load."""
    with tempfile.TemporaryDirectory() as tmp:
        base = _base_checkout(ref, Path(tmp))
        if base is None:
            return None
        commit = subprocess.run(
            ["git", "rev-parse", "--short", ref], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        envs = {"base": {**os.environ, "PYTHONPATH": str(base)}, "ours": dict(os.environ)}
        probes: dict[str, list[dict[str, Any]]] = {"base": [], "ours": []}
        for _ in range(3):
            for name, env in envs.items():
                out = subprocess.run(
                    [PYTHON, "-m", "bench.probe", str(rounds)],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                probes[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
        example = ROOT / "policy" / "xihu-office-2020" / "examples" / "doc-outgoing.yaml"
        starts: dict[str, list[float]] = {"base": [], "ours": []}
        cpu: dict[str, list[float]] = {"base": [], "ours": []}
        command = [PYTHON, "-m", "govrules", "route", str(example)]
        for env in envs.values():
            subprocess.run(command, env=env, capture_output=True)  # warm the policy cache
        for _ in range(runs):
            for name, env in envs.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                subprocess.run(command, env=env, capture_output=True)
                starts[name].append(time.perf_counter() - started)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append(
                    after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                )
    decisions = ("route", "check", "check_leave")
    return {
        "ref": ref,
        "commit": commit,
        "latency": {
            d: {n: statistics.median(p[d]["p50"] for p in probes[n]) for n in probes}
            for d in decisions
        },
        "cold": {n: statistics.median(starts[n]) for n in starts},
        "cold_cpu": {n: statistics.median(cpu[n]) for n in cpu},
    }


def audits(sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        out = subprocess.run(
            [PYTHON, "-m", "bench.audit", str(size)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return rows


def _size(row: dict[str, Any], key: str) -> str:
    """A grounding's size, or who answered without grounding (a big plan: DuckDB)."""
    value = row.get(key)
    return str(int(value)) if value is not None else "DuckDB"


def _exponent(rows: list[dict[str, Any]], key: str) -> float:
    xs = [math.log(r["people"]) for r in rows]
    ys = [math.log(float(r[key])) for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def batch(count: int) -> dict[str, Any]:
    """`govrules batch` over `count` recorded traces, on every core, as a whole process."""
    docs = gen.traces(count)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "traces.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for doc in docs:
                fh.write(json.dumps(doc, ensure_ascii=False, default=str) + "\n")
        command = [str(Path(PYTHON).with_name("govrules")), "batch", str(path)]
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        load = os.getloadavg()[0]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_seconds = (after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime)
        one = [*command, "--workers", "1"]
        started = time.perf_counter()
        single = subprocess.run(one, capture_output=True, text=True)
        single_seconds = time.perf_counter() - started
    lines = done.stdout.splitlines()
    return {
        "traces": count,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "load": load,
        "single_seconds": single_seconds,
        "exit": done.returncode,
        "lines": len(lines),
        "same_as_one_worker": done.stdout == single.stdout,
        "in_order": [json.loads(x)["line"] for x in lines] == list(range(1, count + 1)),
        "cores": os.cpu_count(),
    }


def peer_rows(sizes: list[int], rego_sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    import govrules

    policy = govrules.load_policy()
    policy.check_leave(gen.load_example("plan.yaml"), org=govrules.load_org())  # warm
    for size in sizes:
        org = gen.organisation(size)
        plan = gen.year_plan(org)
        started = time.perf_counter()
        result = policy.check_leave(plan, org=org, timeout=600)
        ours = time.perf_counter() - started
        clashes = sum(1 for f in result.findings if f.kind == "absent_together")
        days = [d.isoformat() for d in gen.workdays(policy, plan)]  # the calendar: not timed
        started = time.perf_counter()
        python = peers.python_clashes(org, plan, days)
        python_seconds = time.perf_counter() - started
        row: dict[str, Any] = {
            "people": size,
            "govrules": ours,
            "govrules_clashes": clashes,
            "python": python_seconds,
            "python_clashes": python,
        }
        if size in rego_sizes:
            started = time.perf_counter()
            try:
                row["rego_clashes"] = peers.rego_clashes(org, plan, days)
            except Exception as err:  # rego-cpp reports errors as exceptions
                row["rego_error"] = type(err).__name__
            row["rego"] = time.perf_counter() - started
        rows.append(row)
    return rows


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, load average at start "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller sizes")
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    quick = args.quick
    import clingo

    machine = _machine()
    print("latency…", file=sys.stderr)
    lat = latency(200 if quick else 1000)
    print("cold start…", file=sys.stderr)
    cold = cold_start(5 if quick else 20)
    print("before and after…", file=sys.stderr)
    compared = before_after(
        os.environ.get("BENCH_BASE", "main"), 100 if quick else 300, 5 if quick else 10
    )
    print("audits…", file=sys.stderr)
    sizes = [100, 1000] if quick else [100, 1000, 10000]
    audit = audits(sizes)
    print("batch…", file=sys.stderr)
    batched = batch(1000 if quick else 10000)
    print("peers…", file=sys.stderr)
    peer = peer_rows(sizes, [100])
    report = render(quick, machine, clingo.__version__, lat, cold, audit, batched, peer, compared)
    from bench import sections

    # Sections written apart, each by its own benchmark.
    for own in (
        "bench.serve",
        "bench.duckdb_peer",
        "bench.lean",
        "bench.threads",
        "bench.files",
        "bench.columnar",
    ):
        report += sections.kept(Path(args.out), own)
    Path(args.out).write_text(report, encoding="utf-8")
    print(report)


def render(
    quick: bool,
    machine: str,
    clingo_version: str,
    lat: list[dict[str, Any]],
    cold: dict[str, Any],
    audit: list[dict[str, Any]],
    batched: dict[str, Any],
    peer: list[dict[str, Any]],
    compared: dict[str, Any] | None = None,
) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# govrules benchmarks",
        "",
        f"Measured {now} with `{'make bench QUICK=1' if quick else 'make bench'}` "
        f"(`python -m bench.run{' --quick' if quick else ''}`); clingo {clingo_version}.",
        f"Machine: {machine}.",
        "",
        "## 1. Warm decisions through the Python API",
        "",
        "Policy loaded once; inputs are the bundled examples as plain dicts (validated on every",
        "call, as a service receiving JSON would); the floor is a hand-written clingo program for",
        "that one decision fed the same symbols (built before the clock), interleaved run by run.",
        "",
        "| decision | input | answers | p50 ms | p99 ms | floor p50 ms | floor p99 ms "
        "| p50 / floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in lat:
        out.append(
            f"| `{r['decision']}` | {r['input']} | {r['answers']} | {_ms(r['p50'])} | "
            f"{_ms(r['p99'])} | {_ms(r['floor_p50'])} | {_ms(r['floor_p99'])} | "
            f"{r['p50'] / r['floor_p50']:.2f}x |"
        )
    out += [
        "",
        "(answers: orders for route, findings for check and check_leave.) The first rows ask",
        "as an office does, again and again: a check of an order type seen before takes its",
        "kept answer (`asp.ordertype`), a plan asked before its kept answer",
        "(`presence.plan_answer`). The rows *ground afresh* are the same questions on a policy",
        "that keeps nothing (`reuse_groundings = False`): what a question never seen costs.",
        "",
        "## 2. Cold start",
        "",
        f"`{cold['command']}` as a whole process, compiled-policy cache warm, answered from",
        f"its kit (`quickroute`): median **{_ms(cold['median'])} ms** (best "
        f"{_ms(cold['min'])} ms); with `--format json` {_ms(cold['json_median'])} ms. The",
        "full command line (`GOVRULES_ROUTE_KIT=off`, as for a route the kit declines) takes "
        f"{_ms(cold['full_median'])} ms; a bare `python -c pass` {_ms(cold['python_median'])} "
        "ms. Interleaved run by run.",
        "",
        "Heaviest imports of the kit's route (`python -X importtime -m govrules route …`, "
        "cumulative µs):",
        "",
    ]
    out += [f"- {name.strip()}: {us} µs" for us, name in cold["imports"]]
    if compared is not None:
        lat_rows = compared["latency"]
        out += [
            "",
            f"### Before and after: `{compared['ref']}` ({compared['commit']}) beside this "
            "checkout",
            "",
            "The same rules and inputs; the other version's source run in this environment,",
            "interleaved with this one's (three rounds of each; medians).",
            "",
            "| measure | before ms | after ms | speed-up |",
            "| --- | ---: | ---: | ---: |",
        ]
        for name, row in lat_rows.items():
            out.append(
                f"| `{name}` p50 | {row['base']:.2f} | {row['ours']:.2f} | "
                f"{row['base'] / row['ours']:.1f}x |"
            )
        for key, label in (("cold", "cold start, wall"), ("cold_cpu", "cold start, CPU")):
            base, ours = compared[key]["base"], compared[key]["ours"]
            out.append(f"| {label} | {base * 1000:.0f} | {ours * 1000:.0f} | {base / ours:.1f}x |")
    out += [
        "",
        "## 3. Leave audit: a year (2021) of absences, 8% of days away",
        "",
        "Each size in a fresh process. *End to end*: `check_leave(plan_dict, org=org_dict)`",
        "(validation, facts, grounding, solving, findings). *From models*: the same with the",
        "organisation and plan already validated. *Floor*: the hand-written program, fed the",
        "symbols govrules builds (built before the clock). Grounding size from clingo's",
        "statistics (`problem.lp`); *DuckDB* where the plan was big enough to be evaluated",
        "there (`asp/columnar.py`, from 8,000 absences): nothing is ground.",
        "",
        "| people | absences | findings | end to end s | from models s | floor s | "
        "end to end / floor | from models / floor | atoms | rules | floor atoms | peak RSS MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in audit:
        out.append(
            f"| {r['people']} | {r['absences']} | {r['findings']} | {r['seconds']:.3f} | "
            f"{r['seconds_from_models']:.3f} | {r['floor_seconds']:.3f} | "
            f"{r['seconds'] / r['floor_seconds']:.1f}x | "
            f"{r['seconds_from_models'] / r['floor_seconds']:.1f}x | {_size(r, 'atoms')} | "
            f"{_size(r, 'rules')} | {int(r['floor_atoms'])} | {r['peak_rss_mib']:.0f} |"
        )
    grounded = [r for r in audit if r.get("atoms") is not None]
    if len(audit) >= 2 and len(grounded) >= 2:
        out += [
            "",
            "Scaling exponents (least-squares slope of log value on log people): end to end "
            f"**{_exponent(audit, 'seconds'):.2f}**, from models "
            f"{_exponent(audit, 'seconds_from_models'):.2f}, floor "
            f"{_exponent(audit, 'floor_seconds'):.2f}, atoms {_exponent(grounded, 'atoms'):.2f}, "
            f"rules {_exponent(grounded, 'rules'):.2f} (over the sizes clingo grounds). "
            "Findings agree with the floor: "
            + ", ".join(
                f"{r['findings']} = {r['floor_findings']}"
                if r["findings"] == r["floor_findings"]
                else f"{r['findings']} ≠ {r['floor_findings']}"
                for r in audit
            )
            + ".",
        ]
    out += [
        "",
        "## 4. Batch: `govrules batch traces.jsonl`",
        "",
        f"{batched['traces']} recorded traces (the bundled examples renumbered, one in five "
        f"with two entries swapped), as a whole process on {batched['cores']} cores: "
        f"**{batched['seconds']:.2f} s** wall ({batched['seconds'] / batched['traces'] * 1000:.2f} "
        f"ms a trace), {batched['cpu_seconds']:.2f} CPU seconds in all processes "
        f"({batched['cpu_seconds'] / batched['traces'] * 1000:.2f} ms a trace; on "
        f"{batched['cores']} idle cores that is about "
        f"{batched['cpu_seconds'] / batched['cores']:.1f} s wall); load average when it "
        f"started {batched['load']:.2f}. With `--workers 1`: "
        f"{batched['single_seconds']:.2f} s. Exit status "
        f"{batched['exit']}; {batched['lines']} result lines, in input order: "
        f"{batched['in_order']}; byte-identical to the one-worker run: "
        f"{batched['same_as_one_worker']}.",
        "",
        "## 5. Peers on the leave-clash decision",
        "",
        "A deputy director and the vice-mayor in charge on vacation at the same time, over the",
        "same organisation and plan as plain data. govrules runs the whole of article 39 (clashes",
        "and advance reports) end to end from plain data; the peers compute the clashes only.",
        "Rego runs in regopy (rego-cpp), module, input and query all timed.",
        "",
        "| people | govrules s | clashes | plain Python s | clashes | govrules / Python | "
        "Rego s | clashes | govrules / Rego |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in peer:
        rego = (
            f"{r['rego']:.3f} | {r.get('rego_clashes', r.get('rego_error', '-'))} | "
            f"{r['govrules'] / r['rego']:.3f}x"
            if "rego" in r
            else "not run | - | -"
        )
        out.append(
            f"| {r['people']} | {r['govrules']:.3f} | {r['govrules_clashes']} | "
            f"{r['python']:.4f} | {r['python_clashes']} | {r['govrules'] / r['python']:.0f}x | "
            f"{rego} |"
        )
    out.append("")
    notes = Path(__file__).with_name("NOTES.md")
    if notes.is_file():
        out += ["", notes.read_text(encoding="utf-8").rstrip(), ""]
    return "\n".join(out)


if __name__ == "__main__":
    main()
