"""Throughput of one `Policy` shared by 1, 2 and 4 threads (issue 15): `python -m
bench.threads [--calls N] [--rounds R]` prints a Markdown table of calls per second (route
with `limit=0` and check of the four example documents, alternating), the best of R rounds
per row, interleaved so that machine load affects every row alike.

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

from govrules.engine import Policy
from govrules.inputs import load_document, load_org
from govrules.resources import bundled_policy_dir

EXAMPLES = bundled_policy_dir() / "examples"
DOCUMENTS = ("doc-outgoing.yaml", "doc-bad-order.yaml", "doc-incoming.yaml", "doc-office.yaml")
THREADS = (1, 2, 4)


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
    args = parser.parse_args(argv)
    policy = Policy.load()
    org = load_org(EXAMPLES / "org.yaml")
    docs: list[object] = [load_document(EXAMPLES / name, org) for name in DOCUMENTS]
    _round(policy, org, docs, 1, 40)  # warm: the program parsed, the slices cut
    best = dict.fromkeys(THREADS, 0.0)
    for _ in range(args.rounds):
        for threads in THREADS:
            best[threads] = max(best[threads], _round(policy, org, docs, threads, args.calls))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"cores: {os.cpu_count()}, load average at the end: {load:.1f}")
    print(f"{args.calls} calls a round, best of {args.rounds} rounds\n")
    print("| threads | calls/s | vs 1 thread |")
    print("| --- | --- | --- |")
    for threads in THREADS:
        print(f"| {threads} | {best[threads]:.0f} | {best[threads] / best[1]:.2f}x |")


if __name__ == "__main__":
    main()
