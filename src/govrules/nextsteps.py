"""What may come next for a document still in progress: a route minus the recorded trace.

`check` judges a finished trace, so a half-done one shows as missing steps. A clerk with a
document on the desk asks instead: which steps are done, which may be taken now (all their
predecessors done) and who takes them, and which wait on what. The answer is read off the
route (steps and precedence), so it never says more than `route` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["next_steps"]


def next_steps(route: Mapping[str, Any], trace: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The route's answer (`RouteResult.to_dict`) against the trace's (actor, action) pairs,
    in recorded order. A step is done when an entry has its action and actor; entries that
    match no step (opinions, returns, steps of no rule) are listed as `unplanned`."""
    steps = {s["id"]: s for s in route["steps"]}
    order = [s["id"] for s in route["steps"]]
    before: dict[str, set[str]] = {s: set() for s in order}
    for edge in route["precedence"]:
        if edge["after"] in before and edge["before"] in steps:
            before[edge["after"]].add(edge["before"])
    done_at: dict[str, int] = {}
    unplanned: list[dict[str, Any]] = []
    for index, (actor, action) in enumerate(trace):
        step = f"{action}:{actor}"
        if step in steps:
            done_at.setdefault(step, index)
        else:
            unplanned.append({"entry": index, "actor": actor, "action": action})
    # A step done before one that must precede it: `check` reports it; noted here so that a
    # clerk does not read "done" as "done right".
    early = [
        {"step": s, "entry": done_at[s], "must_come_first": p}
        for s in order
        if s in done_at
        for p in sorted(before[s])
        if done_at.get(p, len(done_at) + len(unplanned)) > done_at[s]
    ]
    pending = [s for s in order if s not in done_at]
    ready = [s for s in pending if before[s] <= done_at.keys()]
    waiting = [
        {"step": s, "waiting_for": sorted(before[s] - done_at.keys())}
        for s in pending
        if s not in ready
    ]
    return {
        "document": route.get("document", ""),
        "complete": not pending,
        "done": [{"step": s, "entry": done_at[s]} for s in order if s in done_at],
        "next": [steps[s] for s in ready],
        "waiting": waiting,
        "unplanned": unplanned,
        "early": early,
    }
