"""A document's answer (a route's or a check's) and how it is read from the solver's model.

Light on purpose: it imports neither the input models nor the compiled program, so that a
route answered from its kit (`quickroute`) builds the very same answer, printed by the
very same code, as a route answered in full (`routing`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Protocol

from govrules.errors import Bilingual, SolverLimitError
from govrules.orders import count_orders, depths, first_orders, step_id
from govrules.results import Result, dump

if TYPE_CHECKING:
    from govrules.explain import Explanation
    from govrules.policy_text import PolicyText

__all__ = [
    "MAX_ORDER_STEPS",
    "CheckResult",
    "LabelsLike",
    "PlainAtom",
    "RouteResult",
    "Shown",
    "Step",
    "check_listable",
    "listed_orders",
    "read_shown",
]

# Listing orders grounds a program quadratic in the steps (and grounding cannot be
# interrupted): past this many steps `route` gives steps, precedence and the exact count,
# and refuses to list orders (exit 3) unless asked for none (`--limit 0`).
MAX_ORDER_STEPS = 64


class LabelsLike(Protocol):
    """How an answer names roles and actions (`labels.Labels`, `ir.Program`)."""

    def label(self, kind: str, ident: str, lang: str) -> str: ...
    def role_label(self, ident: str, lang: str) -> str: ...


@dataclass(frozen=True)
class Step:
    id: str
    actor: str
    role: str
    action: str
    article: int
    rule: str
    # Every rule (and its article) that requires the step: procedures may share a step.
    rules: tuple[tuple[str, int], ...] = ()

    def to_json(self, labels: LabelsLike | None = None, lang: str = "zh") -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "actor": self.actor,
            "role": self.role,
            "action": self.action,
            "article": self.article,
            "rule": self.rule,
            "required_by": [{"rule": r, "article": a} for r, a in self.rules],
        }
        if labels is not None:
            data["role_label"] = labels.role_label(self.role, lang)
            data["action_label"] = labels.label("action", self.action, lang)
        return data


@dataclass
class RouteResult(Result):
    document: str = ""
    steps: list[Step] = field(default_factory=list)
    precedence: list[tuple[str, str, str]] = field(default_factory=list)  # (before, after, rule)
    orders: list[list[str]] = field(default_factory=list)
    order_count: int = 0
    articles: dict[str, int] = field(default_factory=dict)
    labels: LabelsLike | None = None
    explanations: list[Explanation] | None = None  # only when asked (explain=True)
    policy_text: PolicyText | None = None
    fired: frozenset[str] = frozenset()  # rules that derived something (explain=True)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        lang = lang or self.lang
        data = self._base_json(lang)
        data.update(
            {
                "document": self.document,
                "steps": [s.to_json(self.labels, lang) for s in self.steps],
                "precedence": [
                    {"before": a, "after": b, "rule": r, "article": self.articles.get(r, 0)}
                    for a, b, r in self.precedence
                ],
                "orders": self.orders,
                "order_count": self.order_count,
                "orders_listed": len(self.orders),
            }
        )
        if self.explanations is not None and self.policy_text is not None:
            data["explanations"] = [e.to_json(lang, self.policy_text) for e in self.explanations]
        return data

    def to_json(self, lang: str | None = None) -> str:
        return dump(self.to_dict(lang))


@dataclass
class CheckResult(RouteResult):
    @classmethod
    def of(cls, result: RouteResult) -> CheckResult:
        """The same answer, as a check's."""
        return cls(**{f.name: getattr(result, f.name) for f in fields(result)})


# A shown atom in plain Python: its predicate and arguments (`asp.facts.plain_atoms`).
PlainAtom = tuple[str, tuple[Any, ...]]


@dataclass
class Shown:
    """What a document's model shows, read once: its steps (in the order the answer lists
    them), precedence, and the raw atoms of findings and explanations for the caller."""

    steps: list[Step]
    precedence: list[tuple[str, str, str]]
    findings: list[tuple[Any, ...]]  # finding/5's arguments
    fired: set[str]
    derived: list[PlainAtom]  # post_by, rel_by, applies_by (explanations only)

    @property
    def ids(self) -> list[str]:
        return [s.id for s in self.steps]

    @property
    def pairs(self) -> set[tuple[str, str]]:
        return {(a, b) for a, b, _ in self.precedence}


def read_shown(atoms: Iterable[PlainAtom], articles: dict[str, int]) -> Shown:
    """The shown atoms of a document's model (`asp.facts.plain_atoms`) as its answer's
    parts; steps ordered by their depth in the precedence, then by id."""
    step_rules: dict[tuple[str, str], set[tuple[int, str, str]]] = {}
    precedence: list[tuple[str, str, str]] = []
    findings: list[tuple[Any, ...]] = []
    derived: list[PlainAtom] = []
    fired: set[str] = set()
    for name, args in atoms:
        if name == "fired":
            fired.add(args[0])
        elif name in ("post_by", "rel_by", "applies_by"):
            derived.append((name, args))
        elif name == "step_info":
            (action, actor), role, rule = args
            step_rules.setdefault((action, actor), set()).add((articles.get(rule, 0), rule, role))
        elif name == "prec":
            (a1, p1), (a2, p2), rule = args
            precedence.append((step_id(a1, p1), step_id(a2, p2), rule))
        elif name == "finding":
            findings.append(tuple(args))
    steps = [_step(action, actor, found) for (action, actor), found in step_rules.items()]
    precedence = sorted(set(precedence))
    depth = depths({s.id for s in steps}, {(a, b) for a, b, _ in precedence})
    steps = sorted(steps, key=lambda s: (depth[s.id], s.id))
    return Shown(steps, precedence, findings, fired, derived)


def check_listable(shown: Shown, limit: int) -> None:
    """Refuse (exit 3) to list the orders of more steps than MAX_ORDER_STEPS."""
    ids = shown.ids
    if limit > 0 and len(ids) > MAX_ORDER_STEPS:  # orders are listed for a route only
        raise SolverLimitError(
            Bilingual(
                f"公文有 {len(ids)} 个步骤，超过可列举审批顺序的上限 {MAX_ORDER_STEPS}；"
                "用 --limit 0 只求步骤、先后关系和顺序总数",
                f"the document has {len(ids)} steps, above the {MAX_ORDER_STEPS} whose "
                "orders can be listed; --limit 0 gives the steps, precedence and count only",
            ),
            code="too_many_steps",
        )


def listed_orders(
    shown: Shown, limit: int, listing: bool, deadline: float | None
) -> tuple[list[list[str]], int]:
    """The first `limit` orders (when `listing`) in lexicographic order of step ids
    (`orders.first_orders`: the same on every run and version, whatever order a solver
    finds them in) and the exact count, both within `deadline` (time.monotonic)."""
    ids, pairs = shown.ids, shown.pairs
    orders = first_orders(ids, pairs, limit, timeout=_left(deadline)) if listing else []
    # The count shares the request's time limit with the solve.
    count = count_orders(ids, pairs, timeout=_left(deadline)) if ids else 0
    return orders, count


def _step(action: str, actor: str, found: set[tuple[int, str, str]]) -> Step:
    """One step; when several procedures require it, the first article cites it."""
    ordered = sorted(found)
    article, rule, role = ordered[0]
    rules = tuple(sorted({(r, a) for a, r, _ in ordered}, key=lambda x: (x[1], x[0])))
    return Step(step_id(action, actor), actor, role, action, article, rule, rules)


def _left(deadline: float | None) -> float | None:
    """Seconds left until `deadline` (time.monotonic), None for no deadline."""
    return None if deadline is None else max(0.0, deadline - time.monotonic())
