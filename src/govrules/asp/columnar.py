"""The search-free part of a question evaluated in DuckDB, translated from its rules.

A plain leave audit (`check_leave`, no repair window) of a big organisation grounds a slice
of the compiled program (`asp.slicing`) with no choice: its unique answer set can be
computed bottom-up by a relational engine, which joins columns where clingo builds and
grounds one symbol at a time. This module translates a slice's rules into DuckDB SQL
mechanically; it names no predicate of any policy. One table per predicate and arity, with
column kinds inferred from the facts and the rules; strata in dependency order; joins for
positive literals, NOT EXISTS for negative ones, correlated subqueries for aggregates;
semi-naive iteration for positive recursion; the alternating fixpoint (checked total) for
recursion through negation. A construct it does not handle raises `Unsupported`, naming
it, and the caller asks clingo instead.

Facts enter as rows of plain values (written to a private temporary folder as CSV and read
by DuckDB: data, never SQL text); the only text in the SQL is the policy's own program.
Answers leave as clingo symbols, so the rest of the engine reads them as it reads clingo's.
`tests/engine/test_columnar.py` holds the answers equal to clingo's.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
import time
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from clingo import Function, Symbol, SymbolType, parse_term
from clingo.ast import (
    AST,
    AggregateFunction,
    ASTType,
    BinaryOperator,
    ComparisonOperator,
    Sign,
    UnaryOperator,
    parse_string,
)

from govrules.asp.facts import Name, plain_fact, rows_by_predicate, symbol_of, symbol_to_python
from govrules.asp.shared import AST_LOCK
from govrules.asp.solve import watch_deadline
from govrules.cache import code_entry_name, read_entry, write_entry

# ---- value types --------------------------------------------------------------------------
# A column holds integers (BIGINT), strings (VARCHAR, raw), constants (VARCHAR, the name) or,
# when it mixes kinds or holds compound terms, clingo's text of the symbol (VARCHAR).
BOT, INT, STR, CONST, TEXT = "bot", "int", "str", "const", "text"
SQL_TYPE = {BOT: "VARCHAR", INT: "BIGINT", STR: "VARCHAR", CONST: "VARCHAR", TEXT: "VARCHAR"}
_RANK = {INT: 0, CONST: 1, STR: 2}  # clingo's order across kinds: numbers < constants < strings

Signature = tuple[str, int]  # a predicate's name and arity
ColumnTypes = dict[Signature, list[str]]  # each predicate's column kinds


class Unsupported(Exception):
    """A construct the translator does not handle (named in the message)."""


def join(a: str, b: str) -> str:
    if a == BOT:
        return b
    if b == BOT or a == b:
        return a
    return TEXT


def sym_kind(s: Symbol) -> str:
    t = s.type
    if t == SymbolType.Number:
        return INT
    if t == SymbolType.String:
        return STR
    if t == SymbolType.Function and not s.arguments and s.positive and s.name:
        return CONST
    return TEXT


def sym_value(s: Symbol, kind: str) -> Any:
    if kind == INT:
        return s.number
    if kind == STR:
        return s.string
    if kind == CONST:
        return s.name
    return str(s)


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def to_text(expr: str, kind: str) -> str:
    """An SQL expression of `kind` as clingo would print the value."""
    if kind == INT:
        return f"CAST({expr} AS VARCHAR)"
    if kind == STR:
        inner = f"replace(replace(replace({expr}, '\\', '\\\\'), '\"', '\\\"'), chr(10), '\\n')"
        return f"('\"' || {inner} || '\"')"
    return expr  # CONST, TEXT, BOT


def convert(expr: str, kind: str, target: str) -> str:
    if kind == target or target == BOT:
        return expr
    if target == TEXT:
        return to_text(expr, kind)
    if kind == BOT:
        return expr
    raise Unsupported(f"storing a {kind} value in a {target} column")


def table(sig: Signature) -> str:
    return f'"p_{sig[0]}_{sig[1]}"'


# ---- the program --------------------------------------------------------------------------


@dataclass
class Rule:
    head: AST | None  # a Function term (the head atom), None for a constraint
    body: list[AST]  # body literals (clingo AST)
    text: str

    @property
    def head_sig(self) -> Signature | None:
        if self.head is None:
            return None
        return (self.head.name, len(self.head.arguments))


@dataclass
class Program:
    rules: list[Rule] = field(default_factory=list)
    facts: list[Symbol] = field(default_factory=list)  # ground facts of the program text
    shown: list[Signature] = field(default_factory=list)


def _atom_term(atom: AST) -> AST:
    """The Function term of a symbolic atom (p(t..) or p), else Unsupported."""
    if atom.ast_type != ASTType.SymbolicAtom:
        raise Unsupported(f"atom {atom.ast_type.name}: {atom}")
    term: AST = atom.symbol
    if term.ast_type == ASTType.Function and not term.external and term.name:
        return term
    if term.ast_type == ASTType.SymbolicTerm and term.symbol.type == SymbolType.Function:
        sym = term.symbol
        if sym.arguments or not sym.positive:
            raise Unsupported(f"atom {sym}")
        return parse_term_ast(str(sym))
    raise Unsupported(f"atom {term} (classical negation, pool or external function?)")


def parse_term_ast(text: str) -> AST:
    out: list[AST] = []
    parse_string(f"{text}.", out.append)
    term: AST = out[1].head.atom.symbol  # out[0] is the implicit `#program base.`
    return term


def read_program(text: str) -> Program:
    """The slice's statements, sorted into rules, ground facts and #show; the rest is
    either harmless for a search-free program (dropped) or Unsupported."""
    statements: list[AST] = []
    parse_string(text, statements.append)
    program = Program()
    for stmt in statements:
        t = stmt.ast_type
        if t == ASTType.Program:
            if stmt.name != "base" or stmt.parameters:
                raise Unsupported(f"#program {stmt.name}")
            continue
        if t in (ASTType.Comment, ASTType.Defined):
            continue
        if t == ASTType.ShowSignature:
            if not stmt.positive:
                raise Unsupported("#show of a classically negated signature")
            program.shown.append((stmt.name, stmt.arity))
            continue
        if t == ASTType.Minimize:
            # One model: a weak constraint cannot choose among models, the answer is unchanged.
            continue
        if t == ASTType.External:
            if str(stmt.external_type) != "false":
                raise Unsupported(f"#external with default {stmt.external_type}")
            # false by default and never set: no atom
            continue
        if t != ASTType.Rule:
            raise Unsupported(f"statement {t.name}: {stmt}")
        if any(lit.ast_type != ASTType.Literal for lit in stmt.body):
            raise Unsupported(f"a conditional literal in a body: {stmt}")
        head = stmt.head
        if head.ast_type == ASTType.Literal:
            if head.atom.ast_type == ASTType.BooleanConstant:
                if head.atom.value:
                    continue  # `#true :- ...`
                program.rules.append(Rule(None, list(stmt.body), str(stmt)))
                continue
            if head.sign != Sign.NoSign:
                raise Unsupported(f"negated head: {stmt}")
            term = _atom_term(head.atom)
            if not stmt.body:
                try:
                    sym = parse_term(str(term))
                except RuntimeError as err:
                    raise Unsupported(f"non-ground fact {stmt}") from err
                program.facts.append(sym)
                continue
            program.rules.append(Rule(term, list(stmt.body), str(stmt)))
            continue
        kind = {
            ASTType.Aggregate: "choice rule",
            ASTType.HeadAggregate: "head aggregate",
            ASTType.Disjunction: "disjunction",
        }.get(head.ast_type, head.ast_type.name)
        raise Unsupported(f"{kind}: {stmt}")
    return program


def dependencies(program: Program) -> dict[Signature, dict[Signature, bool]]:
    """head -> {body predicate: monotone?} (False for negation and aggregates)."""
    deps: dict[Signature, dict[Signature, bool]] = {}

    def visit(head: Signature, lit: AST, monotone: bool) -> None:
        atom = lit.atom
        if atom.ast_type == ASTType.SymbolicAtom:
            term = _atom_term(atom)
            sig = (term.name, len(term.arguments))
            ok = monotone and lit.sign == Sign.NoSign
            deps[head][sig] = deps[head].get(sig, True) and ok
        elif atom.ast_type == ASTType.BodyAggregate:
            for e in atom.elements:
                for c in e.condition:
                    visit(head, c, False)

    for i, rule in enumerate(program.rules):
        head = rule.head_sig or ("#constraint", i)
        deps.setdefault(head, {})
        for lit in rule.body:
            visit(head, lit, True)
    return deps


def sccs(graph: dict[Any, Iterable[Any]]) -> list[list[Any]]:
    """Tarjan's strongly connected components, dependencies first (iterative)."""
    index: dict[Any, int] = {}
    low: dict[Any, int] = {}
    stack: list[Any] = []
    on: set[Any] = set()
    out: list[list[Any]] = []
    counter = 0
    nodes = set(graph) | {m for ns in graph.values() for m in ns}
    for root in sorted(nodes, key=str):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()), key=str)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ()), key=str))))
                    advanced = True
                    break
                if nxt in on:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    x = stack.pop()
                    on.discard(x)
                    comp.append(x)
                    if x == node:
                        break
                out.append(comp)
    return out


# ---- type analysis --------------------------------------------------------------------------


def _term_type(term: AST, env: dict[str, str]) -> str:
    t = term.ast_type
    if t == ASTType.Variable:
        return env.get(term.name, BOT)
    if t == ASTType.SymbolicTerm:
        return sym_kind(term.symbol)
    if t in (ASTType.BinaryOperation, ASTType.UnaryOperation):
        return INT
    if t == ASTType.Function:
        return TEXT if (term.arguments or not term.name) else CONST
    raise Unsupported(f"term {t.name}: {term}")


def _assignment(atom: AST, bound: Container[str]) -> tuple[str, AST] | None:
    """The variable an assignment binds that is not `bound` yet, and what binds it (a term,
    or the aggregate itself): `X = t`, `t = X`, `X = #agg{...}`; None for anything else."""
    if atom.ast_type == ASTType.Comparison and len(atom.guards) == 1:
        guard = atom.guards[0]
        if guard.comparison == ComparisonOperator.Equal:
            for var, other in ((atom.term, guard.term), (guard.term, atom.term)):
                if var.ast_type == ASTType.Variable and var.name not in bound:
                    return var.name, other
    elif atom.ast_type == ASTType.BodyAggregate:
        guard = atom.left_guard
        if (
            guard is not None
            and guard.comparison == ComparisonOperator.Equal
            and guard.term.ast_type == ASTType.Variable
            and guard.term.name not in bound
        ):
            return guard.term.name, atom
    return None


# A body read once: its positive literals' predicates with the variable each argument is
# (None if none), and its comparisons and aggregates. Reading clingo's AST is a library
# call per attribute; type inference goes over every rule several times.
Digest = tuple[list[tuple[Signature, list[str | None]]], list[AST]]


def _digest(body: Sequence[AST]) -> Digest:
    positives: list[tuple[Signature, list[str | None]]] = []
    pending: list[AST] = []
    for lit in body:
        atom = lit.atom
        kind = atom.ast_type
        if kind == ASTType.SymbolicAtom and lit.sign == Sign.NoSign:
            term = _atom_term(atom)
            names: list[str | None] = []
            for a in term.arguments:
                named = a.ast_type == ASTType.Variable and a.name != "_"
                names.append(a.name if named else None)
            positives.append(((term.name, len(names)), names))
        elif kind in (ASTType.Comparison, ASTType.BodyAggregate):
            pending.append(atom)
    return positives, pending


def _bind_types(
    body: Sequence[AST], env: dict[str, str], types: ColumnTypes, digest: Digest | None = None
) -> None:
    """Variable types of a body: from positive literals' columns, then assignments."""
    positives, pending = digest if digest is not None else _digest(body)
    for sig, names in positives:
        cols = types.get(sig, [BOT] * sig[1])
        for name, kind in zip(names, cols, strict=True):
            if name is not None and name not in env:
                env[name] = kind
    # Assignments bind in whatever order their inputs allow: until none binds anything.
    progress = True
    while progress:
        progress = False
        for atom in pending:
            assigned = _assignment(atom, env)
            if assigned is None:
                continue
            progress = True
            name, source = assigned
            if source.ast_type != ASTType.BodyAggregate:
                env[name] = _term_type(source, env)
            elif source.function in (AggregateFunction.Min, AggregateFunction.Max):
                kinds = BOT
                for e in source.elements:
                    local = dict(env)
                    _bind_types(e.condition, local, types)
                    kinds = join(kinds, _term_type(e.terms[0], local))
                env[name] = kinds
            else:
                env[name] = INT


def infer_types(program: Program, fact_types: ColumnTypes) -> ColumnTypes:
    types = {k: list(v) for k, v in fact_types.items()}
    rules = [
        (rule, sig, _digest(rule.body))
        for rule in program.rules
        if rule.head is not None and (sig := rule.head_sig) is not None
    ]
    changed = True
    while changed:
        changed = False
        for rule, sig, digest in rules:
            env: dict[str, str] = {}
            _bind_types(rule.body, env, types, digest)
            cols = types.setdefault(sig, [BOT] * sig[1])
            assert rule.head is not None
            for i, a in enumerate(rule.head.arguments):
                new = join(cols[i], _term_type(a, env))
                if new != cols[i]:
                    cols[i] = new
                    changed = True
    return types


# ---- rules to SQL ---------------------------------------------------------------------------

_CMP = {
    ComparisonOperator.Equal: "=",
    ComparisonOperator.NotEqual: "<>",
    ComparisonOperator.LessThan: "<",
    ComparisonOperator.LessEqual: "<=",
    ComparisonOperator.GreaterThan: ">",
    ComparisonOperator.GreaterEqual: ">=",
}
_ARITH = {
    BinaryOperator.Plus: "+",
    BinaryOperator.Minus: "-",
    BinaryOperator.Multiplication: "*",
    BinaryOperator.Division: "//",  # clingo and DuckDB both truncate towards zero
    BinaryOperator.Modulo: "%",
}


DELTA = "Delta__"  # no predicate name starts with a capital; clingo cuts names at NUL


class Compiler:
    """Turns rules into SELECTs over the predicate tables, given the column types."""

    def __init__(self, types: ColumnTypes) -> None:
        self.types = types
        self.aliases = 0
        # The SQL of each #min / #max: NULL where its set is empty, which clingo reads as
        # #sup (#min) or #inf (#max), greater or less than every other term.
        self.infinite: dict[str, str] = {}

    def alias(self) -> str:
        self.aliases += 1
        return f"t{self.aliases}"

    def cols(self, sig: Signature) -> list[str]:
        name = sig[0].removeprefix(DELTA)  # a semi-naive round's delta has its table's types
        return self.types.get((name, sig[1]), [BOT] * sig[1])

    # terms: (sql, kind)
    def term(self, t: AST, env: dict[str, tuple[str, str]]) -> tuple[str, str]:
        k = t.ast_type
        if k == ASTType.Variable:
            if t.name not in env:
                raise KeyError(t.name)
            return env[t.name]
        if k == ASTType.SymbolicTerm:
            s = t.symbol
            kind = sym_kind(s)
            if kind == INT:
                return (str(s.number) if s.number >= 0 else f"({s.number})"), INT
            return sql_str(sym_value(s, kind)), kind
        if k == ASTType.BinaryOperation:
            op = _ARITH.get(t.operator_type)
            if op is None:
                raise Unsupported(f"arithmetic operator {BinaryOperator(t.operator_type).name}")
            left, right = self.int_term(t.left, env), self.int_term(t.right, env)
            if op in ("//", "%"):  # x/0 is undefined in clingo (the instance is dropped)
                right = f"NULLIF({right}, 0)"
            return f"({left} {op} {right})", INT
        if k == ASTType.UnaryOperation:
            arg = self.int_term(t.argument, env)
            if t.operator_type == UnaryOperator.Minus:
                return f"(-{arg})", INT
            if t.operator_type == UnaryOperator.Absolute:
                return f"abs({arg})", INT
            raise Unsupported(f"unary operator {UnaryOperator(t.operator_type).name}")
        if k == ASTType.Function:
            if t.external:
                raise Unsupported(f"external function @{t.name}")
            if not t.arguments:
                return sql_str(t.name), CONST
            parts = [to_text(*self.term(a, env)) for a in t.arguments]
            inner = " || ',' || ".join(parts)
            if not t.name and len(parts) == 1:
                inner += " || ','"
            return f"({sql_str(t.name + '(')} || {inner} || ')')", TEXT
        if k == ASTType.Interval:
            raise Unsupported(f"interval {t}")
        if k == ASTType.Pool:
            raise Unsupported(f"pool {t}")
        raise Unsupported(f"term {k.name}: {t}")

    def int_term(self, t: AST, env: dict[str, tuple[str, str]]) -> str:
        sql, kind = self.term(t, env)
        if kind == BOT:  # a column of a relation that is empty whatever the facts
            return f"TRY_CAST({sql} AS BIGINT)"
        if kind != INT:
            raise Unsupported(f"arithmetic on a {kind} value: {t}")
        return sql

    def equal(self, a: tuple[str, str], b: tuple[str, str]) -> str:
        (x, kx), (y, ky) = a, b
        if kx == ky:
            return f"({x} = {y})"
        return f"({to_text(x, kx)} = {to_text(y, ky)})"  # BOT columns are empty VARCHARs

    def compare(self, op: ComparisonOperator, a: tuple[str, str], b: tuple[str, str]) -> str:
        """a op b as clingo compares them; a #min or #max of nothing is #sup or #inf."""
        finite = self.finite_compare(op, a, b)
        left, right = self.infinite.get(a[0]), self.infinite.get(b[0])
        if left is None and right is None:
            return finite
        cases = []
        if left is not None and right is not None:
            cases.append(f"WHEN {a[0]} IS NULL AND {b[0]} IS NULL THEN {_holds(op, left, right)}")
        if left is not None:
            cases.append(f"WHEN {a[0]} IS NULL THEN {_holds(op, left, None)}")
        if right is not None:
            cases.append(f"WHEN {b[0]} IS NULL THEN {_holds(op, None, right)}")
        return f"(CASE {' '.join(cases)} ELSE {finite} END)"

    def finite_compare(self, op: ComparisonOperator, a: tuple[str, str], b: tuple[str, str]) -> str:
        if op == ComparisonOperator.Equal:
            return self.equal(a, b)
        if op == ComparisonOperator.NotEqual:
            return f"(NOT {self.equal(a, b)})"
        (x, kx), (y, ky) = a, b
        sql = _CMP[op]
        if BOT in (kx, ky):
            return "FALSE"  # a column of a relation that is empty whatever the facts
        if kx == ky and kx in (INT, STR):
            return f"({x} {sql} {y})"  # DuckDB compares VARCHAR bytewise, as clingo strings
        if kx in _RANK and ky in _RANK and kx != ky:  # fixed by the kinds alone
            holds = {"<": _RANK[kx] < _RANK[ky], "<=": _RANK[kx] < _RANK[ky]}
            holds |= {">": _RANK[kx] > _RANK[ky], ">=": _RANK[kx] > _RANK[ky]}
            return "TRUE" if holds[sql] else "FALSE"
        raise Unsupported(f"ordering {kx} against {ky} values ({sql})")

    def tuple_compare(
        self, op: ComparisonOperator, a: AST, b: AST, env: dict[str, tuple[str, str]]
    ) -> str:
        """(t1,..,tn) op (u1,..,un), tuples compared as clingo does (= and != only)."""
        if op not in (ComparisonOperator.Equal, ComparisonOperator.NotEqual):
            raise Unsupported(f"ordering tuples: {a} {_CMP[op]} {b}")
        conds = [
            self.equal(self.term(x, env), self.term(y, env))
            for x, y in zip(a.arguments, b.arguments, strict=True)
        ]
        both = "(" + " AND ".join(conds) + ")"
        return both if op == ComparisonOperator.Equal else f"(NOT {both})"

    def body(
        self,
        body: Sequence[AST],
        outer: dict[str, tuple[str, str]],
        neg_tables: dict[Signature, str],
        pos_tables: dict[Signature, str],
    ) -> tuple[list[str], list[str], dict[str, tuple[str, str]]]:
        """FROM items, WHERE conditions and the variables' SQL for a conjunction."""
        env = dict(outer)
        froms: list[str] = []
        where: list[str] = []
        # non-variable arguments with their (sql, kind) column, checked once all is bound
        later: list[tuple[AST, tuple[str, str]]] = []
        pending: list[AST] = []
        for lit in body:
            if lit.ast_type == ASTType.ConditionalLiteral:
                raise Unsupported(f"conditional literal {lit}")
            atom = lit.atom
            if atom.ast_type == ASTType.SymbolicAtom and lit.sign == Sign.NoSign:
                term = _atom_term(atom)
                sig = (term.name, len(term.arguments))
                if not term.arguments:
                    where.append(f"EXISTS (SELECT 1 FROM {pos_tables.get(sig, table(sig))})")
                    continue
                a = self.alias()
                froms.append(f"{pos_tables.get(sig, table(sig))} {a}")
                for i, (arg, kind) in enumerate(zip(term.arguments, self.cols(sig), strict=True)):
                    col = (f"{a}.a{i}", kind)
                    if arg.ast_type == ASTType.Variable:
                        if arg.name == "_":
                            continue
                        if arg.name in env:
                            where.append(self.equal(env[arg.name], col))
                        else:
                            env[arg.name] = col
                    else:
                        later.append((arg, col))
            elif atom.ast_type == ASTType.SymbolicAtom and lit.sign == Sign.Negation:
                pending.append(lit)
            elif atom.ast_type == ASTType.SymbolicAtom:
                raise Unsupported(f"double negation {lit}")
            elif atom.ast_type in (ASTType.Comparison, ASTType.BodyAggregate):
                if lit.sign != Sign.NoSign:
                    raise Unsupported(f"negated {atom.ast_type.name}: {lit}")
                pending.append(lit)
            elif atom.ast_type == ASTType.BooleanConstant:
                if not atom.value:
                    where.append("FALSE")
            else:
                raise Unsupported(f"body literal {atom.ast_type.name}: {lit}")
        # Assignments (X = term, X = #agg{...}) bind in any order their inputs allow.
        progress = True
        while progress:
            progress = False
            for lit in list(pending):
                bound = None
                assigned = _assignment(lit.atom, env)
                if assigned is not None:
                    name, source = assigned
                    with contextlib.suppress(KeyError):  # an input is not bound yet
                        if source.ast_type == ASTType.BodyAggregate:
                            value = self.aggregate(source, env, neg_tables, pos_tables)
                        else:
                            value = self.term(source, env)
                        bound = (name, value)
                if bound is not None:
                    env[bound[0]] = bound[1]
                    pending.remove(lit)
                    progress = True
        for arg, column in later:
            if (
                arg.ast_type == ASTType.Function
                and arg.arguments
                and any(_has_unbound(x, env) for x in arg.arguments)
            ):
                raise Unsupported(f"matching a compound term with variables: {arg}")
            try:
                where.append(self.equal(self.term(arg, env), column))
            except KeyError as err:
                raise Unsupported(f"unbound variable {err} in argument {arg}") from err
        for lit in pending:
            atom = lit.atom
            try:
                if atom.ast_type == ASTType.SymbolicAtom:  # negative literal
                    where.append(self.negative(atom, env, neg_tables))
                elif atom.ast_type == ASTType.Comparison:
                    left = atom.term
                    for g in atom.guards:
                        if (
                            left.ast_type == ASTType.Function
                            and not left.name
                            and g.term.ast_type == ASTType.Function
                            and not g.term.name
                        ):
                            where.append(self.tuple_compare(g.comparison, left, g.term, env))
                        else:
                            where.append(
                                self.compare(
                                    g.comparison, self.term(left, env), self.term(g.term, env)
                                )
                            )
                        left = g.term
                else:  # an aggregate compared with its guards
                    value = self.aggregate(atom, env, neg_tables, pos_tables)
                    if atom.left_guard is not None:
                        g = atom.left_guard
                        where.append(self.compare(g.comparison, self.term(g.term, env), value))
                    if atom.right_guard is not None:
                        g = atom.right_guard
                        where.append(self.compare(g.comparison, value, self.term(g.term, env)))
            except KeyError as err:
                raise Unsupported(f"unsafe or unbound variable {err} in {lit}") from err
        return froms, where, env

    def negative(
        self,
        atom: AST,
        env: dict[str, tuple[str, str]],
        neg_tables: dict[Signature, str],
    ) -> str:
        term = _atom_term(atom)
        sig = (term.name, len(term.arguments))
        name = neg_tables.get(sig, table(sig))
        if not term.arguments:
            return f"NOT EXISTS (SELECT 1 FROM {name})"
        a = self.alias()
        conds = []
        for i, (arg, kind) in enumerate(zip(term.arguments, self.cols(sig), strict=True)):
            if arg.ast_type == ASTType.Variable and arg.name == "_":
                continue
            conds.append(self.equal(self.term(arg, env), (f"{a}.a{i}", kind)))
        where = " AND ".join(conds) or "TRUE"
        return f"NOT EXISTS (SELECT 1 FROM {name} {a} WHERE {where})"

    def aggregate(
        self,
        atom: AST,
        env: dict[str, tuple[str, str]],
        neg_tables: dict[Signature, str],
        pos_tables: dict[Signature, str],
    ) -> tuple[str, str]:
        """A correlated subquery over the union of an aggregate's elements."""
        fn = atom.function
        parts = []
        kinds = []
        width = max(len(e.terms) for e in atom.elements) if atom.elements else 0
        for e in atom.elements:
            froms, where, local = self.body(e.condition, env, neg_tables, pos_tables)
            if len(e.terms) != width:
                raise Unsupported(f"aggregate elements of different widths: {atom}")
            terms = [self.term(t, local) for t in e.terms]
            kinds.append(terms[0][1] if terms else BOT)
            count = fn == AggregateFunction.Count  # a set of tuples: compared as text
            cols = [to_text(s, k) if i or count else s for i, (s, k) in enumerate(terms)]
            select = ", ".join(f"{c} AS k{i}" for i, c in enumerate(cols)) or "1 AS k0"
            parts.append(
                f"SELECT {select} FROM {', '.join(froms) or '(SELECT 1)'}"
                + (f" WHERE {' AND '.join(where)}" if where else "")
            )
        if not parts:
            raise Unsupported(f"aggregate without elements: {atom}")
        kind = BOT
        for k in kinds:
            kind = join(kind, k)
        if kind == TEXT and fn != AggregateFunction.Count:
            raise Unsupported(f"aggregate over mixed values: {atom}")
        union = " UNION ".join(parts)  # a set of tuples, as clingo's elements
        if fn == AggregateFunction.Count:
            return f"(SELECT count(*) FROM ({union}) u)", INT
        if fn in (AggregateFunction.Sum, AggregateFunction.SumPlus):
            if kind not in (INT, BOT):
                raise Unsupported(f"#sum over {kind} weights")
            keep = " WHERE k0 > 0" if fn == AggregateFunction.SumPlus else ""
            return f"(SELECT coalesce(sum(k0), 0) FROM ({union}) u{keep})", INT
        # #min / #max of an empty set are #sup / #inf in clingo: NULL here (`self.infinite`).
        agg = "min" if fn == AggregateFunction.Min else "max"
        if kind == CONST:
            raise Unsupported(f"#{agg} over constants")
        sql = f"(SELECT {agg}(k0) FROM ({union}) u)"
        self.infinite[sql] = "sup" if agg == "min" else "inf"
        return sql, kind

    def rule_select(
        self,
        rule: Rule,
        neg_tables: dict[Signature, str],
        pos_tables: dict[Signature, str] | None = None,
    ) -> str:
        froms, where, env = self.body(rule.body, {}, neg_tables, pos_tables or {})
        sig = rule.head_sig
        if rule.head is None or sig is None:
            heads = ["1"]
        else:
            heads = []
            for i, (arg, kind) in enumerate(zip(rule.head.arguments, self.cols(sig), strict=True)):
                try:
                    sql, k = self.term(arg, env)
                except KeyError as err:
                    raise Unsupported(f"unsafe head variable {err}: {rule.text}") from err
                value = convert(sql, k, kind)
                if sql in self.infinite:  # #sup or #inf in an atom: clingo answers instead
                    value = (
                        f"(CASE WHEN {sql} IS NULL THEN error('columnar: #{self.infinite[sql]} "
                        f"in an atom') ELSE {value} END)"
                    )
                elif "SELECT" in sql or "//" in sql or "%" in sql:  # x/0, #sup + 1: undefined
                    where.append(f"({sql}) IS NOT NULL")
                heads.append(f"{value} AS a{i}")
            if not heads:
                heads = ["TRUE AS a0"]
        out = f"SELECT DISTINCT {', '.join(heads)} FROM {', '.join(froms) or '(SELECT 1)'}"
        if where:
            out += " WHERE " + " AND ".join(where)
        return out


_ORDER = {"inf": -1, None: 0, "sup": 1}  # #inf < any other term < #sup


def _holds(op: ComparisonOperator, left: str | None, right: str | None) -> str:
    """Whether `left op right` holds where a side is #sup or #inf (None: a finite term)."""
    x, y = _ORDER[left], _ORDER[right]
    holds = {
        ComparisonOperator.Equal: x == y and left is not None,
        ComparisonOperator.NotEqual: not (x == y and left is not None),
        ComparisonOperator.LessThan: x < y,
        ComparisonOperator.LessEqual: x < y or (x == y and left is not None),
        ComparisonOperator.GreaterThan: x > y,
        ComparisonOperator.GreaterEqual: x > y or (x == y and left is not None),
    }[op]
    return "TRUE" if holds else "FALSE"


def _has_unbound(term: AST, env: dict[str, tuple[str, str]]) -> bool:
    if term.ast_type == ASTType.Variable:
        return term.name not in env
    return any(_has_unbound(a, env) for a in getattr(term, "arguments", ()))


# ---- evaluation -----------------------------------------------------------------------------


@dataclass
class Plan:
    """The SQL plan of a program: strata in order, each with how it is evaluated."""

    strata: list[tuple[str, list[Signature], list[Rule]]]  # kind, predicates, rules
    types: ColumnTypes


def plan_program(program: Program, fact_types: ColumnTypes) -> Plan:
    types = infer_types(program, fact_types)
    deps = dependencies(program)
    by_head: dict[Any, list[Rule]] = {}
    for i, rule in enumerate(program.rules):
        by_head.setdefault(rule.head_sig or ("#constraint", i), []).append(rule)
    strata = []
    for comp in sccs({h: list(d) for h, d in deps.items()}):
        rules = [r for h in comp for r in by_head.get(h, [])]
        if not rules:
            continue  # input predicates
        inside = set(comp)
        recursive = len(comp) > 1 or any(h in deps.get(h, {}) for h in comp)
        nonmono = any(not m for h in comp for b, m in deps.get(h, {}).items() if b in inside)
        if recursive:
            for r in rules:
                for lit in r.body:
                    if lit.atom.ast_type == ASTType.BodyAggregate:
                        sigs = set()
                        for e in lit.atom.elements:
                            for c in e.condition:
                                if c.atom.ast_type == ASTType.SymbolicAtom:
                                    t = _atom_term(c.atom)
                                    sigs.add((t.name, len(t.arguments)))
                        if sigs & inside:
                            raise Unsupported(f"aggregate through recursion: {r.text}")
        kind = "plain" if not recursive else ("wellfounded" if nonmono else "fixpoint")
        if comp[0][0] == "#constraint":
            kind = "constraint"
        strata.append((kind, sorted(comp), rules))
    return Plan(strata, types)


def _sig(lit: AST) -> Signature:
    t = _atom_term(lit.atom)
    return (t.name, len(t.arguments))


def _renamed(lit: AST, prefix: str) -> AST:
    t = _atom_term(lit.atom)
    return lit.update(atom=lit.atom.update(symbol=t.update(name=prefix + t.name)))


def to_text_py(v: Any, kind: str) -> str:
    if kind == INT:
        return str(v)
    if kind == STR:
        text: str = v
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    return str(v)


# ---- the translation: every statement as SQL, once per slice and fact kinds -----------------


@dataclass(frozen=True)
class Select:
    """A rule's SELECT for its head, and the predicates of its positive body literals (a
    semi-naive round's delta named `DELTA` + its name): where one of them has no atoms, the
    rule cannot fire, and its SELECT is not run."""

    head: Signature
    sql: str
    needs: tuple[Signature, ...]


@dataclass(frozen=True)
class Step:
    """One stratum as SQL. `first` holds each head's SELECT over the full tables; `delta`,
    for a recursive stratum, each head's SELECTs with one recursive literal on the last
    round's new atoms. A constraint's SELECTs (in `first`) must find nothing."""

    kind: str  # plain | fixpoint | wellfounded | constraint
    preds: tuple[Signature, ...]
    first: tuple[Select, ...]
    delta: tuple[Select, ...] = ()


@dataclass(frozen=True)
class Translation:
    """A program as SQL for facts of given column kinds: tables, steps and what is shown.
    Plain strings only, so one translation serves many threads at once."""

    types: Mapping[Signature, tuple[str, ...]]
    tables: tuple[Signature, ...]
    steps: tuple[Step, ...]
    shown: tuple[Signature, ...]
    facts: tuple[tuple[Signature, tuple[Any, ...]], ...]  # the program's own, as rows


def _delta_table(sig: Signature) -> str:
    return f'"d_{sig[0]}_{sig[1]}"'


def _new_table(sig: Signature) -> str:
    return f'"n_{sig[0]}_{sig[1]}"'


def _snapshot_table(sig: Signature) -> str:
    return f'"s_{sig[0]}_{sig[1]}"'


def _base_table(sig: Signature) -> str:
    return f'"b_{sig[0]}_{sig[1]}"'


def _positive(lit: AST) -> bool:
    return bool(lit.atom.ast_type == ASTType.SymbolicAtom and lit.sign == Sign.NoSign)


def _select(
    comp: Compiler,
    head: Signature,
    rule: Rule,
    neg: dict[Signature, str],
    pos: dict[Signature, str] | None = None,
) -> Select:
    needs = tuple(sorted({_sig(lit) for lit in rule.body if _positive(lit)}))
    return Select(head, comp.rule_select(rule, neg, pos), needs)


def _recursive_selects(
    comp: Compiler, preds: Sequence[Signature], rules: Sequence[Rule], neg: dict[Signature, str]
) -> tuple[tuple[Select, ...], tuple[Select, ...]]:
    """A recursive stratum's SELECTs: over the full tables (the first round) and, for each
    recursive positive literal, with that literal on the delta (every later round)."""
    inside = set(preds)
    first: list[Select] = []
    delta: list[Select] = []
    pos = {(DELTA + s[0], s[1]): _delta_table(s) for s in preds}
    for rule in rules:
        head = rule.head_sig
        assert head is not None  # a recursive stratum holds no constraint
        first.append(_select(comp, head, rule, neg))
        for p, lit in enumerate(rule.body):
            if _positive(lit) and _sig(lit) in inside:
                body = list(rule.body)
                body[p] = _renamed(body[p], DELTA)
                delta.append(_select(comp, head, Rule(rule.head, body, rule.text), neg, pos))
    return tuple(first), tuple(delta)


def translate(text: str, fact_types: Mapping[Signature, Sequence[str]]) -> Translation:
    """The program `text` (a slice: compiled policy text, never user data) as SQL for facts
    whose columns have `fact_types`. Raises `Unsupported` for what it cannot translate."""
    with AST_LOCK:  # clingo's AST: one thread at a time (asp.shared)
        program = read_program(text)
        own = _rows_of(program.facts)
        types_in: ColumnTypes = {s: list(k) for s, k in fact_types.items()}
        for sig, kinds in _kinds_of(own).items():
            have = types_in.get(sig, kinds)
            types_in[sig] = [join(a, b) for a, b in zip(have, kinds, strict=True)]
        plan = plan_program(program, types_in)
        comp = Compiler(plan.types)
        steps: list[Step] = []
        for kind, preds, rules in plan.strata:
            if kind in ("constraint", "plain"):
                selects = tuple(_select(comp, preds[0], r, {}) for r in rules)
                steps.append(Step(kind, tuple(preds), selects))
            else:
                neg = {s: _snapshot_table(s) for s in preds} if kind == "wellfounded" else {}
                first, delta = _recursive_selects(comp, preds, rules, neg)
                steps.append(Step(kind, tuple(preds), first, delta))
        mentioned = {b for d in dependencies(program).values() for b in d}
        tables = set(plan.types) | set(fact_types) | mentioned
    return Translation(
        types={s: tuple(k) for s, k in plan.types.items()},
        tables=tuple(sorted((s for s in tables if s[0] != "#constraint"), key=str)),
        steps=tuple(steps),
        shown=tuple(program.shown),
        facts=tuple(own),
    )


# ---- facts as rows ----------------------------------------------------------------------------

# A fact as plain values: each an int (a number), a str (a string), a `Name` (a constant,
# facts.Name) or, for anything else, its clingo symbol.
Row = tuple[Any, ...]
Rows = Mapping[Signature, Sequence[Row]]


def _rows_of(symbols: Iterable[Symbol]) -> list[tuple[Signature, Row]]:
    """Facts given as symbols (the program's own) as rows; a fact with a compound argument
    keeps its arguments as symbols (clingo's text in the table)."""
    out: list[tuple[Signature, Row]] = []
    for sym in symbols:
        plain = plain_fact(sym)
        values = plain[1] if plain is not None else tuple(sym.arguments)
        out.append(((sym.name, len(values)), values))
    return out


def _kind_of_type(t: type) -> str:
    if t is int:
        return INT
    if t is Name:
        return CONST
    if t is str:
        return STR
    return TEXT


def _kinds_of(rows: Iterable[tuple[Signature, Row]]) -> ColumnTypes:
    kinds: ColumnTypes = {}
    for sig, values in rows:
        have = kinds.setdefault(sig, [BOT] * sig[1])
        for i, v in enumerate(values):
            have[i] = join(have[i], _kind_of_type(type(v)))
    return kinds


def fact_kinds(rows: Rows) -> dict[Signature, tuple[str, ...]]:
    """Each predicate's column kinds (a column that mixes kinds holds clingo's text)."""
    out: dict[Signature, tuple[str, ...]] = {}
    for sig, table_rows in rows.items():
        if not table_rows:
            continue
        kinds = []
        for i in range(sig[1]):
            found = {_kind_of_type(t) for t in set(map(type, map(itemgetter(i), table_rows)))}
            kinds.append(found.pop() if len(found) == 1 else TEXT)
        out[sig] = tuple(kinds)
    return out


def _clingo_text(value: Any) -> str:
    """A plain value as clingo prints it (a column that holds clingo's text)."""
    kind = _kind_of_type(type(value))
    return to_text_py(value, kind) if kind in (INT, STR) else str(value)


# ---- evaluation --------------------------------------------------------------------------------


class Evaluation:
    """One question evaluated in a DuckDB database of its own (`evaluate`), or lent to it
    for a transaction (`asp.duckdb_pool`): nothing is shared between questions running at
    once, so threads may evaluate at once; `deadline` (time.monotonic) bounds it. `folder`
    is private to the database: the facts as CSV, and what DuckDB spills to disk past its
    memory (by default a `.tmp` folder wherever the process runs). `sizes` are the atoms
    each table already holds (the program's own facts, in a lent database)."""

    def __init__(
        self,
        translation: Translation,
        deadline: float,
        folder: str,
        con: Any,
        sizes: Mapping[Signature, int] | None = None,
    ) -> None:
        self.translation = translation
        self.deadline = deadline
        self.folder = folder
        self.con = con
        # How many atoms each table holds (a delta's under DELTA + its name), kept exact
        # from what each INSERT reports: a rule with an empty positive literal is skipped.
        self.sizes: dict[Signature, int] = dict(sizes or {})

    @classmethod
    def prepared(cls, translation: Translation, deadline: float, folder: str) -> Evaluation:
        """A new in-memory DuckDB database that spills under `folder`, its tables created
        and the program's own facts loaded, by `deadline`; closed again if that fails.
        DuckDB's errors as `duckdb_errors` says."""
        import duckdb

        con = None
        try:
            with duckdb_errors():
                con = duckdb.connect(":memory:")
                con.execute(f"SET temp_directory = {sql_str(os.path.join(folder, 'spill'))}")
                evaluation = cls(translation, deadline, folder, con)
                with watch_deadline(con, deadline):
                    evaluation.create_tables()
                    evaluation.load_own()
        except BaseException:
            if con is not None:
                con.close()
            raise
        return evaluation

    def x(self, sql: str) -> Any:
        if time.monotonic() > self.deadline:
            raise TimeoutError
        return self.con.execute(sql)

    def count(self, name: str) -> int:
        found = self.x(f"SELECT count(*) FROM {name}").fetchone()
        return int(found[0]) if found else 0

    def insert(self, sig: Signature, sql: str) -> int:
        """Run an INSERT into `sig`'s table; how many rows it added (DuckDB answers an
        INSERT with that count), kept in `sizes`."""
        found = self.x(sql).fetchone()
        added = int(found[0]) if found else 0
        self.sizes[sig] = self.sizes.get(sig, 0) + added
        return added

    def not_held(self, sig: Signature) -> str:
        """What keeps an INSERT of distinct rows into `sig`'s table to the new ones: an
        EXCEPT, unless the table is empty (by `sizes`)."""
        return f" EXCEPT SELECT * FROM {table(sig)}" if self.sizes.get(sig, 0) else ""

    def can_fire(self, select: Select) -> bool:
        sizes = self.sizes
        return all(sizes.get(sig, 0) for sig in select.needs)

    def create_tables(self) -> None:
        types = self.translation.types
        for sig in self.translation.tables:
            cols = types.get(sig, (BOT,) * sig[1])
            defs = ", ".join(f"a{i} {SQL_TYPE[k]}" for i, k in enumerate(cols)) or "a0 BOOLEAN"
            self.x(f"CREATE TABLE {table(sig)} ({defs})")

    def load_own(self) -> None:
        """The program's own facts (the same for every question)."""
        own = rows_by_predicate((name, values) for (name, _), values in self.translation.facts)
        self._load([(sig, r, fact_kinds({sig: r})[sig]) for sig, r in own.items()])

    def load(self, rows: Rows, kinds: Mapping[Signature, Sequence[str]]) -> None:
        """A question's facts; `kinds` are the rows' own column kinds (`fact_kinds`)."""
        self._load([(sig, r, kinds[sig]) for sig, r in rows.items() if r])

    def _load(self, tables: Sequence[tuple[Signature, Sequence[Row], Sequence[str]]]) -> None:
        """Facts in bulk: each predicate's rows written as CSV to the private folder and read
        back by DuckDB (data, never SQL text); a set of atoms, so duplicates are dropped."""
        types = self.translation.types
        folder = self.folder
        for n, (sig, table_rows, have) in enumerate(tables):
            if sig not in types and sig not in self.translation.tables:
                continue  # read by no rule and shown by none
            if not sig[1]:
                self.insert(sig, f"INSERT INTO {table(sig)} SELECT TRUE" + self.not_held(sig))
                continue
            want = types.get(sig, (BOT,) * sig[1])
            written: Iterable[Row] = table_rows
            if TEXT in want or TEXT in have:  # clingo's text where the rules widen a column
                columns: list[Sequence[Any]] = list(zip(*table_rows, strict=True))
                for i, (w, h) in enumerate(zip(want, have, strict=True)):
                    if TEXT in (w, h):
                        columns[i] = [_clingo_text(v) for v in columns[i]]
                written = zip(*columns, strict=True)
            for i, (w, h) in enumerate(zip(want, have, strict=True)):
                if w != h and TEXT not in (w, h) and w != BOT:
                    raise Unsupported(f"facts {sig[0]}/{sig[1]} #{i}: {h} read as {w}")
            path = os.path.join(folder, f"{n}.csv")
            with open(path, "w", encoding="utf-8", newline="") as out:
                csv.writer(out, quoting=csv.QUOTE_NONNUMERIC).writerows(written)
            spec = ", ".join(f"'a{i}': '{SQL_TYPE[k]}'" for i, k in enumerate(want))
            self.insert(
                sig,
                f"INSERT INTO {table(sig)} SELECT DISTINCT * FROM read_csv({sql_str(path)}, "
                f"header = false, columns = {{{spec}}}, nullstr = '\x01', "
                "allow_quoted_nulls = false, quote = '\"', escape = '\"', delim = ',', "
                "auto_detect = false)" + self.not_held(sig),
            )
            os.remove(path)

    def run(self) -> None:
        for step in self.translation.steps:
            if step.kind == "constraint":
                for select in filter(self.can_fire, step.first):
                    if self.count(f"({select.sql}) c"):
                        raise Unsupported(
                            "an integrity constraint holds: the program has no answer"
                        )
            elif step.kind == "plain":
                (sig,) = step.preds
                union = " UNION ".join(f"({q.sql})" for q in step.first if self.can_fire(q))
                if union:
                    into = f"INSERT INTO {table(sig)} SELECT * FROM ({union})"
                    self.insert(sig, into + self.not_held(sig))
            elif step.kind == "fixpoint":
                self.fixpoint(step)
            else:
                self.wellfounded(step)

    def fixpoint(self, step: Step) -> dict[Signature, int]:
        """Semi-naive iteration: after the first round, each round joins at least one
        recursive literal against the last round's new atoms, until none is new. Returns
        how many atoms each predicate gained. A predicate none of whose rules can fire in a
        round gains nothing and costs no statement: its delta's size is set to 0 in
        `sizes` (its table may still hold an earlier round's or an earlier `least()`'s
        rows), and every rule reading a delta checks its size first, so none reads it."""
        gained = dict.fromkeys(step.preds, 0)
        selects = step.first
        while True:
            fired: list[Signature] = []
            for s in step.preds:
                mine = [q.sql for q in selects if q.head == s and self.can_fire(q)]
                if not mine:
                    continue
                union = " UNION ".join(f"({q})" for q in mine)
                self.x(
                    f"CREATE OR REPLACE TEMP TABLE {_new_table(s)} AS SELECT * FROM "
                    f"({union}) EXCEPT SELECT * FROM {table(s)}"
                )
                fired.append(s)
            added = 0
            for s in step.preds:
                if s not in fired:
                    self.sizes[(DELTA + s[0], s[1])] = 0
                    continue
                count = self.insert(s, f"INSERT INTO {table(s)} SELECT * FROM {_new_table(s)}")
                gained[s] += count
                added += count
                self.sizes[(DELTA + s[0], s[1])] = count
                # this round's new atoms are the next round's delta: renamed, not copied
                self.x(f"DROP TABLE IF EXISTS {_delta_table(s)}")
                self.x(f"ALTER TABLE {_new_table(s)} RENAME TO {_delta_table(s)}")
            if not added:
                return gained
            selects = step.delta

    def wellfounded(self, step: Step) -> None:
        """A cycle through negation: the alternating fixpoint (van Gelder). Negative literals
        inside the cycle read a snapshot; from the empty snapshot the least model
        over-estimates (O), from O it under-estimates (U = Γ(O) ⊆ O), from U it
        over-estimates again, and so on: U grows, O shrinks. U = O: the well-founded model
        is total, the program's unique answer set. U no longer growing while short of O:
        not total, `Unsupported` (the question goes to clingo).

        No rule of the cycle can fire (one of its positive literals is empty, and nothing
        derived can fill it, as nothing is derived): every estimate is the facts; done. A
        table or snapshot known (by `sizes`) to hold what it would be set to is not set."""
        preds = step.preds
        if not any(self.can_fire(q) for q in step.first):
            return
        base: dict[Signature, int] = {}
        snapped: dict[Signature, int] = {}
        for s in preds:
            self.x(f"CREATE TEMP TABLE {_base_table(s)} AS SELECT * FROM {table(s)}")
            self.x(f"CREATE TEMP TABLE {_snapshot_table(s)} AS SELECT * FROM {table(s)} LIMIT 0")
            base[s] = self.sizes.get(s, 0)
            snapped[s] = 0

        def least() -> dict[Signature, int]:
            for s in preds:
                if self.sizes.get(s, 0) == base[s]:
                    continue  # it holds the facts and no more: each estimate contains them
                self.x(f"DELETE FROM {table(s)}")
                self.x(f"INSERT INTO {table(s)} SELECT * FROM {_base_table(s)}")
                self.sizes[s] = base[s]
            gained = self.fixpoint(step)
            return {s: base[s] + gained[s] for s in preds}

        def snapshot() -> None:
            for s in preds:
                if snapped[s]:
                    self.x(f"DELETE FROM {_snapshot_table(s)}")
                if self.sizes.get(s, 0):
                    self.x(f"INSERT INTO {_snapshot_table(s)} SELECT * FROM {table(s)}")
                snapped[s] = self.sizes.get(s, 0)

        over = least()
        under: dict[Signature, int] | None = None
        while True:
            snapshot()
            new_under = least()
            if new_under == over:  # U ⊆ O with as many atoms: equal (the table holds it)
                return
            if new_under == under:
                raise Unsupported("recursion through negation that the facts do not stratify")
            under = new_under
            snapshot()
            over = least()

    def shown(self) -> list[tuple[str, tuple[Any, ...]]]:
        """The shown atoms in plain Python, as `facts.symbol_to_python` reads clingo's
        (numbers, strings, constant names; a compound term as a tuple), sorted."""
        out: list[tuple[str, tuple[Any, ...]]] = []
        types = self.translation.types
        for name, arity in self.translation.shown:
            sig = (name, arity)
            if sig not in types and sig not in self.translation.tables:
                continue  # never derived, no facts
            if not self.sizes.get(sig, 0):
                continue  # no atoms
            if not arity:
                out.append((name, ()))
                continue
            kinds = types.get(sig, (BOT,) * arity)
            rows = self.x(f"SELECT DISTINCT * FROM {table(sig)} ORDER BY ALL").fetchall()
            texts = [i for i, k in enumerate(kinds) if k in (TEXT, BOT)]
            for values in rows:
                if texts:
                    values = list(values)
                    for i in texts:
                        values[i] = _text_value(values[i])
                out.append((name, tuple(values)))
        return out


def _text_value(text: str) -> Any:
    """A value the rules built as clingo's text (a tuple, say) in plain Python: the text is
    the SQL's rendering of a term the program wrote, strings quoted as clingo quotes them."""
    return symbol_to_python(parse_term(text))


def evaluate(
    translation: Translation,
    rows: Rows,
    deadline: float,
    kinds: Mapping[Signature, Sequence[str]] | None = None,
) -> list[tuple[str, tuple[Any, ...]]]:
    """The shown atoms of `translation` over `rows` (whose column kinds are `kinds`, found
    if not given) in plain Python, by `deadline` (time.monotonic):
    `TimeoutError` after it (a running statement is interrupted), `Unsupported` where the
    program needs clingo after all."""
    with tempfile.TemporaryDirectory(prefix="govrules-columnar-") as folder:
        evaluation = Evaluation.prepared(translation, deadline, folder)
        try:
            with duckdb_errors(), watch_deadline(evaluation.con, deadline):
                evaluation.load(rows, fact_kinds(rows) if kinds is None else kinds)
                evaluation.run()
                return evaluation.shown()
        finally:
            evaluation.con.close()


@contextlib.contextmanager
def duckdb_errors() -> Iterator[None]:
    """DuckDB's errors as the callers read them: an interrupt is the deadline
    (`TimeoutError`); any other error (#sup in an atom, say) means clingo answers instead
    (`Unsupported`)."""
    import duckdb

    try:
        yield
    except duckdb.InterruptException:
        raise TimeoutError from None
    except duckdb.Error as error:
        raise Unsupported(f"DuckDB: {error}") from None


@dataclass(frozen=True)
class Translated:
    """A slice's translation for given fact kinds, or why there is none (kept either way:
    a program the translator declines is declined again at once)."""

    translation: Translation | None
    declined: str = ""


def translated(
    text: str, kinds: Mapping[Signature, Sequence[str]], *, use_cache: bool = True
) -> Translated:
    """`text` translated for facts of `kinds`, or why not. Kept in the compiled-policy
    cache too: a process's first big audit (`govrules leave year.yaml`) would otherwise
    translate its slice again, 0.2-0.3 s, as a first question would parse its program."""
    name = _translation_name(text, kinds) if use_cache else None
    if name is not None:
        found = _restored(read_entry(name, (KeptTranslation, Step, Select)))
        if found is not None:
            return found
    try:
        found = Translated(translate(text, kinds))
    except Unsupported as why:
        found = Translated(None, str(why))
    if name is not None:
        write_entry(name, _kept(found))
    return found


@dataclass(frozen=True)
class KeptTranslation:
    """A `Translated` as the compiled-policy cache keeps it (`govrules.cache`: JSON data
    only): signatures as pairs, the program's own facts as clingo writes them."""

    declined: str
    types: tuple[tuple[Signature, tuple[str, ...]], ...] = ()
    tables: tuple[Signature, ...] = ()
    steps: tuple[Step, ...] = ()
    shown: tuple[Signature, ...] = ()
    facts: tuple[str, ...] = ()


def _translation_name(text: str, kinds: Mapping[Signature, Sequence[str]]) -> str:
    """The cache entry of a translation: named by the slice, the fact kinds, this module's
    code and the versions, so a changed translator never serves an old one."""
    spelled = json.dumps(sorted((list(s), list(k)) for s, k in kinds.items()))
    return code_entry_name("columnar", __file__, text, spelled)


def _kept(found: Translated) -> KeptTranslation:
    t = found.translation
    if t is None:
        return KeptTranslation(found.declined)
    own = tuple(str(Function(name, list(map(_as_symbol, row)))) for (name, _), row in t.facts)
    return KeptTranslation("", tuple(sorted(t.types.items())), t.tables, t.steps, t.shown, own)


def _as_symbol(value: Any) -> Symbol:
    """A value of a row of the program's own facts (`_rows_of`) as the symbol it was: a
    compound argument is kept as its symbol, a plain one as `facts.symbol_of` makes it."""
    return value if isinstance(value, Symbol) else symbol_of(value)


def _restored(kept: Any) -> Translated | None:
    """The translation a cache entry holds, or None (not one, or not readable)."""
    if not isinstance(kept, KeptTranslation):
        return None
    if kept.declined:
        return Translated(None, kept.declined)
    try:
        facts = _rows_of(parse_term(f) for f in kept.facts)
    except RuntimeError:  # not clingo's text: compile again
        return None
    return Translated(
        Translation(
            types={(s[0], s[1]): tuple(k) for s, k in kept.types},
            tables=kept.tables,
            steps=kept.steps,
            shown=kept.shown,
            facts=tuple(facts),
        )
    )
