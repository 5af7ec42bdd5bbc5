"""Organisations sent as data with every question, loaded once.

A service or an OA system embedding the engine often sends the organisation with each
document. Loading it (validation, checks, name warnings) takes longer than a warm question,
and each load is a new model object, so none of what a policy keeps per organisation
(its facts, groundings, answers) would be found again. So an organisation given as plain
data is kept, by its exact content, and the same frozen model is returned for the same
content; its warnings are issued again on every load, as a fresh load would.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Generic, TypeVar

__all__ = ["KEEP_PEOPLE_UP_TO", "Kept", "content_key"]

# Organisations up to this size are kept (a year's audit of a big one is asked once; its
# key alone would cost as much as keeping saves).
KEEP_PEOPLE_UP_TO = 2_000

V = TypeVar("V")


def content_key(value: object) -> str | None:
    """The exact content of plain data as text (key order kept: it can matter, e.g. which
    of two units sharing a display name is meant), or None for anything else: a path, a
    model, data holding other types (a `date`), or an organisation too big to keep."""
    if not isinstance(value, Mapping):
        return None
    people = value.get("people")
    if isinstance(people, list | tuple) and len(people) > KEEP_PEOPLE_UP_TO:
        return None
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError, RecursionError):
        return None


class Kept(Generic[V]):
    """A bounded map of loaded inputs by content key, least recently used dropped; safe to
    share by threads."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: str, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
