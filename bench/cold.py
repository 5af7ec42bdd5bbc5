"""Cold start of a one-shot `govrules route` (warm compiled-policy cache), wall and CPU.

`python -m bench.cold --runs 20` times `python -m govrules route doc-outgoing.yaml` in a
fresh interpreter per run, after one warm-up run that fills the compiled-policy cache.
Routes after the first of a policy and organisation are answered from their kit
(`quickroute`); `--full` times the full command line instead (GOVRULES_ROUTE_KIT=off).
With `--before SRC` it times a second source tree (e.g. a `git archive` of main's `src`)
with the same interpreter, interleaved run by run, so both see the same machine load.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXAMPLE = (
    Path(__file__).resolve().parent.parent
    / "policy"
    / "xihu-office-2020"
    / "examples"
    / "doc-outgoing.yaml"
)


def _once(src: str | None, args: list[str], full: bool = False) -> tuple[float, float]:
    """One run's wall and CPU seconds (the child's user + system time)."""
    env = dict(os.environ)
    if full:
        env["GOVRULES_ROUTE_KIT"] = "off"
    if src is not None:
        env["PYTHONPATH"] = src
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "govrules", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--before", default=None, help="another src tree to time beside")
    parser.add_argument("--format", default="text", choices=["text", "json"])
    parser.add_argument("--full", action="store_true", help="the full command line, no kit")
    options = parser.parse_args()
    args = ["route", str(EXAMPLE), "--format", options.format]
    trees: dict[str, str | None] = {"this tree": None}
    if options.before:
        trees = {"before": options.before, **trees}
    for src in trees.values():
        _once(src, args, full=True)  # warm the compiled-policy cache, keep the kit
    walls: dict[str, list[float]] = {k: [] for k in trees}
    cpus: dict[str, list[float]] = {k: [] for k in trees}
    for _ in range(options.runs):
        for name, src in trees.items():
            wall, cpu = _once(src, args, options.full)
            walls[name].append(wall)
            cpus[name].append(cpu)
    print(f"govrules {' '.join(args[:1])} --format {options.format}, {options.runs} runs")
    print(f"load average {os.getloadavg()[0]:.1f}")
    for name in trees:
        print(
            f"{name}: median wall {statistics.median(walls[name]) * 1000:.0f} ms "
            f"(min {min(walls[name]) * 1000:.0f}), "
            f"median CPU {statistics.median(cpus[name]) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
