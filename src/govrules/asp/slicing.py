"""Program slicing: keep only the rules that can fire for the question asked.

A query grounds the kernel and the whole compiled policy, but most of it cannot fire: a
route question has no trace and no absences, an outgoing document makes every incoming
procedure inapplicable, and `mode(leave)` switches off every document rule. Grounding
those rules still costs time, so before grounding we drop the rules whose positive body
cannot be satisfied.

The analysis is a sound over-approximation, computed once per *key* and cached:

* a few input predicates have a small, closed domain and are passed exactly (`mode/1`,
  `interp/1`, `doc_kind/1`, `doc_name/1`, `doc_flag/1`, `enumerate/0`, `suggest/0`): their
  atoms are known one by one;
* every other input predicate is assumed possibly non-empty (we never scan large fact
  sets);
* an atom is abstracted to a pattern: each argument is either a ground term (kept as
  text) or a wildcard (anything with a variable); a rule is *possible* when every positive
  body literal unifies with the head pattern of a possible rule or with an input
  pattern; a fixpoint over the rules gives the possible ones.

Dropping a rule that can never fire does not change the answer sets, so the sliced
program answers exactly as the whole program would. Only rule text from the compiled
policy and the kernel is kept or dropped; user data still enters as symbols.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from threading import Lock
from typing import Any

from clingo import Symbol, SymbolType, parse_term
from clingo.ast import AST, ASTType, ShowSignature, Sign, parse_string

from govrules.asp.shared import AST_LOCK
from govrules.asp.slice_names import (
    KeptExact,
    KeptSlice,
    Key,
    Signature,
    slice_key,
    slice_name,
)
from govrules.cache import code_entry_name, read_entry, write_entry

__all__ = [
    "EXACT_PREDICATES",
    "KeptSlices",
    "Signature",
    "Slice",
    "SlicedProgram",
    "Slicer",
    "analysis_name",
    "read_predicates",
    "rule_heads",
]

# Input predicates whose every atom is known before grounding (small, closed domains).
EXACT_PREDICATES = frozenset(
    {
        ("mode", 1),
        ("interp", 1),
        ("doc_kind", 1),
        ("doc_name", 1),
        ("doc_flag", 1),
        ("enumerate", 0),
        ("suggest", 0),
    }
)
WILD = None  # a pattern argument that matches anything
_CACHE_SIZE = 256

Pattern = tuple[str | None, ...]


@dataclass(frozen=True)
class Slice:
    """The part of a program a question needs: parsed statements for the grounder, and
    its ground facts as symbols (added through the backend: nothing to ground)."""

    statements: tuple[AST, ...]
    facts: tuple[Symbol, ...]
    # The slice as program text when it was read from the compiled-policy cache rather
    # than cut in this process (`KeptSlices`): text the policy compiled, never user data.
    source: str = ""

    @property
    def text(self) -> str:
        if self.source:
            return self.source
        with AST_LOCK:
            shown = [str(s) for s in self.statements]
        return "\n".join([*shown, *(f"{f}." for f in self.facts)])


@dataclass(frozen=True)
class _Atom:
    name: str
    pattern: Pattern  # ground arguments as text, WILD elsewhere
    variables: tuple[str | None, ...] = ()  # the variable an argument is, if it is one

    @property
    def signature(self) -> Signature:
        return (self.name, len(self.pattern))


def _term_pattern(term: AST) -> str | None:
    """A ground term's text, or a wildcard for anything with a variable in it."""
    if term.ast_type == ASTType.Variable:
        return WILD
    found = False

    def visit(node: AST) -> None:
        nonlocal found
        if node.ast_type == ASTType.Variable:
            found = True
            return
        for key in node.child_keys:
            child = getattr(node, key)
            if isinstance(child, AST):
                visit(child)
            elif child is not None and not isinstance(child, str | int):
                for item in child:
                    if isinstance(item, AST):
                        visit(item)

    visit(term)
    return WILD if found else str(term)


def _variable(term: AST) -> str | None:
    if term.ast_type == ASTType.Variable and term.name != "_":
        return str(term.name)
    return None


def _symbolic(literal: AST) -> _Atom | None:
    """The atom of a plain symbolic literal (p(t1,...) or its negation), else None."""
    if literal.ast_type != ASTType.Literal or literal.atom.ast_type != ASTType.SymbolicAtom:
        return None
    term = literal.atom.symbol
    if term.ast_type == ASTType.Function and not term.external:
        return _Atom(
            term.name,
            tuple(_term_pattern(a) for a in term.arguments),
            tuple(_variable(a) for a in term.arguments),
        )
    if term.ast_type == ASTType.SymbolicTerm and term.symbol.type == SymbolType.Function:
        sym = term.symbol
        args = tuple(str(a) for a in sym.arguments)
        return _Atom(sym.name, args, (None,) * len(args))
    return None


def _heads(head: AST) -> list[_Atom]:
    """The atoms a rule head can derive (none for a constraint)."""
    if head.ast_type == ASTType.Literal:
        atom = _symbolic(head)
        return [atom] if atom is not None else []
    out: list[_Atom] = []
    for element in getattr(head, "elements", ()):
        literal = getattr(element, "literal", None)
        if literal is not None:
            atom = _symbolic(literal)
            if atom is not None:
                out.append(atom)
    return out


@dataclass
class _Rule:
    index: int
    heads: list[_Atom]
    needs: list[_Atom]  # positive symbolic body literals
    uses: tuple[Signature, ...] = ()  # every predicate the rule reads, in any way (sorted)
    constraint: bool = False


def _read_predicates(node: AST, out: set[Signature]) -> None:
    """Every predicate an AST reads (symbolic atoms anywhere below it)."""
    if node.ast_type == ASTType.SymbolicAtom:
        term = node.symbol
        if term.ast_type == ASTType.Function and not term.external:
            out.add((term.name, len(term.arguments)))
        elif term.ast_type == ASTType.SymbolicTerm and term.symbol.type == SymbolType.Function:
            out.add((term.symbol.name, len(term.symbol.arguments)))
        return
    for key in node.child_keys:
        child = getattr(node, key)
        if isinstance(child, AST):
            _read_predicates(child, out)
        elif child is not None and not isinstance(child, str | int):
            for item in child:
                if isinstance(item, AST):
                    _read_predicates(item, out)


def _symbol_pattern(sym: Symbol) -> _Atom:
    args = tuple(str(a) for a in sym.arguments)
    return _Atom(sym.name, args, (None,) * len(args))


# Statements that read no predicate an answer depends on.
_NOT_READING = frozenset(
    {
        ASTType.Rule,
        ASTType.Comment,
        ASTType.Defined,
        ASTType.ShowSignature,
        ASTType.Program,
        ASTType.External,
    }
)

Binding = dict[str, str | None]
_MAX_BINDINGS = 256  # beyond this a rule's head is abstracted to wildcards
_MAX_PATTERNS = 512  # beyond this a predicate is abstracted to one all-wildcard pattern


def _extend(binding: Binding, atom: _Atom, pattern: Pattern) -> Binding | None:
    """`binding` extended so that `atom` matches `pattern`, or None when they clash."""
    out: Binding | None = None
    for value, var, given in zip(atom.pattern, atom.variables, pattern, strict=True):
        if var is not None:
            bound = (out or binding).get(var, WILD)
            if bound is not WILD and given is not WILD and bound != given:
                return None
            if bound is WILD and given is not WILD:
                if out is None:
                    out = dict(binding)
                out[var] = given
        elif value is not WILD and given is not WILD and value != given:
            return None
    return out if out is not None else binding


@dataclass(frozen=True)
class Analysis:
    """What slicing knows of a parsed program besides its statements: each rule's heads,
    positive body atoms and read predicates, what the answer shows or other statements
    read, and the program's ground facts as text. Plain data, so that the compiled-policy
    cache keeps it (`cache`: JSON with an HMAC, never code)."""

    statements: int  # how many statements the program parses to
    rules: tuple[_Rule, ...]
    shown: tuple[Signature, ...]
    facts: tuple[tuple[int, str], ...]  # (statement index, fact text)


def analysis_name(text: str) -> str:
    """The cache entry of a program's analysis: a changed walk (this module) or a changed
    parser (clingo, govrules) must not serve an old one."""
    return code_entry_name("slicing", __file__, text)


def _usable(analysis: Any, statements: int) -> Analysis | None:
    """A cached analysis when it has the shape `analyse` gives for this many statements;
    None (walk again) for anything else an entry might hold."""
    if not isinstance(analysis, Analysis) or analysis.statements != statements:
        return None
    try:
        for rule in analysis.rules:
            ok = isinstance(rule, _Rule) and 0 <= rule.index < statements
            ok = ok and all(isinstance(a, _Atom) for a in (*rule.heads, *rule.needs))
            ok = ok and all(len(u) == 2 for u in rule.uses)
            if not ok:
                return None
        if not all(len(s) == 2 for s in analysis.shown):
            return None
        if not all(isinstance(t, str) and 0 <= i < statements for i, t in analysis.facts):
            return None
    except (TypeError, ValueError):
        return None
    return analysis


def analyse(statements: list[AST]) -> Analysis:
    """A parsed program's analysis (of nodes no other thread walks at the same time)."""
    rules: list[_Rule] = []
    for index, stmt in enumerate(statements):
        if stmt.ast_type != ASTType.Rule:
            continue
        heads = _heads(stmt.head)
        needs = []
        uses: set[Signature] = set()
        for literal in stmt.body:
            atom = _symbolic(literal)
            if atom is not None and literal.sign == Sign.NoSign:
                needs.append(atom)
            _read_predicates(literal, uses)
        if stmt.head.ast_type != ASTType.Literal:  # conditions of a choice's elements
            for element in getattr(stmt.head, "elements", ()):
                for condition in getattr(element, "condition", ()):
                    _read_predicates(condition, uses)
        rules.append(_Rule(index, heads, needs, tuple(sorted(uses)), not heads))
    # What the answer shows, and what any other kept statement reads (#minimize, a #show
    # with a term, #heuristic, ...), is needed whatever the question.
    shown = {
        (str(stmt.name), int(stmt.arity))
        for stmt in statements
        if stmt.ast_type == ASTType.ShowSignature
    }
    for stmt in statements:
        if stmt.ast_type not in _NOT_READING:
            _read_predicates(stmt, shown)
    facts = []
    for rule in rules:
        stmt = statements[rule.index]
        if not stmt.body and stmt.head.ast_type == ASTType.Literal and rule.heads:
            head = rule.heads[0]
            if all(v is not WILD for v in head.pattern) and stmt.head.sign == Sign.NoSign:
                facts.append((rule.index, str(stmt.head)))
    return Analysis(len(statements), tuple(rules), tuple(sorted(shown)), tuple(facts))


class Slicer:
    """What a question's program is cut with: `SlicedProgram` (the program parsed in this
    process) or `KeptSlices` (the slices earlier processes cut, read from the cache)."""

    exact: frozenset[Signature]

    def classify(self, facts: Iterable[Symbol]) -> tuple[set[Signature], list[Symbol]]:
        """The predicates of `facts`, and those facts over the exact predicates (call it on
        small lists only: it looks at every fact)."""
        signatures: set[Signature] = set()
        exact: list[Symbol] = []
        for f in facts:
            sig = (f.name, len(f.arguments))
            signatures.add(sig)
            if sig in self.exact:
                exact.append(f)
        return signatures, exact

    def program(
        self,
        exact: Iterable[Symbol],
        present: Iterable[Signature] | None = None,
        goals: Iterable[Signature] | None = None,
    ) -> Slice:
        raise NotImplementedError


class KeptSlices(Slicer):
    """The slices of a program that first questions needed, kept in the compiled-policy
    cache as text: a one-shot process (`govrules route ...`) answers with its question's
    slice without parsing the whole program, which takes longer than the question. A
    slice not kept yet is cut from the program parsed here (`parse`, as a second question
    would be) and kept for the next process. Only a process's first question keeps its
    slice, not every slice a long-running process cuts: the cache holds one per question
    shape a process started with (kind, conditions, interpretations, which inputs)."""

    def __init__(self, text: str, parse: Callable[[], SlicedProgram]) -> None:
        self._name = analysis_name(text)
        self._parse = parse
        kept = read_entry(self._name + "-exact", (KeptExact,))
        if isinstance(kept, KeptExact) and isinstance(kept.exact, tuple):
            exact = frozenset(kept.exact)
            if exact <= EXACT_PREDICATES:
                self.exact = exact
                return
        self.exact = parse().exact
        write_entry(self._name + "-exact", KeptExact(tuple(sorted(self.exact))))

    def program(
        self,
        exact: Iterable[Symbol],
        present: Iterable[Signature] | None = None,
        goals: Iterable[Signature] | None = None,
    ) -> Slice:
        facts = list(exact)
        name = slice_name(self._name, slice_key(facts, present, goals, self.exact))
        kept = read_entry(name, (KeptSlice,))
        if isinstance(kept, KeptSlice) and isinstance(kept.source, str) and kept.source:
            return Slice((), (), kept.source)
        sliced = self._parse().program(facts, present, goals)
        write_entry(name, KeptSlice(sliced.text))
        return sliced


class SlicedProgram(Slicer):
    """A program parsed once, sliced per question; slices are cached by their key."""

    def __init__(self, text: str, *, use_cache: bool = True) -> None:
        self.text = text
        self._statements: list[AST] = []
        with AST_LOCK:
            parse_string(text, self._statements.append)
        # Walking the parsed program costs thirty times parsing it: what the walk finds is
        # kept in the compiled-policy cache for the next process, named by everything it
        # depends on (the text, this module's code, the versions of govrules and clingo).
        name = analysis_name(text)
        analysis = read_entry(name, (Analysis, _Rule, _Atom)) if use_cache else None
        known = _usable(analysis, len(self._statements))
        if known is None:
            # Fresh nodes no other thread has yet: walked without the AST lock.
            known = analyse(self._statements)
            if use_cache:
                write_entry(name, known)
        self._rules = list(known.rules)
        self._shown = set(known.shown)
        derived = {h.signature for r in self._rules for h in r.heads}
        self._derived = frozenset(derived)
        self.exact = frozenset(s for s in EXACT_PREDICATES if s not in derived)
        self._cache: OrderedDict[Key, Slice] = OrderedDict()
        # Ground facts of the program (rule/3, proc_rule/2, ...) as symbols.
        self._facts: dict[int, Symbol] = {i: parse_term(t) for i, t in known.facts}
        self._lock = Lock()

    def program(
        self,
        exact: Iterable[Symbol],
        present: Iterable[Signature] | None = None,
        goals: Iterable[Signature] | None = None,
    ) -> Slice:
        """The program text for a question whose exact facts are `exact`. `present` lists
        the input predicates that have facts (None: assume every one may have). `goals`,
        when given, are the only predicates the question reads: the slice shows them alone
        and keeps only the rules they depend on, no constraint (for a search-free question
        such as who the rules relate, which asks what follows, not whether it is allowed)."""
        facts = list(exact)
        key = slice_key(facts, present, goals, self.exact)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        sliced = self._slice([_symbol_pattern(s) for s in facts], key[1], key[2])
        with self._lock:
            self._cache[key] = sliced
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return sliced

    def _slice(
        self,
        exact: list[_Atom],
        present: frozenset[Signature] | None,
        goals: frozenset[Signature] | None = None,
    ) -> Slice:
        possible: dict[Signature, set[Pattern]] = {}
        for atom in exact:
            possible.setdefault(atom.signature, set()).add(atom.pattern)
        inputs: dict[Signature, set[Pattern]] = {}

        def candidates(sig: Signature) -> set[Pattern]:
            if sig in self.exact or sig in self._derived:
                return possible.get(sig, set())
            if present is not None and sig not in present:
                return set()
            return inputs.setdefault(sig, {(WILD,) * sig[1]})

        # A rule is looked at again only when a predicate it needs gained a pattern since
        # it was last looked at: looked at again, it would add nothing (the same sweeps,
        # the same result, without their repeats). That rests on `add` never taking a
        # pattern away but to put the all-wildcard one in their place, which takes every
        # pattern after it: a coarser abstraction must bump `grew` too.
        clock = 0  # how many patterns were added so far
        grew: dict[Signature, int] = {}  # each predicate's last gain, by the clock
        looked: dict[int, int] = {}  # each rule's last look, by the clock

        def add(sig: Signature, pattern: Pattern) -> bool:
            nonlocal clock
            patterns = possible.setdefault(sig, set())
            if pattern in patterns:
                return False
            wild = (WILD,) * sig[1]
            if wild in patterns:
                return False
            if len(patterns) >= _MAX_PATTERNS:
                patterns.clear()
                pattern = wild
            patterns.add(pattern)
            clock += 1
            grew[sig] = clock
            return True

        live: set[int] = set()
        changed = True
        while changed:
            changed = False
            for rule in self._rules:
                last = looked.get(rule.index)
                if last is not None and all(grew.get(n.signature, 0) <= last for n in rule.needs):
                    continue
                looked[rule.index] = clock
                bindings: list[Binding] = [{}]
                for need in rule.needs:
                    grown: list[Binding] = []
                    for binding in bindings:
                        for pattern in candidates(need.signature):
                            extended = _extend(binding, need, pattern)
                            if extended is not None:
                                grown.append(extended)
                    if len(grown) > _MAX_BINDINGS:
                        grown = [{}]
                    bindings = grown
                    if not bindings:
                        break
                if not bindings:
                    continue
                live.add(rule.index)
                for head in rule.heads:
                    for binding in bindings:
                        pattern = tuple(
                            value if var is None else binding.get(var, WILD)
                            for value, var in zip(head.pattern, head.variables, strict=True)
                        )
                        changed |= add(head.signature, pattern)
        # Backwards: keep a live rule only when what it derives is shown (or a goal) or read
        # by a kept rule (constraints are always kept, but for goals: they remove answers).
        needed = set(self._shown if goals is None else goals)
        kept: set[int] = set()
        changed = True
        while changed:
            changed = False
            for rule in self._rules:
                if rule.index in kept or rule.index not in live:
                    continue
                keeps = rule.constraint and goals is None
                if keeps or any(h.signature in needed for h in rule.heads):
                    kept.add(rule.index)
                    needed.update(rule.uses)
                    changed = True
        live = kept
        dropped: tuple[ASTType, ...] = (ASTType.Comment, ASTType.Defined)
        if goals is not None:
            dropped += (ASTType.ShowSignature, ASTType.ShowTerm, ASTType.Minimize)
        statements = tuple(
            stmt
            for index, stmt in enumerate(self._statements)
            if (stmt.ast_type != ASTType.Rule or index in live)
            and index not in self._facts
            # Comments say nothing to the solver; #defined only silences warnings, and
            # the solver runs with --warn=none. A question of goals shows those alone.
            and stmt.ast_type not in dropped
        )
        if goals is not None and self._statements:
            where = self._statements[0].location
            with AST_LOCK:
                statements += tuple(
                    ShowSignature(where, name, arity, True) for name, arity in sorted(goals)
                )
        facts = tuple(sym for index, sym in self._facts.items() if index in live)
        return Slice(statements, facts)


def read_predicates(node: AST, out: set[Signature]) -> None:
    """Every predicate a statement or part of one mentions (symbolic atoms below it)."""
    _read_predicates(node, out)


def rule_heads(head: AST) -> list[_Atom]:
    """The atoms a rule head can derive."""
    return _heads(head)
