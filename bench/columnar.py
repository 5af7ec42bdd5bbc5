"""Prototype: the plain leave audit's program slice evaluated in DuckDB by a generic translator.

    python -m bench.columnar --sizes 200 2000 20000

A measured prototype of a design, not part of the engine: nothing in govrules uses it. The
plain leave audit (`check_leave`, no repair window) grounds a slice of the compiled program
(`asp.slicing`) that has no search, so its unique model can be computed bottom-up by a
relational engine. This module translates the slice's rules into DuckDB SQL mechanically (no
policy predicate is named here): one table per predicate/arity with typed columns, strata in
dependency order, joins for positive literals, NOT EXISTS for negative ones, correlated
subqueries for aggregates, semi-naive iteration for positive recursion, and the alternating
fixpoint (checked total) for recursion through negation. A construct it does not handle
raises `Unsupported`, naming it.

For each size it times (a) clingo grounding and solving the slice (`govrules.asp.solve`),
(b) the translated slice in DuckDB, facts included, and (c) the hand-written SQL peer
(`bench.duckdb_peer`; `--no-peer` skips it), and reports whether (a) and (b) show the same
atoms. Not a test: no figure fails anything.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import json
import os
import shutil
import tempfile
import time
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from clingo import Symbol, SymbolType, parse_term
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

# ---- value types --------------------------------------------------------------------------
# A column holds integers (BIGINT), strings (VARCHAR, raw), constants (VARCHAR, the name) or,
# when it mixes kinds or holds compound terms, clingo's text of the symbol (VARCHAR).
BOT, INT, STR, CONST, TEXT = "bot", "int", "str", "const", "text"
SQL_TYPE = {BOT: "VARCHAR", INT: "BIGINT", STR: "VARCHAR", CONST: "VARCHAR", TEXT: "VARCHAR"}
_RANK = {INT: 0, CONST: 1, STR: 2}  # clingo's order across kinds: numbers < constants < strings

Signature = tuple[str, int]  # a predicate's name and arity
ColumnTypes = dict[Signature, list[str]]  # each predicate's column kinds


NAME = "bench.columnar"


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
    ignored: list[str] = field(default_factory=list)  # statements dropped, and why
    constructs: dict[str, int] = field(default_factory=dict)  # what the rules use


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


def _count(program: Program, what: str) -> None:
    program.constructs[what] = program.constructs.get(what, 0) + 1


def _survey_term(program: Program, term: AST) -> None:
    t = term.ast_type
    if t == ASTType.BinaryOperation:
        _count(program, f"arithmetic {BinaryOperator(term.operator_type).name}")
        _survey_term(program, term.left)
        _survey_term(program, term.right)
    elif t == ASTType.UnaryOperation:
        _count(program, f"arithmetic {UnaryOperator(term.operator_type).name}")
        _survey_term(program, term.argument)
    elif t == ASTType.Function:
        if not term.name:
            _count(program, "tuple term")
        elif term.arguments:
            _count(program, "function term")
        for a in term.arguments:
            _survey_term(program, a)
    elif t == ASTType.Interval:
        _count(program, "interval")
    elif t == ASTType.Pool:
        _count(program, "pool")


def _survey_literal(program: Program, lit: AST) -> None:
    if lit.ast_type == ASTType.ConditionalLiteral:
        _count(program, "conditional literal")
        return
    atom = lit.atom
    if atom.ast_type == ASTType.SymbolicAtom:
        _count(program, "negative literal" if lit.sign != Sign.NoSign else "positive literal")
        if lit.sign == Sign.DoubleNegation:
            _count(program, "double negation")
        for a in getattr(atom.symbol, "arguments", ()):
            _survey_term(program, a)
    elif atom.ast_type == ASTType.Comparison:
        _count(program, "comparison")
        _survey_term(program, atom.term)
        for g in atom.guards:
            _survey_term(program, g.term)
    elif atom.ast_type == ASTType.BodyAggregate:
        _count(program, f"aggregate #{AggregateFunction(atom.function).name.lower()}")
        for e in atom.elements:
            for c in e.condition:
                _survey_literal(program, c)
    else:
        _count(program, atom.ast_type.name)


def read_program(text: str) -> Program:
    """The slice's statements, sorted into rules, ground facts and #show; the rest is
    either harmless for a search-free program (said in `ignored`) or Unsupported."""
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
            _count(program, "#show p/n")
            continue
        if t == ASTType.Minimize:
            # One model: a weak constraint cannot choose among models, the answer is unchanged.
            program.ignored.append(f"{stmt} (weak constraint: a search-free program has one model)")
            _count(program, "weak constraint")
            continue
        if t == ASTType.External:
            if str(stmt.external_type) != "false":
                raise Unsupported(f"#external with default {stmt.external_type}")
            program.ignored.append(f"{stmt} (external, false: no atom)")
            _count(program, "#external")
            continue
        if t != ASTType.Rule:
            raise Unsupported(f"statement {t.name}: {stmt}")
        head = stmt.head
        for lit in stmt.body:
            _survey_literal(program, lit)
        if head.ast_type == ASTType.Literal:
            if head.atom.ast_type == ASTType.BooleanConstant:
                if head.atom.value:
                    continue  # `#true :- ...`
                _count(program, "integrity constraint")
                program.rules.append(Rule(None, list(stmt.body), str(stmt)))
                continue
            if head.sign != Sign.NoSign:
                raise Unsupported(f"negated head: {stmt}")
            term = _atom_term(head.atom)
            for a in term.arguments:
                _survey_term(program, a)
            if not stmt.body:
                try:
                    sym = parse_term(str(term))
                except RuntimeError as err:
                    raise Unsupported(f"non-ground fact {stmt}") from err
                program.facts.append(sym)
                _count(program, "fact")
                continue
            _count(program, "normal rule")
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


def _bind_types(body: Sequence[AST], env: dict[str, str], types: ColumnTypes) -> None:
    """Variable types of a body: from positive literals' columns, then assignments."""
    for lit in body:
        atom = lit.atom
        if atom.ast_type == ASTType.SymbolicAtom and lit.sign == Sign.NoSign:
            term = _atom_term(atom)
            cols = types.get((term.name, len(term.arguments)), [BOT] * len(term.arguments))
            for a, kind in zip(term.arguments, cols, strict=True):
                if a.ast_type == ASTType.Variable and a.name != "_" and a.name not in env:
                    env[a.name] = kind
    for _ in range(len(body) + 1):
        for lit in body:
            assigned = _assignment(lit.atom, env)
            if assigned is None:
                continue
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
    changed = True
    while changed:
        changed = False
        for rule in program.rules:
            sig = rule.head_sig
            if rule.head is None or sig is None:
                continue
            env: dict[str, str] = {}
            _bind_types(rule.body, env, types)
            cols = types.setdefault(sig, [BOT] * sig[1])
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


DELTA = "\0delta"


class Compiler:
    """Turns rules into SELECTs over the predicate tables, given the column types."""

    def __init__(self, types: ColumnTypes) -> None:
        self.types = types
        self.aliases = 0

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
        # #min / #max of an empty set are #sup / #inf in clingo: NULL here (the row is dropped).
        agg = "min" if fn == AggregateFunction.Min else "max"
        if kind == CONST:
            raise Unsupported(f"#{agg} over constants")
        return f"(SELECT {agg}(k0) FROM ({union}) u)", kind

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
                heads.append(f"{convert(sql, k, kind)} AS a{i}")
                if "SELECT" in sql or "//" in sql or "%" in sql:  # #min of nothing, x/0
                    where.append(f"({sql}) IS NOT NULL")
            if not heads:
                heads = ["TRUE AS a0"]
        out = f"SELECT DISTINCT {', '.join(heads)} FROM {', '.join(froms) or '(SELECT 1)'}"
        if where:
            out += " WHERE " + " AND ".join(where)
        return out


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


@dataclass
class Columns:
    """Facts as typed columns, per predicate."""

    types: ColumnTypes
    rows: dict[Signature, list[list[Any]]]  # column-major


def symbols_to_columns(groups: Iterable[Iterable[Symbol]]) -> Columns:
    by_sig: dict[Signature, list[Symbol]] = {}
    for group in groups:
        for s in group:
            by_sig.setdefault((s.name, len(s.arguments)), []).append(s)
    types: ColumnTypes = {}
    rows: dict[Signature, list[list[Any]]] = {}
    num, string, fun = SymbolType.Number, SymbolType.String, SymbolType.Function
    for sig, syms in by_sig.items():
        syms = list(dict.fromkeys(syms))  # a set of atoms
        cols: list[list[Any]] = [[] for _ in range(sig[1])]
        kinds: list[set[str]] = [set() for _ in range(sig[1])]
        for s in syms:
            for i, a in enumerate(s.arguments):
                t = a.type
                if t is num:
                    cols[i].append(a.number)
                    kinds[i].add(INT)
                elif t is string:
                    cols[i].append(a.string)
                    kinds[i].add(STR)
                elif t is fun and not a.arguments and a.positive:
                    cols[i].append(a.name)
                    kinds[i].add(CONST)
                else:
                    cols[i].append(None)
                    kinds[i].add(TEXT)
        types[sig] = []
        for i in range(sig[1]):
            kind = kinds[i].pop() if len(kinds[i]) == 1 else TEXT
            if kind == TEXT:
                cols[i] = [str(s.arguments[i]) for s in syms]
            types[sig].append(kind)
        rows[sig] = cols if sig[1] else [[True] * len(syms)]
    return Columns(types, rows)


class Engine:
    """A DuckDB connection that evaluates a planned program over loaded facts."""

    def __init__(self, threads: int | None = None) -> None:
        import duckdb

        self.con = duckdb.connect()
        if threads:
            self.con.execute(f"SET threads = {threads}")
        self.log: list[tuple[str, float]] = []
        self.iterations: dict[str, int] = {}

    def x(self, sql: str) -> Any:
        return self.con.execute(sql)

    def count(self, name: str) -> int:
        return int(self.x(f"SELECT count(*) FROM {name}").fetchone()[0])

    def create_tables(self, plan: Plan, sigs: Iterable[Signature]) -> None:
        for sig in sorted(set(sigs), key=str):
            if sig[0] == "#constraint":
                continue
            cols = plan.types.get(sig, [BOT] * sig[1])
            defs = ", ".join(f"a{i} {SQL_TYPE[k]}" for i, k in enumerate(cols)) or "a0 BOOLEAN"
            self.x(f"CREATE TABLE IF NOT EXISTS {table(sig)} ({defs})")

    def load(self, columns: Columns, plan: Plan, tmp: str) -> None:
        """Facts in bulk: each predicate written as CSV and read back (no Arrow here)."""
        for sig, cols in columns.rows.items():
            want = plan.types.get(sig, columns.types[sig]) if sig[1] else [BOT]
            have = columns.types[sig] if sig[1] else [BOT]
            if want != have:  # a column the rules widen: facts as clingo's text
                cols = [
                    [to_text_py(v, h) for v in c] if w != h else c
                    for c, w, h in zip(cols, want, have, strict=True)
                ]
            path = os.path.join(tmp, f"{sig[0]}_{sig[1]}.csv")
            with open(path, "w", encoding="utf-8", newline="") as out:
                csv.writer(out).writerows(zip(*cols, strict=True))
            spec = ", ".join(
                f"'a{i}': '{SQL_TYPE[k] if sig[1] else 'BOOLEAN'}'" for i, k in enumerate(want)
            )
            self.x(
                f"INSERT INTO {table(sig)} SELECT * FROM read_csv('{path}', header = false, "
                f"columns = {{{spec}}}, nullstr = '\x01', allow_quoted_nulls = false, "
                f"quote = '\"', escape = '\"', delim = ',')"
            )

    def run(self, plan: Plan) -> None:
        comp = Compiler(plan.types)
        for kind, preds, rules in plan.strata:
            started = time.perf_counter()
            if kind == "constraint":
                for rule in rules:
                    n = self.count(f"({comp.rule_select(rule, {})}) c")
                    if n:
                        raise Unsupported(f"integrity constraint violated (no answer): {rule.text}")
            elif kind == "plain":
                (sig,) = preds
                selects = " UNION ".join(f"({comp.rule_select(r, {})})" for r in rules)
                self.x(
                    f"INSERT INTO {table(sig)} SELECT * FROM ({selects}) "
                    f"EXCEPT SELECT * FROM {table(sig)}"
                )
            elif kind == "fixpoint":
                self.iterations[",".join(f"{n}/{a}" for n, a in preds)] = self.fixpoint(
                    comp, preds, rules, {}
                )
            else:
                self.wellfounded(comp, preds, rules)
            names = ",".join(f"{n}/{a}" for n, a in preds)
            self.log.append((f"{kind} {names}", time.perf_counter() - started))

    def fixpoint(
        self,
        comp: Compiler,
        preds: list[Signature],
        rules: list[Rule],
        neg: dict[Signature, str],
    ) -> int:
        """Semi-naive iteration of a positive SCC (negation only on `neg`'s snapshots):
        each round joins at least one literal against the last round's new atoms."""
        inside = set(preds)
        delta = {s: f'"d_{s[0]}_{s[1]}"' for s in preds}
        for s in preds:
            self.x(f"CREATE OR REPLACE TEMP TABLE {delta[s]} AS SELECT * FROM {table(s)}")
        # first round: every rule over the full tables (their facts, if any)
        rounds = 0
        first = True
        while True:
            rounds += 1
            new: dict[Signature, list[str]] = {s: [] for s in preds}
            for rule in rules:
                head = rule.head_sig
                assert head is not None  # a recursive stratum holds no constraint
                positions = [
                    i
                    for i, lit in enumerate(rule.body)
                    if lit.atom.ast_type == ASTType.SymbolicAtom
                    and lit.sign == Sign.NoSign
                    and _sig(lit) in inside
                ]
                if first or not positions:
                    if first:
                        new[head].append(comp.rule_select(rule, neg))
                    continue
                for p in positions:  # literal p on the delta
                    body = list(rule.body)
                    body[p] = _renamed(body[p], DELTA)
                    r = Rule(rule.head, body, rule.text)
                    pos = {(DELTA + s[0], s[1]): delta[s] for s in preds}
                    new[head].append(comp.rule_select(r, neg, pos))
            added = 0
            for s in preds:
                fresh = f'"n_{s[0]}_{s[1]}"'  # this round's new atoms
                if new[s]:
                    union = " UNION ".join(f"({q})" for q in new[s])
                    self.x(
                        f"CREATE OR REPLACE TEMP TABLE {fresh} AS SELECT * FROM ({union}) "
                        f"EXCEPT SELECT * FROM {table(s)}"
                    )
                else:
                    self.x(
                        f"CREATE OR REPLACE TEMP TABLE {fresh} AS SELECT * FROM {table(s)} LIMIT 0"
                    )
            for s in preds:
                fresh = f'"n_{s[0]}_{s[1]}"'
                n = self.count(fresh)
                added += n
                self.x(f"INSERT INTO {table(s)} SELECT * FROM {fresh}")
                self.x(f"CREATE OR REPLACE TEMP TABLE {delta[s]} AS SELECT * FROM {fresh}")
            first = False
            if not added:
                return rounds

    def wellfounded(self, comp: Compiler, preds: list[Signature], rules: list[Rule]) -> None:
        """A cycle through negation: the alternating fixpoint (van Gelder). Negative
        literals inside the SCC read a snapshot; from the empty snapshot the least model
        over-estimates, from that one it under-estimates, and so on until both stop moving.
        Equal estimates: the well-founded model is total, the program's unique answer set."""
        base = {s: f'"b_{s[0]}_{s[1]}"' for s in preds}
        snap = {s: f'"s_{s[0]}_{s[1]}"' for s in preds}
        for s in preds:
            self.x(f"CREATE TEMP TABLE {base[s]} AS SELECT * FROM {table(s)}")
            self.x(f"CREATE TEMP TABLE {snap[s]} AS SELECT * FROM {table(s)} LIMIT 0")

        def least() -> dict[Signature, int]:
            for s in preds:
                self.x(f"DELETE FROM {table(s)}")
                self.x(f"INSERT INTO {table(s)} SELECT * FROM {base[s]}")
            self.fixpoint(comp, preds, rules, snap)
            return {s: self.count(table(s)) for s in preds}

        def snapshot() -> None:
            for s in preds:
                self.x(f"DELETE FROM {snap[s]}")
                self.x(f"INSERT INTO {snap[s]} SELECT * FROM {table(s)}")

        over = least()  # negation against nothing: an over-estimate
        under = None
        rounds = 1
        while True:
            snapshot()
            new_under = least()
            snapshot()
            new_over = least()
            rounds += 2
            if new_under == under and new_over == over:
                break
            under, over = new_under, new_over
        self.iterations["wf " + ",".join(f"{n}/{a}" for n, a in preds)] = rounds
        if under != over:
            raise Unsupported(
                f"recursion through negation not stratified by the data: {under} against {over}"
            )
        # The table holds the over-estimate, equal to the under-estimate.

    def shown(self, program: Program, plan: Plan) -> set[str]:
        out: set[str] = set()
        for sig in program.shown:
            name, arity = sig
            cols = plan.types.get(sig, [BOT] * arity)
            if arity == 0:
                if self.count(table(sig)) if sig in plan.types else 0:
                    out.add(name)
                continue
            if sig not in plan.types:
                continue  # never derived, no facts: no table
            parts = " || ',' || ".join(to_text(f"a{i}", k) for i, k in enumerate(cols))
            rows = self.x(f"SELECT {sql_str(name + '(')} || {parts} || ')' FROM {table(sig)}")
            out.update(r[0] for r in rows.fetchall())
        return out


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


_TOKEN = r'"(?:[^"\\]|\\.)*"|-?[0-9]+|[a-z_][A-Za-z0-9_]*'  # quoted in SQL: no ' in it
_STRING = r'"(?:[^"\\]|\\.)*"'


def _unescape(expr: str) -> str:
    """clingo's printed string (without its quotes) back to the string."""
    x = f"replace({expr}, '\\\\', chr(2))"
    x = f"replace(replace({x}, '\\\"', '\"'), '\\n', chr(10))"
    return f"replace({x}, chr(2), '\\')"


class TextFacts:
    """Facts as clingo prints them (one `str(symbol)` call each, the cheapest way out of
    clingo's API), written as lines and split into typed columns by DuckDB itself. Facts
    whose arguments nest (f(g(1))) are kept as clingo's text of each argument (TEXT)."""

    def __init__(self, engine: Engine, facts: Iterable[Symbol], tmp: str) -> None:
        self.engine = engine
        path = os.path.join(tmp, "facts.txt")
        with open(path, "w", encoding="utf-8") as out:
            out.write("\n".join(map(str, facts)))
            out.write("\n")
        x = engine.x
        x(
            f"CREATE TEMP TABLE raw_facts AS SELECT line, split_part(line, '(', 1) AS name "
            f"FROM read_csv('{path}', header = false, delim = chr(1), quote = '', escape = '', "
            f"columns = {{'line': 'VARCHAR'}}, auto_detect = false)"
        )
        # arguments: the text between the outer parentheses, split into flat tokens; a fact
        # whose argument text has another parenthesis outside strings nests (not split).
        x(
            "CREATE TEMP TABLE arg_facts AS SELECT name, CASE WHEN strpos(line, '(') = 0 "
            "THEN [] ELSE regexp_extract_all(substr(line, length(name) + 2, "
            f"length(line) - length(name) - 2), '{_TOKEN}') END AS args, "
            f"strpos(regexp_replace(substr(line, length(name) + 2), '{_STRING}', '', 'g'), '(') "
            "> 0 AS nested FROM raw_facts"
        )
        groups = x("SELECT name, len(args), bool_or(nested) FROM arg_facts GROUP BY ALL").fetchall()
        if any(nested for _, _, nested in groups):
            raise Unsupported("facts with compound arguments on the text path")
        self.types: ColumnTypes = {}
        for name, arity, _ in groups:
            sig = (name, arity)
            if not arity:
                self.types[sig] = []
                continue
            checks = ", ".join(
                f"bool_and(regexp_full_match(args[{i + 1}], '-?[0-9]+')), "
                f"bool_and(starts_with(args[{i + 1}], '\"')), "
                f"bool_and(NOT regexp_full_match(args[{i + 1}], '-?[0-9]+') "
                f"AND NOT starts_with(args[{i + 1}], '\"'))"
                for i in range(arity)
            )
            flags = x(
                f"SELECT {checks} FROM arg_facts WHERE name = {sql_str(name)} "
                f"AND len(args) = {arity}"
            ).fetchone()
            kinds = []
            for i in range(arity):
                is_int, is_str, is_const = flags[3 * i : 3 * i + 3]
                kinds.append(INT if is_int else STR if is_str else CONST if is_const else TEXT)
            self.types[sig] = kinds

    def load(self, plan: Plan) -> None:
        for sig, have in self.types.items():
            name, arity = sig
            if not arity:
                self.engine.x(
                    f"INSERT INTO {table(sig)} SELECT DISTINCT TRUE FROM arg_facts "
                    f"WHERE name = {sql_str(name)} AND len(args) = 0"
                )
                continue
            want = plan.types.get(sig, have)
            cols = []
            for i, (h, w) in enumerate(zip(have, want, strict=True)):
                raw = f"args[{i + 1}]"
                if w == TEXT or h == TEXT:
                    cols.append(raw)  # clingo's text is the TEXT encoding
                elif h != w:
                    raise Unsupported(f"fact column {name}/{arity} #{i}: {h} read as {w}")
                elif h == INT:
                    cols.append(f"CAST({raw} AS BIGINT)")
                elif h == STR:
                    cols.append(_unescape(f"{raw}[2:-2]"))
                else:
                    cols.append(raw)
            self.engine.x(
                f"INSERT INTO {table(sig)} SELECT DISTINCT {', '.join(cols)} FROM arg_facts "
                f"WHERE name = {sql_str(name)} AND len(args) = {arity}"
            )
        self.engine.x("DROP TABLE raw_facts")
        self.engine.x("DROP TABLE arg_facts")


def evaluate(
    program: Program, facts: Sequence[Symbol], threads: int | None = None, via: str = "text"
) -> dict[str, Any]:
    """The program's shown atoms from DuckDB, with the time of each phase: facts out of
    clingo's symbols (`columns_s`), into DuckDB (`load_s`), the rules, the answer read."""
    engine = Engine(threads)
    tmp_parent = "/tmp/columnar" if os.path.isdir("/tmp/columnar") else None
    tmp = tempfile.mkdtemp(prefix="columnar-", dir=tmp_parent)
    try:
        t0 = time.perf_counter()
        if via == "text":
            text = TextFacts(engine, [*program.facts, *facts], tmp)
            t1 = time.perf_counter()
            plan = plan_program(program, text.types)
            fact_sigs = set(text.types)
        else:
            columns = symbols_to_columns([program.facts, facts])
            t1 = time.perf_counter()
            plan = plan_program(program, columns.types)
            fact_sigs = set(columns.types)
        mentioned = {b for d in dependencies(program).values() for b in d}
        engine.create_tables(plan, set(plan.types) | fact_sigs | mentioned)
        if via == "text":
            text.load(plan)
        else:
            engine.load(columns, plan, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    t2 = time.perf_counter()
    engine.run(plan)
    t3 = time.perf_counter()
    shown = engine.shown(program, plan)
    t4 = time.perf_counter()
    engine.con.close()
    return {
        "shown": shown,
        "columns_s": t1 - t0,
        "load_s": t2 - t1,
        "rules_s": t3 - t2,
        "read_s": t4 - t3,
        "total_s": t4 - t0,
        "strata": plan.strata,
        "log": engine.log,
        "iterations": engine.iterations,
        "plan": plan,
    }


# ---- the audit's slice and facts --------------------------------------------------------------


def audit_question(policy: Any, size: int) -> dict[str, Any]:
    """Facts and slice for a plain check_leave of a generated year, as `presence.solve_plan`
    cuts it (a small plan on the predicates it has, a big one on its mode alone)."""
    from clingo import Function, String

    from bench import gen
    from govrules.asp.facts import constant, fact
    from govrules.inputs import load_org, load_plan
    from govrules.presence import _SCAN_AT_MOST, leave_facts

    org_data = gen.organisation(size)
    plan_data = gen.year_plan(org_data)
    if size > 20_000:  # past the public bounds: the plan's value budget raised in this process
        from govrules.inputs import loaders

        loaders._load.__defaults__ = (10**8,)
    org = load_org(org_data)
    plan = load_plan(plan_data, org)
    settings = policy.interpretations(None)
    started = time.perf_counter()
    facts = leave_facts(policy, org, plan)
    symbols_s = time.perf_counter() - started
    program = policy.question_program()
    exact = [fact("mode", constant("leave"))]
    present = None
    if len(facts) <= _SCAN_AT_MOST:
        signatures, exact = program.classify(facts)
        present = frozenset(signatures)
    switched = [Function("interp", [String(k)]) for k, v in settings.items() if v]
    sliced = program.program([*exact, *switched], present, None)
    return {
        "org_data": org_data,
        "plan_data": plan_data,
        "facts": facts,
        "symbols_s": symbols_s,
        "slicer": program,
        "exact": exact,
        "present": present,
        "interpretations": [k for k, v in settings.items() if v],
        "slice_text": sliced.text,
        "switched": switched,
    }


def clingo_answer(q: dict[str, Any]) -> tuple[set[str], float, dict[str, float]]:
    from govrules.asp.solve import solve

    stats: dict[str, float] = {}
    started = time.perf_counter()
    answer = solve(
        q["slicer"],
        q["facts"],
        interpretations=q["interpretations"],
        timeout=3600,
        exact=q["exact"],
        present=q["present"],
        statistics=stats,
    )
    seconds = time.perf_counter() - started
    return {str(a) for a in answer.atoms}, seconds, stats


def describe(program: Program, plan: Plan) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    for kind, _, _ in plan.strata:
        kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "rules": len(program.rules),
        "program_facts": len(program.facts),
        "shown": [f"{n}/{a}" for n, a in program.shown],
        "ignored": program.ignored,
        "constructs": dict(sorted(program.constructs.items())),
        "strata": kinds,
        "recursive": [
            f"{k}: {', '.join(f'{n}/{a}' for n, a in p)}" for k, p, _ in plan.strata if k != "plain"
        ],
    }


def row(policy: Any, size: int, peer: bool, dump: str | None, via: str = "text") -> dict[str, Any]:
    from bench import duckdb_peer, gen

    q = audit_question(policy, size)
    if dump:
        with open(os.path.join(dump, f"slice-{size}.lp"), "w", encoding="utf-8") as slice_file:
            slice_file.write(q["slice_text"])
    # The slice's program with the interpretations it is asked with: the same text clingo
    # grounds (interp/1 facts are input facts, as solve() adds them).
    program = read_program(q["slice_text"])
    facts = [*q["facts"], *q["switched"]]
    gc.collect()
    theirs, clingo_s, stats = clingo_answer(q)
    gc.collect()
    mine = evaluate(program, facts, via=via)
    out: dict[str, Any] = {
        "people": size,
        "via": via,
        "facts": len(facts),
        "slice": "present-keyed" if q["present"] is not None else "mode-keyed",
        "symbols_s": q["symbols_s"],
        "clingo_s": clingo_s,
        "clingo_ground_s": stats.get("ground_seconds"),
        "atoms": stats.get("atoms"),
        "duckdb_columns_s": mine["columns_s"],
        "duckdb_load_s": mine["load_s"],
        "duckdb_rules_s": mine["rules_s"],
        "duckdb_read_s": mine["read_s"],
        "duckdb_s": mine["total_s"],
        "shown": len(theirs),
        "findings": sum(1 for s in theirs if s.startswith("finding(")),
        "same": mine["shown"] == theirs,
        "only_clingo": sorted(theirs - mine["shown"])[:3],
        "only_duckdb": sorted(mine["shown"] - theirs)[:3],
        "iterations": mine["iterations"],
        "slowest": sorted(mine["log"], key=lambda x: -x[1])[:3],
        "describe": describe(program, mine["plan"]),
    }
    if peer:
        gc.collect()
        workdays = gen.workdays(policy, q["plan_data"])
        started = time.perf_counter()
        duckdb_peer.duckdb_audit(q["org_data"], q["plan_data"], workdays)
        out["peer_s"] = time.perf_counter() - started
    return out


def render(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| people | facts | slice | clingo ground+solve s "
        "| DuckDB generic s (columns / load / rules+read) | peer s "
        "| generic / clingo | generic / peer | shown atoms | same |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        peer = f"{r['peer_s']:.2f}" if "peer_s" in r else "-"
        ratio = f"{r['duckdb_s'] / r['peer_s']:.1f}x" if "peer_s" in r else "-"
        lines.append(
            f"| {r['people']:,} | {r['facts']:,} | {r['slice']} | {r['clingo_s']:.2f} "
            f"| {r['duckdb_s']:.2f} ({r['duckdb_columns_s']:.2f} / {r['duckdb_load_s']:.2f} / "
            f"{r['duckdb_rules_s'] + r['duckdb_read_s']:.2f}) | {peer} "
            f"| {r['duckdb_s'] / r['clingo_s']:.2f} | {ratio} | {r['shown']:,} "
            f"| {'yes' if r['same'] else 'NO'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--dump", default=None, help="a folder for each size's slice text")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--via",
        choices=("text", "symbols"),
        default="text",
        help="facts out of clingo: str() of each, split by DuckDB (text), or read argument "
        "by argument through clingo's API and written as CSV (symbols)",
    )
    parser.add_argument("--out", default=None, help="write the table as a section of this file")
    args = parser.parse_args()
    import govrules

    policy = govrules.load_policy()
    rows = []
    for size in args.sizes:
        r = row(policy, size, not args.no_peer, args.dump, args.via)
        rows.append(r)
        brief = {k: v for k, v in r.items() if k != "describe" or args.verbose}
        print(json.dumps(brief, ensure_ascii=False, default=str), flush=True)
    d = rows[-1]["describe"]
    print(json.dumps(d, ensure_ascii=False, indent=1, default=str))
    print(render(rows))
    equality = (f"{r['people']:,}: {'equal' if r['same'] else 'DIFFERENT'}" for r in rows)
    said = "equality of shown atoms: " + ", ".join(equality)
    print(said)
    if args.out:
        from pathlib import Path

        from bench import sections

        when, load = sections.stamp()
        lines = [
            "## 11. The columnar design: the audit's slice in DuckDB (`python -m bench.columnar`)",
            "",
            f"Measured {when}; load average at the end {load}. The plain leave audit's slice,",
            "as `presence.solve_plan` cuts it, translated into DuckDB SQL by a generic translator",
            "(this module names no predicate of the policy), against clingo on the same slice and",
            "facts, and the hand-written SQL peer from plain data (facts built before the clocks).",
            "",
            render(rows),
            "",
            said + ".",
        ]
        sections.replace(Path(args.out), NAME, sections.section(NAME, lines))


if __name__ == "__main__":
    main()
