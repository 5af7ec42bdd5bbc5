"""A document's twin: the same steps in the same order, every time moved by whole weeks, so
of the same order type (`asp.ordertype`) whenever no date crosses a change of calendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any


def moved(data: dict[str, Any], weeks: int) -> dict[str, Any]:
    """The same document with every time moved by whole weeks."""

    def move(text: Any) -> str:
        moment = datetime.fromisoformat(str(text)) + timedelta(weeks=weeks)
        return moment.strftime("%Y-%m-%dT%H:%M")

    doc = dict(data["document"])
    if "received" in doc:
        doc["received"] = move(doc["received"])
    trace = [{**e, "at": move(e["at"])} for e in data.get("trace", [])]
    return {**data, "document": doc, "trace": trace}
