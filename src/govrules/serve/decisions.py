"""Decision logs: one JSON line per decision, for audit, with personal data masked.

Names and the details of an absence are personal information; by default a line keeps
what an auditor needs to find and replay a decision (its id, time, the policy revision,
a hash of the input, the verb, what was decided: compliant or not, the kinds of findings,
their articles) and none of the names or dates. `unmasked` adds the request and the
findings' messages, for a deployment that is allowed to keep them.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["DecisionLog", "input_hash", "summary"]


def input_hash(body: Mapping[str, Any]) -> str:
    """sha256 of the request as canonical JSON: the same input, the same hash."""
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def summary(verb: str, answer: Mapping[str, Any]) -> dict[str, Any]:
    """What was decided, without names: outcome, counts, kinds of findings and articles."""
    out: dict[str, Any] = {}
    if "compliant" in answer:
        out["compliant"] = answer["compliant"]
    findings = answer.get("findings")
    if isinstance(findings, list):
        out["findings"] = [
            {k: f[k] for k in ("kind", "article", "rule", "severity") if k in f} for f in findings
        ]
    for key in ("order_count", "complete", "found", "days_moved", "people_moved"):
        if key in answer:
            out[key] = answer[key]
    for key in ("steps", "next", "acting", "changes", "explanations", "sets"):
        if isinstance(answer.get(key), list):
            out[f"{key}_count"] = len(answer[key])
    if "due" in answer:
        out["due"] = answer["due"]  # a date computed from a date: no person in it
    return out


class DecisionLog:
    """Appends JSON lines to a file; one `write` per line, so worker processes sharing the
    file (opened for appending) do not interleave within a line."""

    def __init__(self, path: Path, *, unmasked: bool = False) -> None:
        self.path = path
        self.unmasked = unmasked
        self._lock = threading.Lock()
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        self._fd = os.open(path, flags, 0o600)

    def write(
        self,
        *,
        decision_id: str,
        revision: str,
        verb: str,
        body: Mapping[str, Any],
        status: int,
        answer: Mapping[str, Any] | None,
        error: Mapping[str, Any] | None = None,
    ) -> None:
        record: dict[str, Any] = {
            "decision_id": decision_id,
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "policy_revision": revision,
            "input_sha256": input_hash(body),
            "verb": verb,
            "status": status,
            "masked": not self.unmasked,
        }
        if answer is not None:
            record["result"] = summary(verb, answer)
            if self.unmasked and isinstance(answer.get("findings"), list):
                record["result"]["messages"] = [f.get("message") for f in answer["findings"]]
        if error is not None:
            # The message names the offending value (often a name): only code and path kept.
            record["error"] = {k: error[k] for k in ("kind", "code", "path") if k in error}
            if self.unmasked:
                record["error"]["message"] = error.get("message")
        if self.unmasked:
            record["request"] = dict(body)
        line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
        with self._lock:
            os.write(self._fd, line.encode())

    def close(self) -> None:
        os.close(self._fd)
