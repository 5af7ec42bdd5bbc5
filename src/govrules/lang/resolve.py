"""Surface tree → resolved program: every name checked against the vocabulary.

Errors name the file, line and column of the term, say what kind of term was
expected, and suggest the closest known name; a term that runs a keyword into a
name (然后某某) is pointed out as a missing space. All errors of the stage are
collected and reported in source order.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import assert_never

from govrules.errors import Bilingual, Location, RuleError
from govrules.lang import ast, ir
from govrules.lang.keywords import KEYWORDS
from govrules.lang.traits import TRAITS, trait_by_word, traits_for

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
    "meeting": Bilingual("会议", "a kind of meeting"),
    "matter": Bilingual("事项", "a kind of matter"),
    "interpretation": Bilingual("解释", "an interpretation"),
}
# The traits of a document condition with a list value (每个 X) and of any valued one.
_LISTS = ("units", "people")
_VALUED = ("units", "people", "time_limit", "person", "role_value")
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
    def __init__(
        self,
        files: Sequence[ast.RuleFile],
        sources: dict[str, str],
        labels: Mapping[int, str] | None = None,
    ) -> None:
        self.sources = sources
        self.errors: list[RuleError] = []
        self.labels = dict(labels or {})
        self.files = [self.numbered(f) for f in files]
        self.by_name: dict[str, list[ir.VocabItem]] = {}
        self.vocabulary: list[ir.VocabItem] = []
        self.interpretations: dict[str, ir.Interpretation] = {}
        self.hashed: dict[str, int] = {}  # content-derived id → statements that gave it

    def statement_text(self, path: str, pos: ast.Pos, named: bool = False) -> str:
        """The statement as written, comments dropped and lines joined by single spaces;
        without its 规则 NAME： prefix when it has one."""
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
        if named:
            text = re.sub(r"^\S+\s+\S+?\s*[：:]\s*", "", text, count=1)
        return text

    def numbered(self, rule_file: ast.RuleFile) -> ast.RuleFile:
        """The file with every article headed by a label (条文 “附则”) given its number."""
        if not any(a.label is not None for a in rule_file.articles):
            return rule_file
        by_label = {label: number for number, label in self.labels.items()}
        articles = []
        for article in rule_file.articles:
            if article.label is not None:
                number = by_label.get(article.label.text)
                if number is None:
                    self.unknown_label(article.label, sorted(by_label))
                    number = 0
                statements = tuple(
                    dataclasses.replace(st, article=number) for st in article.statements
                )
                article = dataclasses.replace(article, number=number, statements=statements)
            articles.append(article)
        items = tuple(
            articles[rule_file.articles.index(i)] if isinstance(i, ast.Article) else i
            for i in rule_file.items
        )
        return dataclasses.replace(rule_file, articles=tuple(articles), items=items)

    def unknown_label(self, label: ast.Term, known: list[str]) -> None:
        close = difflib.get_close_matches(label.text, known, n=1, cutoff=0.5)
        shown_zh = "、".join(known) or "无"
        shown_en = ", ".join(known) or "none"
        self.error(
            "unknown_article",
            Bilingual(
                f"articles.toml 中没有标签为「{label.text}」的条文"
                + (f"；是否指「{close[0]}」？" if close else f"；已有标签：{shown_zh}"),
                f"no article of articles.toml has the label {label.text!r}"
                + (f"; did you mean {close[0]!r}?" if close else f"; labels: {shown_en}"),
            ),
            label.pos,
            len(label.text),
        )

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

    def doer(self, term: ast.Term) -> ir.Actor:
        """Who may take an action where the document's list may name them: a role, unit or
        relation, or a list-valued condition (特性 单位列表 / 人员列表: any of its members)."""
        if any(i.kind == "flag" for i in self.by_name.get(term.text, [])):
            return ir.Actor("list", self.valued_flag(term, _LISTS))
        return self.actor(term)

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

    def valued_flag(self, term: ast.Term, traits: tuple[str, ...]) -> str:
        """A document condition whose value is of one of `traits` (特性 单位列表, 时限 …)."""
        item = self.lookup(term, ("flag",))
        if item is None:
            return "?"
        if not set(traits) & set(item.traits):
            words = [t for t in TRAITS if t.ident in traits]
            self.error(
                "not_a_valued_condition",
                Bilingual(
                    f"「{term.text}」须是取值的公文条件（特性 "
                    + " 或 ".join(t.zh for t in words)
                    + "）",
                    f"{term.text!r} must be a valued document condition (trait "
                    + " or ".join(t.en for t in words)
                    + ")",
                ),
                term.pos,
                len(term.text),
            )
        return item.ident

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
        # In a definition for the document, a relation to it may stand where a person would
        # (是 R 的 指定汇报对象: whom a holder of R is designated to report to).
        relation = [i for i in self.by_name.get(cond.var.text, []) if i.kind == "relation"]
        if var is None and relation and not isinstance(cond, ast.CondShares):
            return [[ir.PersonCond(f"{kind}_post", relation[0].ident)]]
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
                    c.kind not in ("no_designated", "no_designated_post", "nobody")
                    and not c.negated
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
                        choices = tuple(
                            (self.doer(o.actor), self.ident(o.action, "action"))
                            for o in step.options
                        )
                        if step.shape == "each":
                            doer = ir.Actor("list", self.valued_flag(step.actor, _LISTS))
                        elif choices:
                            doer = choices[0][0]
                        else:
                            doer = self.actor(step.actor)
                        steps.append(
                            ir.StepSpec(
                                index,
                                doer,
                                choices[0][1] if choices else self.ident(step.action, "action"),
                                self.doc_conjunctions(step.conditions),
                                ir.Source(
                                    step.pos.file, step.pos.line, step.pos.column, st.article
                                ),
                                step.optional,
                                step.shape,
                                choices,
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
                        body.longer_than,
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
                meeting = self.ident(body.meeting, "meeting")
                roles = tuple(self.ident(r, "role") for r in body.roles)
                return ir.MeetingMembers(roles, meeting), False
            case ast.MeetingFrequency():
                meeting = self.ident(body.meeting, "meeting")
                if body.times < 1:
                    self.error(
                        "bad_number",
                        Bilingual("召开次数至少为 1", "a meeting is held at least once"),
                        body.meeting.pos,
                        len(body.meeting.text),
                    )
                return ir.MeetingFrequency(meeting, body.per, body.times), body.generally
            case ast.PlanReading():
                of = "" if body.subject is None else self.ident(body.subject, "matter")
                return ir.PlanReading(body.model, of), False
            case ast.MeetingCaller():
                meeting = self.ident(body.meeting, "meeting")
                return ir.MeetingCaller(self.actor(body.caller), meeting), False
            case ast.MatterDuty():
                return (
                    ir.MatterDuty(
                        tuple(self.ident(s, "role") for s in body.subjects),
                        body.act,
                        tuple(self.recipient(r) for r in body.recipients),
                        body.when_necessary,
                        tuple(self.ident(k, "matter") for k in body.kinds),
                    ),
                    body.in_principle,
                )
            case ast.MatterDetails():
                return (
                    ir.MatterDetails(
                        tuple(self.ident(s, "role") for s in body.subjects),
                        tuple(self.ident(k, "matter") for k in body.kinds),
                        body.details,
                    ),
                    body.in_principle,
                )
            case ast.Power():
                return (
                    ir.Power(
                        self.doer(body.actor),
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
            case ast.ActionOrder():
                first = self.ident(body.first, "action")
                then = self.ident(body.then, "action")
                if first == then != "?":
                    self.error(
                        "unsupported",
                        Bilingual(
                            f"「{body.first.text}」不能先于自身",
                            f"{body.first.text!r} cannot come before itself",
                        ),
                        body.then.pos,
                        len(body.then.text),
                    )
                return ir.ActionOrder(first, then), False
            case ast.CountsAs():
                mark = self.lookup(body.mark, ("action",))
                if mark is not None and "read_mark" not in mark.traits:
                    self.error(
                        "not_a_read_mark",
                        Bilingual(
                            f"「{body.mark.text}」不是阅知行为（特性 阅知），不能视为同意",
                            f"{body.mark.text!r} is not a read mark (trait read_mark); only a "
                            "read mark counts as consent",
                        ),
                        body.mark.pos,
                        len(body.mark.text),
                    )
                actions = tuple(self.ident(a, "action") for a in body.actions)
                return ir.CountsAs(mark.ident if mark else "?", actions), False
            case ast.SameActorDuty():
                return (
                    ir.SameActorDuty(
                        self.ident(body.trigger, "action"),
                        self.ident(body.first, "action"),
                        self.ident(body.then, "action"),
                    ),
                    body.in_principle,
                )
            case ast.DocDeadline():
                return (
                    ir.DocDeadline(
                        self.doer(body.actor),
                        self.ident(body.action, "action"),
                        self.valued_flag(body.limit, ("time_limit",)),
                    ),
                    body.in_principle,
                )
            case ast.HoursDeadline():
                return (
                    ir.HoursDeadline(
                        self.doer(body.actor), self.ident(body.action, "action"), body.hours
                    ),
                    body.in_principle,
                )
            case ast.DocRequires():
                item = self.lookup(body.condition, ("document", "flag"))
                kind, ident = (item.kind, item.ident) if item else ("flag", "?")
                return (
                    ir.DocRequires(ir.DocCond(kind, ident), self.valued_flag(body.field, _VALUED)),
                    False,
                )
            case ast.Interpretation():
                return None  # a declaration, collected earlier
            case _:
                assert_never(body)

    def rule_id(self, article: ast.Article, st: ast.Statement) -> str:
        """The rule's stable id: its name when the author gives one, else the article and a
        short hash of the statement in canonical form (English keywords, identifiers), so
        that inserting, moving or reformatting other statements never renames it."""
        if st.name is not None:
            return st.name.text
        from govrules.lang.fmt import canonical_statement

        text = canonical_statement(st, self.vocabulary)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]
        ident = f"a{article.number}.{digest}"
        # The same statement written twice in one article: the repeats are told apart by
        # their turn among the identical statements only, never by other statements.
        seen = self.hashed[ident] = self.hashed.get(ident, 0) + 1
        return ident if seen == 1 else f"{ident}-{seen}"

    def rules(self) -> list[ir.Rule]:
        out: list[ir.Rule] = []
        seen: dict[str, ast.Pos] = {}
        for f in self.files:
            for article in f.articles:
                for st in article.statements:
                    if isinstance(st.body, ast.Interpretation) and st.name is not None:
                        self.error(
                            "misplaced_name",
                            Bilingual(
                                "解释不是规则，不能命名（去掉「规则 …：」）",
                                "an interpretation is not a rule and takes no name "
                                "(drop 'rule …:')",
                            ),
                            st.name.pos,
                            len(st.name.text),
                        )
                    resolved = self.form(st)
                    if resolved is None:
                        continue
                    form, in_principle = resolved
                    ident = self.rule_id(article, st)
                    where = st.name.pos if st.name is not None else st.pos
                    if ident in seen:
                        first = seen[ident]
                        self.error(
                            "duplicate_rule",
                            Bilingual(
                                f"规则名「{ident}」重复：已用于 {first.file}:{first.line}:"
                                f"{first.column}",
                                f"rule name {ident!r} is used twice: first at "
                                f"{first.file}:{first.line}:{first.column}",
                            ),
                            where,
                            len(ident) if st.name else 1,
                        )
                    else:
                        seen[ident] = where
                    guard = None
                    if st.guard is not None:
                        name = self.lookup(st.guard.name, ("interpretation",))
                        guard = (name.ident if name else "?", st.guard.when_enabled)
                    out.append(
                        ir.Rule(
                            ident,
                            article.number,
                            "warning" if in_principle else "violation",
                            guard,
                            form,
                            ir.Source(f.path, st.pos.line, st.pos.column, article.number),
                            self.statement_text(f.path, st.pos, st.name is not None),
                            self.labels.get(article.number),
                        )
                    )
        return out


def resolve(
    files: Sequence[ast.RuleFile],
    sources: dict[str, str] | None = None,
    labels: Mapping[int, str] | None = None,
) -> ir.Program:
    """Resolve parsed rule files (vocabulary first, in the order given) into a program.
    `labels` are the policy's article labels (articles.toml), number → label: a header may
    name an article by its label, and each rule carries its article's label."""
    r = _Resolver(files, sources or {}, labels)
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
