"""Warm latency of whichever govrules is importable: `python -m bench.probe ROUNDS` prints
one JSON line of p50 and p99 (ms) for route, check and check_leave on the bundled examples.
Run with PYTHONPATH pointing at another checkout's `src` to measure that version alike."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

EXAMPLES = Path(__file__).resolve().parent.parent / "policy" / "xihu-office-2020" / "examples"


def main(rounds: int) -> None:
    import govrules

    yaml = YAML(typ="safe")

    def load(name: str) -> Any:
        return yaml.load((EXAMPLES / name).read_text(encoding="utf-8"))

    policy = govrules.load_policy()
    org = govrules.load_org()
    outgoing, incoming, plan = (
        load("doc-outgoing.yaml"),
        load("doc-incoming.yaml"),
        load("plan.yaml"),
    )
    calls: dict[str, Callable[[], object]] = {
        "route": lambda: policy.route(outgoing, org=org),
        "check": lambda: policy.check(incoming, org=org),
        "check_leave": lambda: policy.check_leave(plan, org=org),
    }
    out: dict[str, Any] = {"version": str(Path(govrules.__file__).resolve().parent)}
    for name, call in calls.items():
        for _ in range(20):
            call()
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        samples.sort()
        out[name] = {
            "p50": samples[len(samples) // 2] * 1000,
            "p99": samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1000,
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
