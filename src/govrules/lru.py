"""A bounded, thread-safe map, least recently used dropped first: what the engine keeps
between questions (groundings, answers, loaded organisations) must not grow without end
in a long-running service, and threads share it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["LRU"]

V = TypeVar("V")


class LRU(Generic[V]):
    """At most `size` values by key; a value found stale (`_stale`) is dropped when met."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, V] = OrderedDict()

    def _stale(self, value: V) -> bool:
        """Whether a kept value may no longer be used (none is, unless a subclass says)."""
        return False

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                if self._stale(found):
                    del self._items[key]
                    return None
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> V:
        """Keep `value` (or the one another thread kept first) and return the kept one."""
        with self._lock:
            found = self._items.get(key)
            if found is not None and not self._stale(found):
                self._items.move_to_end(key)
                return found
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return value

    def values(self) -> list[V]:
        with self._lock:
            return list(self._items.values())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
