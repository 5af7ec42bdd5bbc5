"""`make soak`: the engine against the oracle on many generated cases, in parallel.

    python -m tests.oracle.soak --count 100000 --jobs 2 [--seed S]

Prints how many cases ran and every disagreement (each with its input, to paste into a
regression test); exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import signal
import sys
import time
import warnings
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from tests.oracle.compare import compare, compare_leave
from tests.oracle.strategies import cases, leave_cases

from govrules.engine import Policy
from govrules.errors import InputWarning

LEAVE_SHARE = 4  # one case in four is a plan of absences


def run(count: int, seed_value: int) -> tuple[int, list[dict[str, Any]]]:
    """Run `count` generated cases; return how many ran and the disagreements."""
    warnings.simplefilter("ignore", InputWarning)  # odd names are the point here
    policy = Policy.load()
    ran = 0
    found: list[dict[str, Any]] = []

    common = settings(
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )

    def record(kind: str, case: dict[str, Any], problems: list[str]) -> None:
        nonlocal ran
        ran += 1
        if problems:
            found.append({"kind": kind, **case, "problems": problems})

    @seed(seed_value)
    @settings(common, max_examples=count - count // LEAVE_SHARE)
    @given(cases())
    def documents(case: Any) -> None:
        org, orgm, data, doc, interpretations = case
        try:
            problems = compare(policy, orgm, doc, interpretations)
        except Exception as err:  # an exception is a disagreement too
            problems = [f"exception {type(err).__name__}: {err}"]
        record(
            "document", {"org": org, "document": data, "interpretations": interpretations}, problems
        )

    @seed(seed_value)
    @settings(common, max_examples=count // LEAVE_SHARE)
    @given(leave_cases())
    def plans(case: Any) -> None:
        org, orgm, data, plan, interpretations = case
        try:
            problems = compare_leave(policy, orgm, plan, interpretations)
        except Exception as err:
            problems = [f"exception {type(err).__name__}: {err}"]
        record("plan", {"org": org, "plan": data, "interpretations": interpretations}, problems)

    documents()
    if count // LEAVE_SHARE:
        plans()
    return ran, found


CHUNK = 500  # cases per task: progress and partial results are reported chunk by chunk


def _worker(args: tuple[int, int]) -> tuple[int, list[dict[str, Any]]]:
    return run(*args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--minutes", type=float, default=None, help="stop after this long, reporting the count"
    )
    args = parser.parse_args(argv)
    base = args.seed if args.seed is not None else random.randrange(2**32)
    tasks = [
        (min(CHUNK, args.count - i * CHUNK), base + i)
        for i in range((args.count + CHUNK - 1) // CHUNK)
    ]
    # A background job inherits SIGINT ignored: take SIGTERM and SIGINT as "stop and report".
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.default_int_handler)
    start = time.monotonic()
    ran, found = 0, []
    with multiprocessing.get_context("spawn").Pool(max(1, args.jobs)) as pool:
        try:
            for n, ds in pool.imap_unordered(_worker, tasks):
                ran += n
                found += ds
                for d in ds:
                    print(json.dumps(d, ensure_ascii=False), file=sys.stderr, flush=True)
                elapsed = time.monotonic() - start
                print(
                    f"soak: {ran} cases, {len(found)} disagreements ({elapsed:.0f} s)", flush=True
                )
                if args.minutes is not None and elapsed > args.minutes * 60:
                    break
        except KeyboardInterrupt:
            pass
        pool.terminate()
    print(
        f"soak: {ran} cases (seed {base}, {args.jobs} jobs, {time.monotonic() - start:.0f} s), "
        f"{len(found)} disagreements"
    )
    return 1 if found or ran < args.count else 0


if __name__ == "__main__":
    sys.exit(main())
