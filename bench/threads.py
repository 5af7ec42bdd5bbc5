"""Throughput of one `Policy` shared by 1, 2 and 4 threads (issues 15, 16): `python -m
bench.threads [--calls N] [--rounds R] [--out bench/RESULTS.md]` writes its section of
RESULTS.md (and prints it): calls per second (route with `limit=0` and check of the four
example documents, alternating), the best of R rounds per row, interleaved so that machine
load affects every row alike.

Grounding and solving release the GIL, so threads can overlap inside clingo; the Python
around each call (facts, reading the answer) and the one lock on clingo's shared AST
(`govrules.asp.shared`) do not. On N cores, processes (`check_many(workers=N)`) scale
further than threads.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

from bench import sections
from govrules.engine import Policy
from govrules.inputs import load_document, load_org
from govrules.resources import bundled_policy_dir

EXAMPLES = bundled_policy_dir() / "examples"
DOCUMENTS = ("doc-outgoing.yaml", "doc-bad-order.yaml", "doc-incoming.yaml", "doc-office.yaml")
THREADS = (1, 2, 4)
NAME = "bench.threads"
ROOT = Path(__file__).resolve().parent.parent


def _round(policy: Policy, org: object, docs: list[object], threads: int, calls: int) -> float:
    """Calls per second with `threads` threads sharing `policy`, `calls` in all."""
    barrier = threading.Barrier(threads + 1)
    each = calls // threads

    def work(index: int) -> None:
        barrier.wait()
        for n in range(each):
            doc = docs[(index + n) % len(docs)]
            if n % 2:
                policy.route(doc, org, limit=0)  # type: ignore[arg-type]
            else:
                policy.check(doc, org)  # type: ignore[arg-type]

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    barrier.wait()
    started = time.perf_counter()
    for w in workers:
        w.join()
    return each * threads / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args(argv)
    policy = Policy.load()
    org = load_org(EXAMPLES / "org.yaml")
    docs: list[object] = [load_document(EXAMPLES / name, org) for name in DOCUMENTS]
    _round(policy, org, docs, 1, 40)  # warm: the program parsed, the slices cut
    best = dict.fromkeys(THREADS, 0.0)
    for _ in range(args.rounds):
        for threads in THREADS:
            best[threads] = max(best[threads], _round(policy, org, docs, threads, args.calls))
    when, load = sections.stamp()
    lines = [
        "## 9. One `Policy` shared by threads (`python -m bench.threads`)",
        "",
        f"Measured {when}; {os.cpu_count()} cores; load average at the end {load}. "
        f"{args.calls} calls a round (route with `limit=0` and check, alternating, over the "
        f"four example documents), best of {args.rounds} rounds, the thread counts "
        "interleaved. Grounding and solving release the GIL; the Python around each call "
        "does not: past the cores, processes (`check_many(workers=N)`) scale further.",
        "",
        "| threads | calls/s | vs 1 thread |",
        "| ---: | ---: | ---: |",
        *(f"| {t} | {best[t]:.0f} | {best[t] / best[1]:.2f}x |" for t in THREADS),
    ]
    section = sections.section(NAME, lines)
    sections.replace(Path(args.out), NAME, section)
    print(section)


if __name__ == "__main__":
    main()
