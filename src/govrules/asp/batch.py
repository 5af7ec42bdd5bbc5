"""One grounding for many documents: a slice rewritten with a document argument.

Grounding has a fixed cost per rule and per body literal, paid on every `ground()` call
whatever the facts (about 1 ms for a document question's slice, most of its time). A batch
of documents that ask the same question (the same slice: same kind of document, same
interpretations) pays it once: every predicate that depends on a document's own facts
gets the document's number as a first argument, every rule that mentions one is joined
with `batch_doc(D)`, and the documents' facts are added with their numbers. What depends
only on the organisation and the policy (the procedures, who holds which post) stays
shared. Each document's answer is the shown atoms carrying its number, with the number
taken off: the same atoms the slice alone would give for that document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from clingo import Control, Function, Number, Symbol, SymbolType
from clingo.ast import AST, ASTType, Location, Position, Sign, Transformer
from clingo.ast import Function as AstFunction
from clingo.ast import Literal as AstLiteral
from clingo.ast import SymbolicAtom as AstSymbolicAtom
from clingo.ast import SymbolicTerm as AstSymbolicTerm
from clingo.ast import Variable as AstVariable

from govrules.asp.shared import AST_LOCK, add_statements
from govrules.asp.slicing import Signature, Slice, read_predicates, rule_heads

__all__ = ["BatchAtom", "BatchProgram", "Unsupported"]

DOC_VAR = "DOC__"
DOC_PRED = "batch_doc"
_HERE = Location(Position("<batch>", 1, 1), Position("<batch>", 1, 1))


class Unsupported(Exception):
    """The slice has a construct the rewriting does not handle: answer one by one."""


@dataclass(frozen=True)
class BatchAtom:
    """A shown atom of one document, its number taken off (duck-types `clingo.Symbol` for
    `name` and `arguments`)."""

    name: str
    arguments: list[Symbol]


class _AddDocument(Transformer):
    """Prepends the document variable to every atom of a per-document predicate."""

    def __init__(self, per_doc: frozenset[Signature]) -> None:
        self.per_doc = per_doc

    def visit_SymbolicAtom(self, node: AST) -> AST:
        term = node.symbol
        doc = AstVariable(_HERE, DOC_VAR)
        if term.ast_type == ASTType.Function and not term.external:
            if (term.name, len(term.arguments)) in self.per_doc:
                return node.update(
                    symbol=AstFunction(term.location, term.name, [doc, *term.arguments], 0)
                )
        elif term.ast_type == ASTType.SymbolicTerm and term.symbol.type == SymbolType.Function:
            sym = term.symbol
            if (sym.name, len(sym.arguments)) in self.per_doc:
                args = [AstSymbolicTerm(term.location, a) for a in sym.arguments]
                return node.update(symbol=AstFunction(term.location, sym.name, [doc, *args], 0))
        return node


def _doc_literal() -> AST:
    return AstLiteral(
        _HERE,
        Sign.NoSign,
        AstSymbolicAtom(AstFunction(_HERE, DOC_PRED, [AstVariable(_HERE, DOC_VAR)], 0)),
    )


class BatchProgram:
    """A slice rewritten for many documents; `inputs` are the predicates of the documents'
    own facts (every other fact is shared)."""

    def __init__(self, sliced: Slice, inputs: frozenset[Signature]) -> None:
        # The slice's statements are shared with other threads' questions (`asp.shared`).
        with AST_LOCK:
            self._rewrite(sliced, inputs)

    def _rewrite(self, sliced: Slice, inputs: frozenset[Signature]) -> None:
        rules = []
        for stmt in sliced.statements:
            if stmt.ast_type == ASTType.Rule:
                reads: set[Signature] = set()
                for literal in stmt.body:
                    read_predicates(literal, reads)
                heads = {a.signature for a in rule_heads(stmt.head)}
                read_predicates(stmt.head, reads)
                rules.append((stmt, heads, reads))
        per_doc = set(inputs)
        changed = True
        while changed:
            changed = False
            for _, heads, reads in rules:
                if (reads | heads) & per_doc and not heads <= per_doc:
                    per_doc |= heads
                    changed = True
        self.per_doc = frozenset(per_doc)
        adder = _AddDocument(self.per_doc)
        statements: list[AST] = []
        for stmt in sliced.statements:
            kind = stmt.ast_type
            if kind == ASTType.Rule:
                reads = set()
                read_predicates(stmt, reads)
                if not reads & self.per_doc:
                    statements.append(stmt)
                    continue
                if stmt.head.ast_type != ASTType.Literal:
                    raise Unsupported("a choice or aggregate head over a document's atoms")
                rewritten = adder(stmt)
                statements.append(rewritten.update(body=[*rewritten.body, _doc_literal()]))
            elif kind == ASTType.ShowSignature:
                if (stmt.name, stmt.arity) in self.per_doc:
                    stmt = stmt.update(arity=stmt.arity + 1)
                statements.append(stmt)
            elif kind in (ASTType.Program, ASTType.Defined, ASTType.Comment):
                statements.append(stmt)
            else:
                reads = set()
                read_predicates(stmt, reads)
                if reads & self.per_doc:
                    raise Unsupported(f"statement {stmt} over a document's atoms")
                statements.append(stmt)
        self.statements = tuple(statements)
        self.shared_facts = tuple(
            f for f in sliced.facts if (f.name, len(f.arguments)) not in self.per_doc
        )
        self.doc_program_facts = tuple(
            (f.name, f.arguments)
            for f in sliced.facts
            if (f.name, len(f.arguments)) in self.per_doc
        )

    def solve(
        self,
        shared: Iterable[Symbol],
        documents: Sequence[Sequence[tuple[str, list[Symbol]]]],
        *,
        run: Callable[[Control, list[list[Symbol]]], object],
    ) -> list[list[BatchAtom]]:
        """Ground once with the `shared` facts and each document's own facts (predicate,
        arguments); the shown atoms of each document. `run(ctl, models)` solves (bounded
        in time)."""
        ctl = Control(["--models=1", "--warn=none"])
        add_statements(ctl, self.statements)
        per_doc = self.per_doc
        with ctl.backend() as backend:
            add_atom, add_rule = backend.add_atom, backend.add_rule
            for sym in (*self.shared_facts, *shared):
                add_rule([add_atom(sym)])
            for index, facts in enumerate(documents):
                number = Number(index)
                add_rule([add_atom(Function(DOC_PRED, [number]))])
                for name, args in self.doc_program_facts:
                    add_rule([add_atom(Function(name, [number, *args]))])
                for name, args in facts:
                    if (name, len(args)) in per_doc:
                        add_rule([add_atom(Function(name, [number, *args]))])
                    else:
                        add_rule([add_atom(Function(name, args))])
        ctl.ground([("base", [])])
        models: list[list[Symbol]] = []
        run(ctl, models)
        out: list[list[BatchAtom]] = [[] for _ in documents]
        shared_atoms: list[BatchAtom] = []
        for sym in models[0] if models else ():
            name, args = sym.name, sym.arguments
            if (name, len(args) - 1) in per_doc and args[0].type == SymbolType.Number:
                out[args[0].number].append(BatchAtom(name, args[1:]))
            else:
                shared_atoms.append(BatchAtom(name, args))
        if shared_atoms:
            for atoms in out:
                atoms.extend(shared_atoms)
        return out
