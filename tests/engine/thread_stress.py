"""One `Policy` shared by threads: every answer equals the one-thread answer.

Run by `test_threads.py` in a child process (a crash inside clingo is then a failed test,
not a dead test run): `python -m tests.engine.thread_stress --runs 10 --threads 4
--calls 50`. Each run loads a fresh policy, so the threads also race for the first
question and for parsing the program once; they start together on a barrier and mix
`route` and `check` of the example documents and `check_leave` of the example plans (each
asked again and again, so kept answers are shared between threads too). Prints one JSON
line; exits 1 on any wrong answer or error.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import traceback
from typing import Any

from govrules.engine import Policy
from govrules.inputs import load_document, load_org, load_plan
from govrules.resources import bundled_policy_dir

EXAMPLES = bundled_policy_dir() / "examples"
DOCUMENTS = ("doc-outgoing.yaml", "doc-bad-order.yaml", "doc-incoming.yaml", "doc-office.yaml")
PLANS = ("plan.yaml", "plan-2021.yaml")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args(argv)
    org = load_org(EXAMPLES / "org.yaml")
    docs = [load_document(EXAMPLES / name, org) for name in DOCUMENTS]
    plans = [load_plan(EXAMPLES / name, org) for name in PLANS]
    alone = Policy.load()
    expected = {
        (verb, i): (
            alone.route(doc, org, limit=0) if verb == "route" else alone.check(doc, org)
        ).to_json()
        for verb in ("route", "check")
        for i, doc in enumerate(docs)
    }
    expected |= {("leave", i): alone.check_leave(p, org).to_json() for i, p in enumerate(plans)}
    failures: list[str] = []
    started = time.perf_counter()
    for run in range(args.runs):
        policy = Policy.load()
        barrier = threading.Barrier(args.threads)

        def work(
            index: int, policy: Policy = policy, run: int = run, barrier: Any = barrier
        ) -> None:
            barrier.wait()
            for call in range(args.calls):
                verb = ("check", "route", "leave")[call % 3]
                which = (index + call) % (len(plans) if verb == "leave" else len(docs))
                try:
                    if verb == "route":
                        got = policy.route(docs[which], org, limit=0).to_json()
                    elif verb == "check":
                        got = policy.check(docs[which], org).to_json()
                    else:
                        got = policy.check_leave(plans[which], org).to_json()
                except Exception:
                    failures.append(f"run {run} thread {index}: {traceback.format_exc()}")
                    continue
                if got != expected[(verb, which)]:
                    name = (PLANS if verb == "leave" else DOCUMENTS)[which]
                    failures.append(f"run {run} thread {index}: {verb} {name} differs")

        threads = [threading.Thread(target=work, args=(i,)) for i in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    summary = {
        "runs": args.runs,
        "threads": args.threads,
        "calls": args.runs * args.threads * args.calls,
        "failures": len(failures),
        "seconds": round(time.perf_counter() - started, 2),
        "first": failures[:3],
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
