"""What threads share inside clingo, and the one lock that guards it.

clingo releases the GIL in every call, so two threads really do run inside it at once.
Controls, symbols and grounding are safe that way (each question has its own `Control`);
the non-ground AST is not: `ProgramBuilder.add` converts a statement by walking (and
reference-counting) its nodes, and a policy's parsed statements are shared by every
question. Two threads adding the same statements at once corrupted them ("invalid ast:
term expected", then a segfault). Every use of a shared AST therefore holds `AST_LOCK`;
it covers only the conversion (well under a millisecond a question), not grounding or
solving, which still run in parallel.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from clingo import Control
from clingo.ast import AST, ProgramBuilder

__all__ = ["AST_LOCK", "add_statements"]

AST_LOCK = threading.RLock()


def add_statements(ctl: Control, statements: Iterable[AST]) -> None:
    """Add parsed statements to a control, one thread at a time."""
    with AST_LOCK, ProgramBuilder(ctl) as builder:
        for statement in statements:
            builder.add(statement)
