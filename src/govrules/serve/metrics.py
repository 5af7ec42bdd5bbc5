"""Prometheus text exposition of one worker's decisions, latency and errors.

Written by hand (a few counters and one histogram) rather than with prometheus_client: no
dependency, no global registry, and nothing that needs a multiprocess directory. Each
worker process answers for itself; its `pid` label tells workers apart.
"""

from __future__ import annotations

import os
import threading

__all__ = ["BUCKETS", "Metrics"]

# Seconds: a route answers in milliseconds, a year's leave suggestion in about a second.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _labels(**values: str) -> str:
    inner = ",".join(f'{k}="{v}"' for k, v in sorted(values.items()))
    return "{" + inner + "}"


class Metrics:
    """Counters and a latency histogram, updated from the event loop and worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.decisions: dict[tuple[str, str], int] = {}  # (verb, outcome) -> count
        self.errors: dict[str, int] = {}  # kind -> count
        self.shed = 0
        self.inflight = 0
        self._hist: dict[str, list[int]] = {}  # verb -> per-bucket counts (+Inf last)
        self._sum: dict[str, float] = {}

    def decided(self, verb: str, outcome: str, seconds: float) -> None:
        with self._lock:
            key = (verb, outcome)
            self.decisions[key] = self.decisions.get(key, 0) + 1
            counts = self._hist.setdefault(verb, [0] * (len(BUCKETS) + 1))
            index = next((i for i, b in enumerate(BUCKETS) if seconds <= b), len(BUCKETS))
            counts[index] += 1
            self._sum[verb] = self._sum.get(verb, 0.0) + seconds

    def error(self, kind: str) -> None:
        with self._lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1

    def shed_one(self) -> None:
        with self._lock:
            self.shed += 1

    def total(self) -> int:
        with self._lock:
            return sum(self.decisions.values())

    def render(self) -> str:
        pid = str(os.getpid())
        with self._lock:
            lines = [
                "# HELP govrules_decisions_total Decisions answered, by verb and outcome.",
                "# TYPE govrules_decisions_total counter",
            ]
            for (verb, outcome), n in sorted(self.decisions.items()):
                lines.append(
                    f"govrules_decisions_total{_labels(verb=verb, outcome=outcome, pid=pid)} {n}"
                )
            lines += [
                "# HELP govrules_errors_total Requests refused or failed, by kind.",
                "# TYPE govrules_errors_total counter",
            ]
            for kind, n in sorted(self.errors.items()):
                lines.append(f"govrules_errors_total{_labels(kind=kind, pid=pid)} {n}")
            lines += [
                "# HELP govrules_shed_total Requests refused with 503 because the queue was full.",
                "# TYPE govrules_shed_total counter",
                f"govrules_shed_total{_labels(pid=pid)} {self.shed}",
                "# HELP govrules_inflight Decisions running or queued now.",
                "# TYPE govrules_inflight gauge",
                f"govrules_inflight{_labels(pid=pid)} {self.inflight}",
                "# HELP govrules_decision_seconds Time to answer a decision, by verb.",
                "# TYPE govrules_decision_seconds histogram",
            ]
            for verb, counts in sorted(self._hist.items()):
                running = 0
                for bound, n in zip((*BUCKETS, None), counts, strict=True):
                    running += n
                    le = "+Inf" if bound is None else repr(bound)
                    lines.append(
                        f"govrules_decision_seconds_bucket{_labels(verb=verb, le=le, pid=pid)} "
                        f"{running}"
                    )
                lines.append(
                    f"govrules_decision_seconds_sum{_labels(verb=verb, pid=pid)} "
                    f"{self._sum[verb]:.6f}"
                )
                lines.append(
                    f"govrules_decision_seconds_count{_labels(verb=verb, pid=pid)} {running}"
                )
        return "\n".join(lines) + "\n"
