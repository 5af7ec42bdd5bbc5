"""Helpers shared by the language tests: the bundled policy, and trees without positions."""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

from govrules.errors import RuleError
from govrules.lang import ast, ir
from govrules.lang.diagnostics import display_width
from govrules.lang.emit import emit
from govrules.lang.resolve import resolve
from govrules.lang.syntax import parse_rules

ROOT = Path(__file__).resolve().parents[2]
POLICY = "policy/xihu-office-2020"
VOCABULARY = f"{POLICY}/vocabulary.rules"
A24 = f"{POLICY}/rules/a24-meetings.rules"
A25 = f"{POLICY}/rules/a25-presence.rules"
A29 = f"{POLICY}/rules/a29-documents.rules"
A26 = f"{POLICY}/rules/a26-a28-review.rules"  # declares what article 29 uses (相关领导, 主任在先)
A38 = f"{POLICY}/rules/a38-matters.rules"
A39 = f"{POLICY}/rules/a39-leave.rules"
RELATIONS = f"{POLICY}/rules/relations.rules"
EN_A24 = "tests/fixtures/en/a24-meetings.rules"
EN_A25 = "tests/fixtures/en/a25-presence.rules"
EN_A29 = "tests/fixtures/en/a29-documents.rules"
EN_A38 = "tests/fixtures/en/a38-matters.rules"
EN_A39 = "tests/fixtures/en/a39-leave.rules"
RULES = tuple(sorted(f"{POLICY}/rules/{p.name}" for p in (ROOT / POLICY / "rules").glob("*.rules")))
BUNDLED = (VOCABULARY, *RULES)  # the order the compiler reads them in


def read(path: str) -> str:
    """A repository file, named by its path relative to the repository root."""
    return (ROOT / path).read_text(encoding="utf-8")


@cache
def parsed(path: str) -> ast.RuleFile:
    return parse_rules(read(path), path)


def compile_files(paths: tuple[str, ...]) -> str:
    """The comment-free program of repository files."""
    return emit(resolve([parsed(p) for p in paths])).program


@cache
def bundled_program() -> ir.Program:
    return resolve([parsed(p) for p in BUNDLED])


def vocabulary_file() -> ast.RuleFile:
    return parsed(VOCABULARY)


def plain(node: object) -> object:
    """A node without positions: terms become their text, nodes (name, fields...)."""
    if isinstance(node, ast.Term):
        return node.text
    if isinstance(node, tuple):
        return tuple(plain(n) for n in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        values = [
            plain(getattr(node, f.name))
            for f in dataclasses.fields(node)
            if f.name not in ("pos", "article")
            # a step's shape and options show only where written (之一, 或, 每个)
            and not (
                isinstance(node, ast.Step)
                and f.name in ("shape", "options")
                and getattr(node, f.name) == f.default
            )
        ]
        return (type(node).__name__, *values)
    return node


def statement(text: str) -> ast.Statement:
    """The single statement of a rule file."""
    rule_file = parse_rules(text, "t.rules")
    [article] = rule_file.articles
    [st] = article.statements
    return st


def resolve_text(text: str, file: str = "t.rules") -> ir.Program:
    """Resolve `text` after the bundled vocabulary, with sources for excerpts."""
    sources = {VOCABULARY: read(VOCABULARY), file: text}
    return resolve([vocabulary_file(), parse_rules(text, file)], sources)


def caret_column(err: RuleError) -> int:
    """Where the caret line of an excerpt starts marking (0-based display column)."""
    caret_line = err.detail.splitlines()[1]
    return len(caret_line) - len(caret_line.lstrip(" "))


def expected_caret(line_text: str, column: int) -> int:
    """The display column of character `column` (1-based) after the excerpt's gutter."""
    gutter = len("   1 | ")
    return gutter + display_width(line_text[: column - 1])
