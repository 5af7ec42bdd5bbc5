"""How an answer names a policy's words: a role, relation, unit, condition or action by
its label in the reader's language.

One implementation for the compiled program (`ir.Program.label`) and for a route answered
from its kit (`quickroute`), which has the labels but not the program.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["Labels"]

# Whoever fills a step may be any of these words; the first that has a label names it.
_FILLER_KINDS = ("role", "relation", "unit", "flag")


class Labels:
    """The labels of a vocabulary, by (kind, identifier): (Chinese, English)."""

    def __init__(self, labelled: Mapping[tuple[str, str], tuple[str, str]]) -> None:
        self._labelled = dict(labelled)

    @classmethod
    def of(cls, words: Iterable[tuple[str, str, str, str]]) -> Labels:
        """From (kind, identifier, zh, en) in declaration order: the first of each counts."""
        labelled: dict[tuple[str, str], tuple[str, str]] = {}
        for kind, ident, zh, en in words:
            labelled.setdefault((kind, ident), (zh, en))
        return cls(labelled)

    def items(self) -> list[tuple[str, str, str, str]]:
        """(kind, identifier, zh, en) of every labelled word: what `of` takes back."""
        return [(k, i, zh, en) for (k, i), (zh, en) in self._labelled.items()]

    def label(self, kind: str, ident: str, lang: str) -> str:
        if "|" in ident:  # a step's alternatives (A 或 B)
            sep = " or " if lang == "en" else "或"
            return sep.join(self.label(kind, part, lang) for part in ident.split("|"))
        found = self._labelled.get((kind, ident))
        if found is None:
            return ident
        return found[1] if lang == "en" else found[0]

    def role_label(self, ident: str, lang: str) -> str:
        """The label of whoever fills a step: a role, a relation, a unit, or the document's
        list condition (每个 X); alternatives (`a|b`) are joined by 或 / or."""
        if "|" in ident:
            sep = " or " if lang == "en" else "或"
            return sep.join(self.role_label(part, lang) for part in ident.split("|"))
        for kind in _FILLER_KINDS:
            label = self.label(kind, ident, lang)
            if label != ident:
                return label
        return ident
