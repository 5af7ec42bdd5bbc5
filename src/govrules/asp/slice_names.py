"""How a program's slices are named in the compiled-policy cache (`slicing.KeptSlices`).

Apart from `slicing` (which parses and walks programs) so that a route answered from its
kit (`quickroute`) finds its slice without importing the parser.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from clingo import Symbol

__all__ = ["KeptExact", "KeptSlice", "Key", "Signature", "slice_key", "slice_name"]

Signature = tuple[str, int]
Key = tuple[frozenset[str], frozenset[Signature] | None, frozenset[Signature] | None]


@dataclass(frozen=True)
class KeptExact:
    """The exact predicates of a program (`SlicedProgram.exact`), kept in the cache so that
    a process can look its slices up without parsing the program."""

    exact: tuple[Signature, ...]


@dataclass(frozen=True)
class KeptSlice:
    """One slice of a program as text, kept in the cache under its key."""

    source: str


def slice_name(analysis_name: str, key: Key) -> str:
    """The cache entry of one slice: the program's analysis entry (which names the text,
    this module's code and the versions) and the key, written out in a fixed order."""
    exact, shown, goals = key
    spelled = json.dumps(
        [
            sorted(exact),
            None if shown is None else sorted(shown),
            None if goals is None else sorted(goals),
        ],
        ensure_ascii=False,
    )
    return "slice-" + hashlib.sha256(f"{analysis_name}\0{spelled}".encode()).hexdigest()[:40]


def slice_key(
    exact: Iterable[Symbol],
    present: Iterable[Signature] | None,
    goals: Iterable[Signature] | None,
    predicates: frozenset[Signature],
) -> Key:
    """What a slice is cut by: the exact facts as text, the other input predicates that
    have facts (`present`, less the exact `predicates`) and the goals."""
    shown = None if present is None else frozenset(present) - predicates
    wanted = None if goals is None else frozenset(goals)
    return (frozenset(str(s) for s in exact), shown, wanted)
