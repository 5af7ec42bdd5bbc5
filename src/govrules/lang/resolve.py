"""Surface tree → resolved program: every name checked against the vocabulary.

Errors name the file, line and column of the term, say what kind of term was
expected, and suggest the closest known name; a term that runs a keyword into a
name (然后某某) is pointed out as a missing space. All errors of the stage are
collected and reported in source order.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Sequence
from typing import assert_never

from govrules.errors import Bilingual, Location, RuleError
from govrules.lang import ast, ir
from govrules.lang.keywords import KEYWORDS
from govrules.lang.traits import trait_by_word, traits_for

__all__ = ["RuleErrors", "resolve"]

_IDENT = re.compile(r"[a-z][a-z0-9_]*\Z")
_KIND_WORDS = {
    "role": Bilingual("角色", "a role"),
    "unit": Bilingual("单位", "a unit"),
    "relation": Bilingual("关系", "a relation"),
    "action": Bilingual("行为", "an action"),
    "absence": Bilingual("缺勤类别", "an absence kind"),
    "document": Bilingual("公文类别", "a document kind"),
    "name": Bilingual("行文名义", "a name of issue"),
    "flag": Bilingual("公文条件", "a document condition"),
    "procedure": Bilingual("流程", "a procedure"),
    "interpretation": Bilingual("解释", "an interpretation"),
}
_ZH_KEYWORDS = sorted({w for k in KEYWORDS if k.zh for w in k.zh.split(" ")}, key=len, reverse=True)


class RuleErrors(RuleError):
    """Several errors of one stage; `errors` holds them in source order."""

    errors: list[RuleError]


def _many(errors: list[RuleError]) -> RuleError:
    errors.sort(key=lambda e: (e.location.file, e.location.line or 0, e.location.column or 0))
    if len(errors) == 1:
        return errors[0]
    first = errors[0]
    combined = RuleErrors(
        Bilingual(
            f"{first.message.zh}（另有 {len(errors) - 1} 处错误）",
            f"{first.message.en} (and {len(errors) - 1} more errors)",
        ),
        first.location,
        code=first.code,
        # Every other error's text follows, whether or not the first has an excerpt.
        detail="\n".join(
            part for part in [first.detail, *(e.render("en") for e in errors[1:])] if part
        ),
    )
    combined.errors = errors
    return combined


class _Resolver:
    def __init__(self, files: Sequence[ast.RuleFile], sources: dict[str, str]) -> None:
        self.files = files
        self.sources = sources
        self.errors: list[RuleError] = []
        self.by_name: dict[str, list[ir.VocabItem]] = {}
        self.vocabulary: list[ir.VocabItem] = []
        self.interpretations: dict[str, ir.Interpretation] = {}

    def statement_text(self, path: str, pos: ast.Pos) -> str:
        """The statement as written, comments dropped and lines joined by single spaces."""
        lines = self.sources.get(path, "").splitlines()[pos.line - 1 : pos.end_line]
        if not lines:
            return ""
        lines[-1] = lines[-1][: pos.end_column - 1] if len(lines) > 1 else lines[-1]
        lines[0] = lines[0][pos.column - 1 :]
        if len(lines) == 1:
            lines[0] = lines[0][: pos.end_column - pos.column]
        text = ""
        for line in (line.split("#", 1)[0].strip() for line in lines):
            if line:
                glue = "" if not text or text[-1] in "：；，。" else " "
                text += glue + line
        return text

    # ---- errors ----------------------------------------------------------------------
    def error(self, code: str, message: Bilingual, pos: ast.Pos, span: int = 1) -> None:
        from govrules.lang.diagnostics import excerpt

        text = self.sources.get(pos.file, "")
        self.errors.append(
            RuleError(
                message,
                Location(pos.file, pos.line, pos.column),
                code=code,
                detail=excerpt(text, pos.line, pos.column, span) if text else "",
            )
        )

    # ---- vocabulary ------------------------------------------------------------------
    def declare(self, item: ir.VocabItem, pos: ast.Pos) -> None:
        for name in {item.ident, item.label_zh}:
            for other in self.by_name.get(name, []):
                if other.kind == item.kind or name == item.ident:
                    self.error(
                        "duplicate",
                        Bilingual(
                            f"「{name}」已在 {other.source.file}:{other.source.line} 定义",
                            f"{name!r} is already defined at "
                            f"{other.source.file}:{other.source.line}",
                        ),
                        pos,
                        len(name),
                    )
                    return
        for name in {item.ident, item.label_zh}:
            self.by_name.setdefault(name, []).append(item)
        self.vocabulary.append(item)

    def collect_vocabulary(self) -> None:
        for f in self.files:
            for vocab in f.vocabularies:
                for entry in vocab.entries:
                    ident = entry.ident.text
                    if not _IDENT.match(ident):
                        self.error(
                            "bad_identifier",
                            Bilingual(
                                f"标识符「{ident}」只能由小写英文字母、数字和下划线组成，且以字母开头",
                                f"identifier {ident!r} must be lower-case ASCII letters, "
                                "digits and underscores, starting with a letter",
                            ),
                            entry.ident.pos,
                            len(ident),
                        )
                        continue
                    src = ir.Source(f.path, entry.pos.line, entry.pos.column, 0)
                    item = ir.VocabItem(
                        entry.kind,
                        ident,
                        entry.label.text,
                        entry.en_label or ident,
                        src,
                        self.traits(entry),
                    )
                    self.declare(item, entry.pos)
            for article in f.articles:
                for st in article.statements:
                    if isinstance(st.body, ast.Interpretation):
                        self.declare_interpretation(st, f.path)

    def traits(self, entry: ast.VocabEntry) -> tuple[str, ...]:
        """The traits an entry declares, as identifiers; an unknown one is an error."""
        out: list[str] = []
        for word in entry.traits:
            trait = trait_by_word(entry.kind, word.text)
            if trait is None:
                allowed = traits_for(entry.kind)
                self.error(
                    "unknown_trait",
                    Bilingual(
                        f"「{word.text}」不是{_KIND_WORDS[entry.kind].zh}的特性；可用："
                        + ("、".join(t.zh for t in allowed) or "无"),
                        f"{word.text!r} is not a trait of {_KIND_WORDS[entry.kind].en}; "
                        "allowed: " + (", ".join(t.en for t in allowed) or "none"),
                    ),
                    word.pos,
                    len(word.text),
                )
            elif trait.ident not in out:
                out.append(trait.ident)
        return tuple(sorted(out))

    def declare_interpretation(self, st: ast.Statement, path: str) -> None:
        body = st.body
        assert isinstance(body, ast.Interpretation)
        ident = body.ident.text if body.ident else body.label.text
        if not _IDENT.match(ident):
            self.error(
                "bad_identifier",
                Bilingual(
                    f"解释需要英文标识符，例如「{body.label.text} = some_reading」",
                    f"an interpretation needs an identifier, e.g. '= some_reading', got {ident!r}",
                ),
                (body.ident or body.label).pos,
            )
            return
        src = ir.Source(path, st.pos.line, st.pos.column, st.article)
        self.declare(ir.VocabItem("interpretation", ident, body.label.text, ident, src), st.pos)
        self.interpretations[ident] = ir.Interpretation(
            ident, body.label.text, body.default_enabled, body.justification, st.article, src
        )

    def lookup(self, term: ast.Term, kinds: Iterable[str]) -> ir.VocabItem | None:
        kinds = tuple(kinds)
        found = [i for i in self.by_name.get(term.text, []) if i.kind in kinds]
        if found:
            return found[0]
        wanted = Bilingual(
            "或".join(_KIND_WORDS[k].zh for k in kinds),
            " or ".join(_KIND_WORDS[k].en for k in kinds),
        )
        others = self.by_name.get(term.text, [])
        if others:
            got = _KIND_WORDS[others[0].kind]
            self.error(
                "wrong_kind",
                Bilingual(
                    f"「{term.text}」是{got.zh}，此处应为{wanted.zh}",
                    f"{term.text!r} is {got.en}; expected {wanted.en} here",
                ),
                term.pos,
                len(term.text),
            )
            return None
        candidates = sorted(
            {n for n, items in self.by_name.items() if any(i.kind in kinds for i in items)}
        )
        close = difflib.get_close_matches(term.text, candidates, n=1, cutoff=0.5)
        hint_zh = hint_en = ""
        glued = next(
            (
                k
                for k in _ZH_KEYWORDS
                if term.text.startswith(k) and term.text[len(k) :] in self.by_name
            ),
            None,
        )
        if glued:
            hint_zh = f"；关键词「{glued}」后是否漏了空格？"
            hint_en = f"; missing a space after the keyword {glued!r}?"
        elif close:
            hint_zh = f"；是否指「{close[0]}」？"
            hint_en = f"; did you mean {close[0]!r}?"
        self.error(
            "unknown_term",
            Bilingual(
                f"未定义的{wanted.zh}「{term.text}」{hint_zh}",
                f"unknown term {term.text!r} (expected {wanted.en}){hint_en}",
            ),
            term.pos,
            len(term.text),
        )
        return None

    def ident(self, term: ast.Term, kind: str) -> str:
        item = self.lookup(term, (kind,))
        return item.ident if item else "?"

    def actor(self, term: ast.Term) -> ir.Actor:
        item = self.lookup(term, ("role", "unit", "relation"))
        return ir.Actor(item.kind, item.ident) if item else ir.Actor("role", "?")

    def recipient(self, r: ast.Recipient) -> tuple[ir.Actor, bool]:
        """A recipient of a report; 其 X must name a relation (relative to the subject)."""
        actor = self.actor(r.term)
        if r.theirs and actor.kind != "relation":
            self.error(
                "not_a_relation",
                Bilingual(
                    f"「其」后应为关系（如 分管领导），「{r.term.text}」不是关系",
                    f"'their' must be followed by a relation; {r.term.text!r} is not one",
                ),
                r.term.pos,
                len(r.term.text),
            )
        return actor, r.theirs

    # ---- conditions ------------------------------------------------------------------
    def doc_conjunctions(self, conds: Sequence[ast.DocCondition]) -> tuple[ir.Conjunction, ...]:
        options: list[list[ir.DocCond]] = []
        for c in conds:
            if isinstance(c, ast.DocName):
                options.append([ir.DocCond("name", self.ident(n, "name")) for n in c.names])
            elif isinstance(c, ast.DocValueIs):
                key = self.lookup(c.condition, ("flag",))
                if key is not None and "person" not in key.traits:
                    self.error(
                        "not_a_person_condition",
                        Bilingual(
                            f"「{c.condition.text}」不是取值为人员的条件（特性 人员）",
                            f"{c.condition.text!r} is not a condition valued by a person "
                            "(trait person)",
                        ),
                        c.condition.pos,
                        len(c.condition.text),
                    )
                relation = self.ident(c.relation, "relation")
                options.append([ir.DocCond("value_is", key.ident if key else "?", False, relation)])
            else:
                item = self.lookup(c.term, ("document", "flag"))
                kind, ident = (item.kind, item.ident) if item else ("flag", "?")
                options.append([ir.DocCond(kind, ident, c.negated)])
        return tuple(tuple(combo) for combo in itertools.product(*options)) if options else ()

    def person_conds(self, cond: ast.Condition, var: str | None) -> list[list[ir.PersonCond]]:
        """One condition as alternatives (roles joined by 或 become alternatives)."""
        if isinstance(cond, ast.CondNot):
            inner = self.person_conds(cond.inner, var)
            if len(inner) != 1 or len(inner[0]) != 1:
                self.error(
                    "unsupported",
                    Bilingual("「非」后只能跟一个条件", "'not' takes a single condition"),
                    cond.pos,
                )
                return [[]]
            c = inner[0][0]
            return [[ir.PersonCond(c.kind, c.arg, not c.negated)]]
        if isinstance(cond, ast.CondRole):
            # 是 X: a role, or a relation to the document (its holders).
            out: list[list[ir.PersonCond]] = []
            for r in cond.roles:
                item = self.lookup(r, ("role", "relation"))
                kind = "post" if item and item.kind == "relation" else "role"
                out.append([ir.PersonCond(kind, item.ident if item else "?")])
            return out
        if isinstance(cond, ast.CondNamed):
            item = self.lookup(cond.condition, ("flag",))
            if item is not None and "person" not in item.traits:
                self.error(
                    "not_a_person_condition",
                    Bilingual(
                        f"「{cond.condition.text}」不是取值为人员的条件（特性 人员）",
                        f"{cond.condition.text!r} is not a condition valued by a person "
                        "(trait person)",
                    ),
                    cond.condition.pos,
                    len(cond.condition.text),
                )
            return [[ir.PersonCond("named", item.ident if item else "?")]]
        if isinstance(cond, ast.CondDid):
            return [[ir.PersonCond("did", self.ident(cond.action, "action"))]]
        if isinstance(cond, ast.CondNobody):
            return [[ir.PersonCond("nobody", self.ident(cond.relation, "relation"))]]
        if isinstance(cond, ast.CondCoversLead):
            return [[ir.PersonCond("covers_lead")]]
        if isinstance(cond, ast.CondCoversField):
            return [[ir.PersonCond("covers_field")]]
        if isinstance(cond, ast.CondDrafts):
            return [[ir.PersonCond("drafts")]]
        if isinstance(cond, ast.CondServes):
            target = self.lookup(cond.target, ("role", "relation"))
            kind = "serves_relation" if target and target.kind == "relation" else "serves"
            return [[ir.PersonCond(kind, target.ident if target else "?")]]
        named = {
            ast.CondShares: "shares",
            ast.CondDesignated: "designated",
            ast.CondNoDesignated: "no_designated",
        }
        kind = named[type(cond)]
        assert isinstance(cond, ast.CondShares | ast.CondDesignated | ast.CondNoDesignated)
        if var is None or cond.var.text != var:
            self.error(
                "unknown_variable",
                Bilingual(
                    f"「{cond.var.text}」未在定义开头引入（例如「定义 {cond.var.text} 的 …」）",
                    f"{cond.var.text!r} is not introduced by the definition "
                    f"(e.g. 'define … of {cond.var.text}')",
                ),
                cond.var.pos,
                len(cond.var.text),
            )
        return [[ir.PersonCond(kind)]]

    # ---- statements ------------------------------------------------------------------
    def form(self, st: ast.Statement) -> tuple[ir.Form, bool] | None:
        """The resolved form and whether it is stated 原则上 (a warning)."""
        body = st.body
        match body:
            case ast.Definition():
                relation = self.ident(body.relation, "relation")  # looked up (reported) once
                var = body.param.text if body.param else None
                alternatives: list[list[ir.PersonCond]] = [[]]
                for cond in body.conditions:
                    options = self.person_conds(cond, var)
                    alternatives = [a + o for a in alternatives for o in options]
                if not any(
                    c.kind not in ("no_designated", "nobody") and not c.negated
                    for c in alternatives[0]
                ):
                    self.error(
                        "unbound_subject",
                        Bilingual(
                            "定义至少需要一个肯定条件说明是谁（例如「是 某角色」）",
                            "a definition needs one positive condition saying who (e.g. 'is …')",
                        ),
                        st.pos,
                    )
                return (
                    ir.Definition(
                        relation,
                        var is not None,
                        tuple(tuple(a) for a in alternatives),
                    ),
                    False,
                )
            case ast.Procedure():
                steps = []
                for index, group in enumerate(body.groups, start=1):
                    for step in group:
                        steps.append(
                            ir.StepSpec(
                                index,
                                self.actor(step.actor),
                                self.ident(step.action, "action"),
                                self.doc_conjunctions(step.conditions),
                                ir.Source(
                                    step.pos.file, step.pos.line, step.pos.column, st.article
                                ),
                                step.optional,
                            )
                        )
                return (
                    ir.Procedure(
                        self.ident(body.name, "procedure"),
                        self.doc_conjunctions(body.applies),
                        tuple(steps),
                    ),
                    False,
                )
            case ast.ProcedureOrder():
                return (
                    ir.ProcedureOrder(
                        self.ident(body.procedure, "procedure"),
                        (self.actor(body.first.actor), self.ident(body.first.action, "action")),
                        (self.actor(body.then.actor), self.ident(body.then.action, "action")),
                    ),
                    False,
                )
            case ast.ProcedureExtend():
                return (
                    ir.ProcedureExtend(
                        self.ident(body.procedure, "procedure"), self.doc_conjunctions(body.applies)
                    ),
                    False,
                )
            case ast.ProhibitTogether():
                return (
                    ir.ProhibitTogether(
                        self.ident(body.role, "role"),
                        self.ident(body.relation, "relation"),
                        tuple(self.ident(k, "absence") for k in body.kinds),
                    ),
                    False,
                )
            case ast.ProhibitAction():
                return (
                    ir.ProhibitAction(self.actor(body.actor), self.ident(body.action, "action")),
                    False,
                )
            case ast.ReportDuty():
                recipients = [self.recipient(r) for r in body.recipients]
                subject = self.lookup(body.subject, ("role",))
                return (
                    ir.ReportDuty(
                        ir.Actor("role", subject.ident if subject else "?"),
                        tuple(self.ident(k, "absence") for k in body.kinds),
                        tuple(recipients),
                    ),
                    body.in_principle,
                )
            case ast.DeadlineDuty():
                return (
                    ir.DeadlineDuty(
                        self.actor(body.actor), self.ident(body.action, "action"), body.working_days
                    ),
                    body.in_principle,
                )
            case ast.ActingDuty():
                subject = self.lookup(body.subject, ("role",))
                acting, _ = self.recipient(body.acting)
                return (
                    ir.ActingDuty(
                        ir.Actor("role", subject.ident if subject else "?"),
                        acting,
                        body.acting.theirs,
                    ),
                    False,
                )
            case ast.MeetingMembers():
                return ir.MeetingMembers(tuple(self.ident(r, "role") for r in body.roles)), False
            case ast.MeetingFrequency():
                return ir.MeetingFrequency(), body.generally
            case ast.MeetingCaller():
                return ir.MeetingCaller(self.actor(body.caller)), False
            case ast.MatterDuty():
                return (
                    ir.MatterDuty(
                        tuple(self.ident(s, "role") for s in body.subjects),
                        body.act,
                        tuple(self.recipient(r) for r in body.recipients),
                        body.when_necessary,
                    ),
                    body.in_principle,
                )
            case ast.Power():
                return (
                    ir.Power(
                        self.actor(body.actor),
                        tuple(self.ident(a, "action") for a in body.actions),
                        self.doc_conjunctions(body.applies),
                    ),
                    False,
                )
            case ast.OpinionDuty():
                actions = tuple(self.ident(a, "action") for a in body.actions)
                holder = self.actor(body.actor) if body.actor is not None else None
                return ir.OpinionDuty(actions, holder), False
            case ast.ExplainDuty():
                return ir.ExplainDuty(self.actor(body.actor)), False
            case ast.RevisionDuty():
                return (
                    ir.RevisionDuty(
                        self.ident(body.returned, "action"),
                        self.actor(body.fixer),
                        self.ident(body.fix, "action"),
                        self.ident(body.review, "action"),
                    ),
                    body.in_principle,
                )
            case ast.Interpretation():
                return None  # a declaration, collected earlier
            case _:
                assert_never(body)

    def rules(self) -> list[ir.Rule]:
        out: list[ir.Rule] = []
        counters: dict[int, int] = {}
        for f in self.files:
            for article in f.articles:
                for st in article.statements:
                    resolved = self.form(st)
                    if resolved is None:
                        continue
                    form, in_principle = resolved
                    counters[article.number] = counters.get(article.number, 0) + 1
                    guard = None
                    if st.guard is not None:
                        name = self.lookup(st.guard.name, ("interpretation",))
                        guard = (name.ident if name else "?", st.guard.when_enabled)
                    out.append(
                        ir.Rule(
                            f"a{article.number}.{counters[article.number]}",
                            article.number,
                            "warning" if in_principle else "violation",
                            guard,
                            form,
                            ir.Source(f.path, st.pos.line, st.pos.column, article.number),
                            self.statement_text(f.path, st.pos),
                        )
                    )
        return out


def resolve(files: Sequence[ast.RuleFile], sources: dict[str, str] | None = None) -> ir.Program:
    """Resolve parsed rule files (vocabulary first, in the order given) into a program."""
    r = _Resolver(files, sources or {})
    r.collect_vocabulary()
    rules = r.rules()
    if r.errors:
        raise _many(r.errors)
    return ir.Program(
        tuple(r.vocabulary),
        tuple(rules),
        tuple(sorted(r.interpretations.values(), key=lambda i: i.ident)),
        tuple(f.path for f in files),
    )
