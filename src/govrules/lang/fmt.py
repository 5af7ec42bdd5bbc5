"""The canonical formatter: one layout per rule file, in Chinese or English keywords.

Formatting is a pretty-print of the surface tree, so it cannot change what a file
means; only layout, punctuation and (on request) keyword language change. Keyword
spellings come from `keywords.spelling`, the same table the grammar is built from, so
a file printed in either language parses back to the same tree. Comments have no place
in the tree: each is printed on its own line before the first printed line whose
source position follows it, which keeps the association stable under reformatting.
The only blank lines are between top-level blocks and between vocabulary kinds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import assert_never

from govrules.lang import ast, ir
from govrules.lang.keywords import LANGS, spelling
from govrules.lang.numerals import to_chinese
from govrules.lang.traits import trait_by_word

__all__ = ["canonical_statement", "format_rules"]


@dataclass(frozen=True)
class _Punct:
    colon: str
    comma: str  # between document conditions and before 且 / and
    semi: str
    end: str
    list: str  # between list items: 甲、乙 / a, b
    quotes: tuple[str, str]


_PUNCT = {
    "zh": _Punct("：", "，", "；", "。", "、", ("“", "”")),
    "en": _Punct(":", ", ", ";", ".", ", ", ('"', '"')),
}

_VOCAB_KINDS = {
    "role": "ROLE",
    "unit": "UNIT",
    "action": "ACTION",
    "absence": "ABSENCE",
    "document": "DOCKIND",
    "name": "NAMEOF",
    "flag": "FLAG",
    "relation": "RELATION",
    "procedure": "PROCEDURE",
    "meeting": "MEETING",
    "matter": "MATTER",
}

_ACTOR = ("role", "unit", "relation")
_DOER = (*_ACTOR, "flag")  # an actor that may be the document's list (特性 单位列表)
_DOC = ("document", "flag")


@dataclass(frozen=True)
class _Line:
    text: str  # without indentation; "" for a blank line
    indent: int = 0
    anchor: int | None = None  # source line of the node printed here, for comments


class _Printer:
    def __init__(self, lang: str, vocabulary: ir.Program | None) -> None:
        self.lang = lang
        self.p = _PUNCT[lang]
        self.names: dict[str, list[ir.VocabItem]] = {}
        if vocabulary is not None:
            for item in vocabulary.vocabulary:
                for name in (item.ident, item.label_zh):
                    self.names.setdefault(name, []).append(item)

    # ---- words ------------------------------------------------------------------------
    def kw(self, name: str) -> str:
        return spelling(name, self.lang)

    def term(self, term: ast.Term, kinds: tuple[str, ...]) -> str:
        """A term, renamed into the target language when a vocabulary is known."""
        for item in self.names.get(term.text, []):
            if item.kind in kinds:
                return item.ident if self.lang == "en" else item.label_zh
        return term.text

    def words(self, *parts: str) -> str:
        return " ".join(p for p in parts if p)

    def terms(self, terms: tuple[ast.Term, ...], kinds: tuple[str, ...]) -> str:
        return self.p.list.join(self.term(t, kinds) for t in terms)

    def string(self, text: str) -> str:
        """A quoted text; the other language's quotes when the text holds a closing one."""
        opening, closing = self.p.quotes
        if closing in text:
            other = _PUNCT["en" if self.lang == "zh" else "zh"].quotes
            if other[1] not in text:
                opening, closing = other
        return f"{opening}{text}{closing}"

    def modality(self, in_principle: bool) -> str:
        must = self.kw("MUST")
        return self.words(self.kw("IN_PRINCIPLE"), must) if in_principle else must

    # ---- conditions -------------------------------------------------------------------
    def condition(self, cond: ast.Condition) -> str:
        if isinstance(cond, ast.CondNot):
            return self.words(self.kw("NOT"), self.condition(cond.inner))
        if isinstance(cond, ast.CondRole):
            alternatives = f" {self.kw('OR')} ".join(
                self.term(r, ("role", "relation")) for r in cond.roles
            )
            return self.words(self.kw("IS"), alternatives)
        if isinstance(cond, ast.CondCoversLead):
            return self.kw("COVERS_LEAD")
        if isinstance(cond, ast.CondCoversField):
            return self.kw("COVERS_FIELD")
        if isinstance(cond, ast.CondDrafts):
            return self.kw("DRAFTS")
        if isinstance(cond, ast.CondNamed):
            key = self.term(cond.condition, ("flag",))
            if self.lang == "zh":
                return self.words(self.kw("IS"), self.kw("NAMED_ZH"), key, self.kw("PERSON_ZH"))
            return self.words(self.kw("IS"), self.kw("NAMED_EN"), key)
        if isinstance(cond, ast.CondDid):
            return self.words(self.kw("DID"), self.term(cond.action, ("action",)))
        if isinstance(cond, ast.CondNobody):
            word = self.kw("NOBODY_ZH") if self.lang == "zh" else self.kw("NOBODY_EN")
            return self.words(word, self.term(cond.relation, ("relation",)))
        if isinstance(cond, ast.CondServes):
            return self.words(self.kw("SERVES"), self.term(cond.target, ("role", "relation")))
        var = cond.var.text
        if isinstance(cond, ast.CondShares):
            if self.lang == "zh":
                return self.words(self.kw("AND_ZH"), var, self.kw("SHARES_ZH"))
            return self.words(self.kw("SHARES_EN"), var)
        # In a document's definition a relation may stand for the person (是 R 的 指定汇报对象).
        var = self.term(cond.var, ("relation",))
        if isinstance(cond, ast.CondDesignated):
            if self.lang == "zh":
                return self.words(self.kw("IS"), var, self.kw("OF_ZH"), self.kw("DESIGNATED_ZH"))
            return self.words(self.kw("DESIGNATED_EN"), var)
        return self.words(var, self.kw("NO_DESIGNATED"))

    def doc_condition(self, cond: ast.DocCondition) -> str:
        if isinstance(cond, ast.DocName):
            names = f" {self.kw('OR')} ".join(self.term(n, ("name",)) for n in cond.names)
            return self.words(self.kw("NAME_IS"), names)
        if isinstance(cond, ast.DocValueIs):
            key = self.term(cond.condition, ("flag",))
            return self.words(key, self.kw("IS"), self.term(cond.relation, ("relation",)))
        negation = self.kw("NOT") if cond.negated else ""
        return self.words(negation, self.term(cond.term, _DOC))

    def doc_conditions(self, conds: tuple[ast.DocCondition, ...]) -> str:
        return self.p.comma.join(self.doc_condition(c) for c in conds)

    def step(self, step: ast.Step) -> str:
        when = self.words(self.kw("IF"), self.doc_conditions(step.conditions))
        if step.shape == "each":
            who = self.words(self.kw("EACH"), self.term(step.actor, ("flag",)))
        elif step.shape == "one_of":
            who = self.one_of(step.actor)
        elif step.shape == "either":
            who = f" {self.kw('OR')} ".join(self.option(o) for o in step.options)
            return self.words(who, when if step.conditions else "")
        else:
            who = self.term(step.actor, _ACTOR)
        return self.words(
            who,
            self.term(step.action, ("action",)),
            self.kw("IF_ANY") if step.optional else "",
            when if step.conditions else "",
        )

    def one_of(self, actor: ast.Term) -> str:
        """之一 follows the holders in Chinese; `one of` precedes them in English."""
        if self.lang == "zh":
            return self.words(self.term(actor, _DOER), self.kw("ONE_OF_ZH"))
        return self.words(self.kw("ONE_OF_EN"), self.term(actor, _DOER))

    def option(self, option: ast.StepOption) -> str:
        who = self.one_of(option.actor) if option.one_of else self.term(option.actor, _DOER)
        return self.words(who, self.term(option.action, ("action",)))

    def step_ref(self, ref: ast.StepRef) -> str:
        return self.words(self.term(ref.actor, _ACTOR), self.term(ref.action, ("action",)))

    # ---- statements -------------------------------------------------------------------
    def guard(self, guard: ast.Guard) -> str:
        keyword = self.kw("UNDER") if guard.when_enabled else self.kw("UNLESS")
        name = self.term(guard.name, ("interpretation",))
        return self.words(keyword, self.kw("INTERP"), name) + self.p.colon

    def statement(self, st: ast.Statement) -> list[_Line]:
        lines = self._statement(st)
        if st.name is None:
            return lines
        space = " " if self.lang == "en" else ""
        prefix = self.words(self.kw("RULE"), st.name.text) + self.p.colon + space
        first = lines[0]
        return [_Line(prefix + first.text, first.indent, first.anchor), *lines[1:]]

    def _statement(self, st: ast.Statement) -> list[_Line]:
        lines: list[_Line] = []
        if st.guard is not None:
            lines.append(_Line(self.guard(st.guard), 2, st.guard.pos.line))
        body = st.body
        start = _first_line(body) or st.pos.line  # a statement may name no term at all
        if isinstance(body, ast.Procedure):
            head = self.words(self.kw("PROCEDURE"), self.term(body.name, ("procedure",)))
            lines.append(_Line(head + self.p.colon, 2, start))
            applies = self.words(self.kw("APPLIES"), self.doc_conditions(body.applies))
            parts: list[_Line] = [_Line(applies, 4, _first_line_of(body.applies))]
            for index, group in enumerate(body.groups):
                steps = f" {self.kw('AND')} ".join(self.step(s) for s in group)
                then = self.kw("THEN") if index else ""
                parts.append(_Line(self.words(then, steps), 4, group[0].pos.line))
            for n, part in enumerate(parts):
                stop = self.p.end if n == len(parts) - 1 else self.p.semi
                lines.append(_Line(part.text + stop, part.indent, part.anchor))
            return lines
        lines.append(_Line(self.body(body) + self.p.end, 2, start))
        return lines

    def body(self, body: ast.Body) -> str:
        p = self.p
        if isinstance(body, ast.Interpretation):
            ident = f"= {body.ident.text}" if body.ident else ""
            switch = self.kw("ENABLED") if body.default_enabled else self.kw("DISABLED")
            head = self.words(self.kw("INTERP"), body.label.text, ident, self.kw("DEFAULT"), switch)
            return head + p.colon + " " * (self.lang == "en") + self.string(body.justification)
        if isinstance(body, ast.Definition):
            relation = self.term(body.relation, ("relation",))
            if body.param is None:
                head = relation
            elif self.lang == "zh":
                head = self.words(body.param.text, self.kw("OF_ZH"), relation)
            else:
                head = self.words(relation, self.kw("OF_EN"), body.param.text)
            also = f"{p.comma}{self.kw('ALSO')} "
            conditions = also.join(self.condition(c) for c in body.conditions)
            space = " " if self.lang == "en" else ""
            return self.words(self.kw("DEFINE"), head) + p.colon + space + conditions
        if isinstance(body, ast.ProcedureOrder):
            name = self.term(body.procedure, ("procedure",))
            first, then = self.step_ref(body.first), self.step_ref(body.then)
            if self.lang == "zh":
                lead = self.words(self.kw("PROCEDURE"), name, self.kw("IN_ZH"))
            else:
                lead = self.words(self.kw("IN_PROCEDURE"), name)
            return self.words(lead, first, self.kw("BEFORE"), then)
        if isinstance(body, ast.ProcedureExtend):
            return self.words(
                self.kw("PROCEDURE"),
                self.term(body.procedure, ("procedure",)),
                self.kw("ALSO_APPLIES"),
                self.doc_conditions(body.applies),
            )
        if isinstance(body, ast.ProhibitTogether):
            return self.words(
                self.kw("FORBID"),
                self.term(body.role, ("role",)),
                self.kw("AND"),
                self.kw("THEIR"),
                self.term(body.relation, ("relation",)),
                self.kw("SAME_TIME"),
                self.terms(body.kinds, ("absence",)),
            )
        if isinstance(body, ast.ProhibitAction):
            return self.words(
                self.kw("FORBID"),
                self.term(body.actor, _ACTOR),
                self.term(body.action, ("action",)),
            )
        if isinstance(body, ast.ReportDuty):
            recipients = p.list.join(
                self.words(self.kw("THEIR") if r.theirs else "", self.term(r.term, _ACTOR))
                for r in body.recipients
            )
            tail = self.words(self.modality(body.in_principle), self.kw("REPORT_ADVANCE"))
            subject = self.term(body.subject, ("role",))
            kinds = self.terms(body.kinds, ("absence",))
            n = body.longer_than
            if self.lang == "zh":
                longer = "" if n is None else f"超过 {n} 个工作日 的"
                head = self.words(subject, kinds, longer)
                return head + p.comma + self.words(tail, recipients)
            longer = (
                ""
                if n is None
                else self.words(self.kw("LONGER_EN"), str(n), self.kw("WORKING_DAYS"))
            )
            return self.words(subject, self.kw("ON"), kinds, longer, tail, recipients)
        if isinstance(body, ast.ActingDuty):
            subject = self.term(body.subject, ("role",))
            theirs = self.kw("THEIR") if body.acting.theirs else ""
            acting = self.words(theirs, self.term(body.acting.term, _ACTOR))
            if self.lang == "zh":
                head = self.words(subject, self.kw("AWAY"))
                return head + p.comma + self.words(self.kw("BY"), acting, self.kw("ACTS"))
            return (
                self.words(subject, self.kw("AWAY")) + p.comma + self.words(acting, self.kw("ACTS"))
            )
        if isinstance(body, ast.MeetingMembers):
            roles = self.terms(body.roles, ("role",))
            meeting = self.term(body.meeting, ("meeting",))
            if self.lang == "zh":
                return self.words(meeting, self.kw("BY"), roles, self.kw("COMPOSED"))
            return self.words(meeting, self.kw("CONSISTS"), roles)
        if isinstance(body, ast.MeetingFrequency):
            generally = self.kw("GENERALLY") if body.generally else ""
            meeting = self.term(body.meeting, ("meeting",))
            if self.lang == "zh":
                per = "每月" if body.per == "month" else "每周"
                return self.words(meeting, generally, per, "召开", str(body.times), "次")
            count = self.kw("ONCE") if body.times == 1 else f"{body.times} {self.kw('TIMES')}"
            per = self.kw("A_MONTH") if body.per == "month" else self.kw("A_WEEK")
            return self.words(meeting, generally, self.kw("HELD"), count, per)
        if isinstance(body, ast.PlanReading):
            if body.model == "matter_any_one" and body.subject is not None:
                kind = self.term(body.subject, ("matter",))
                if self.lang == "zh":
                    return self.words(self.kw("NO_FIELD"), kind, self.kw("MATTER_ANY_ONE"))
                return self.words(kind, self.kw("MATTER_ANY_ONE"))
            names = {
                "working": "DAY_MODEL",
                "first_day": "FIRST_DAY",
                "acting_powers": "ACTING_POWERS",
                "unit_members": "UNIT_MEMBERS",
            }
            return self.kw(names[body.model])
        if isinstance(body, ast.MeetingCaller):
            caller = self.term(body.caller, _ACTOR)
            head = self.words(self.kw("AD_HOC"), self.term(body.meeting, ("meeting",)))
            if self.lang == "zh":
                return self.words(head, self.kw("BY"), caller, self.kw("CALLS"))
            return self.words(head, self.kw("CALLED_BY"), caller)
        if isinstance(body, ast.MatterDuty):
            necessary = self.kw("WHEN_NECESSARY") if body.when_necessary else ""
            subjects = self.terms(body.subjects, ("role",))
            recipients = p.list.join(
                self.words(self.kw("THEIR") if r.theirs else "", self.term(r.term, _ACTOR))
                for r in body.recipients
            )
            act = self.kw("ASK") if body.act == "ask" else self.kw("REPORT")
            tail = self.words(self.modality(body.in_principle), self.kw("PROMPTLY"), act)
            kinds = self.terms(body.kinds, ("matter",))
            if self.lang == "zh":
                head = self.words(necessary, subjects, kinds)
                return head + p.comma + self.words(tail, recipients)
            return self.words(necessary, subjects, self.kw("ON"), kinds, tail, recipients)
        if isinstance(body, ast.MatterDetails):
            subjects = self.terms(body.subjects, ("role",))
            kinds = self.terms(body.kinds, ("matter",))
            words = {"responsible": "RESPONSIBLE", "deadline": "DEADLINE_WORD"}
            details = p.list.join(self.kw(words[d]) for d in body.details)
            tail = self.words(self.modality(body.in_principle), self.kw("SPECIFY"), details)
            if self.lang == "zh":
                return self.words(subjects, kinds) + p.comma + tail
            return self.words(subjects, self.kw("ON"), kinds, tail)
        if isinstance(body, ast.Power):
            head = self.words(
                self.term(body.actor, _DOER), self.kw("MAY"), self.terms(body.actions, ("action",))
            )
            if not body.applies:
                return head
            space = " " if self.lang == "en" else ""
            return head + p.colon + space + self.doc_conditions(body.applies)
        if isinstance(body, ast.OpinionDuty):
            holder = self.term(body.actor, _ACTOR) if body.actor is not None else ""
            actions = self.terms(body.actions, ("action",))
            return self.words(holder, actions, self.kw("NEEDS_OPINION"))
        if isinstance(body, ast.ExplainDuty):
            return self.words(self.term(body.actor, _ACTOR), self.kw("EXPLAIN_UNADOPTED"))
        if isinstance(body, ast.RevisionDuty):
            returned = self.term(body.returned, ("action",))
            fixer = self.term(body.fixer, _ACTOR)
            fix = self.term(body.fix, ("action",))
            review = self.term(body.review, ("action",))
            act = self.words(fixer, self.modality(body.in_principle), fix)
            if self.lang == "zh":
                return (
                    self.words(returned, self.kw("AFTER_ZH"))
                    + p.comma
                    + act
                    + p.comma
                    + self.words(self.kw("AGAIN_ZH"), review)
                )
            again = self.words(self.kw("THEN"), review, self.kw("AGAIN_EN"))
            return self.words(self.kw("AFTER_EN"), returned) + p.comma + act + p.comma + again
        if isinstance(body, ast.ActionOrder):
            return self.words(
                self.term(body.first, ("action",)),
                self.kw("BEFORE"),
                self.kw("ANY"),
                self.term(body.then, ("action",)),
            )
        if isinstance(body, ast.CountsAs):
            space = " " if self.lang == "en" else ""
            head = self.words(self.term(body.mark, ("action",)), self.kw("COUNTS_AS"))
            return head + p.colon + space + self.terms(body.actions, ("action",))
        if isinstance(body, ast.SameActorDuty):
            trigger = self.term(body.trigger, ("action",))
            first = self.term(body.first, ("action",))
            then = self.term(body.then, ("action",))
            modality = self.modality(body.in_principle)
            if self.lang == "zh":
                return (
                    self.words(trigger, self.kw("AFTER_ZH"))
                    + p.comma
                    + self.words(self.kw("SAME_ZH"), first, self.kw("ACTOR_ZH"), modality, then)
                )
            return (
                self.words(self.kw("AFTER_EN"), trigger)
                + p.comma
                + self.words(self.kw("SAME_EN"), first, self.kw("ACTOR_EN"), modality, then)
            )
        if isinstance(body, ast.DocDeadline):
            actor = self.term(body.actor, _DOER)
            action = self.term(body.action, ("action",))
            limit = self.term(body.limit, ("flag",))
            modality = self.modality(body.in_principle)
            if self.lang == "zh":
                return self.words(
                    actor,
                    modality,
                    self.kw("IN_DOC_ZH"),
                    limit,
                    self.kw("WITHIN_DOC_ZH"),
                    self.kw("COMPLETE"),
                    action,
                )
            return self.words(actor, modality, action, self.kw("WITHIN_DOC_EN"), limit)
        if isinstance(body, ast.HoursDeadline):
            actor = self.term(body.actor, _DOER)
            action = self.term(body.action, ("action",))
            modality = self.modality(body.in_principle)
            if self.lang == "zh":
                within = f"在 {body.hours} 小时 内"
                return self.words(actor, modality, within, self.kw("COMPLETE"), action)
            hours = self.words(self.kw("WITHIN_EN"), str(body.hours), self.kw("HOURS_EN"))
            return self.words(actor, modality, action, hours)
        if isinstance(body, ast.DocRequires):
            condition = self.term(body.condition, _DOC)
            field = self.term(body.field, ("flag",))
            if self.lang == "zh":
                return self.words(
                    condition, self.kw("OF_ZH"), self.kw("DOCKIND"), self.kw("REQUIRES"), field
                )
            return self.words(condition, self.kw("DOCUMENTS_EN"), self.kw("REQUIRES"), field)
        if not isinstance(body, ast.DeadlineDuty):
            assert not isinstance(body, ast.Procedure), "written line by line by statement()"
            assert_never(body)  # a new form must be written back (mypy names the one missing)
        actor = self.term(body.actor, _ACTOR)
        action = self.term(body.action, ("action",))
        modality = self.modality(body.in_principle)
        if self.lang == "zh":
            within = f"在 {body.working_days}个工作日内"
            return self.words(actor, modality, within, self.kw("COMPLETE"), action)
        days = self.words(self.kw("WITHIN_EN"), str(body.working_days), self.kw("WORKING_DAYS"))
        return self.words(actor, modality, action, days)

    # ---- blocks -----------------------------------------------------------------------
    def vocabulary(self, vocab: ast.Vocabulary) -> list[_Line]:
        lines = [_Line(self.kw("VOCAB") + self.p.colon, 0, vocab.pos.line)]
        previous: str | None = None
        for entry in vocab.entries:
            if previous is not None and entry.kind != previous:
                lines.append(_Line(""))
            previous = entry.kind
            text = self.words(
                self.kw(_VOCAB_KINDS[entry.kind]),
                entry.label.text,
                "=",
                entry.ident.text,
                self.string(entry.en_label) if entry.en_label is not None else "",
            )
            if entry.traits:
                text = self.words(text, self.kw("TRAITS"), self._traits(entry))
            lines.append(_Line(text + self.p.end, 2, entry.pos.line))
        return lines

    def _traits(self, entry: ast.VocabEntry) -> str:
        """An entry's traits in the target language (an unknown word is kept as written)."""
        words = []
        for term in entry.traits:
            trait = trait_by_word(entry.kind, term.text)
            words.append(term.text if trait is None else getattr(trait, self.lang))
        return self.p.list.join(words)

    def article(self, article: ast.Article) -> list[_Line]:
        if article.label is not None:
            head = self.kw("LABELLED") if self.lang == "zh" else "article"
            header = self.words(head, self.string(article.label.text))
        elif self.lang == "zh":
            header = f"第{to_chinese(article.number)}条"
        else:
            header = f"article {article.number}"
        lines = [_Line(header, 0, article.pos.line)]
        for st in article.statements:
            lines += self.statement(st)
        return lines


def _terms_of(node: object) -> list[ast.Term]:
    """Every term inside a node, to find the first source line a node occupies."""
    if isinstance(node, ast.Term):
        return [node]
    if isinstance(node, tuple):
        return [t for child in node for t in _terms_of(child)]
    fields = getattr(node, "__dataclass_fields__", None)
    if fields is None:
        return []
    return [t for name in fields for t in _terms_of(getattr(node, name))]


def _first_line(node: object) -> int | None:
    terms = _terms_of(node)
    return min(t.pos.line for t in terms) if terms else None


def _first_line_of(conds: tuple[ast.DocCondition, ...]) -> int | None:
    return conds[0].pos.line if conds else None


def _items(rule_file: ast.RuleFile) -> tuple[ast.Vocabulary | ast.Article, ...]:
    if rule_file.items:
        return rule_file.items
    both: list[ast.Vocabulary | ast.Article] = [*rule_file.vocabularies, *rule_file.articles]
    return tuple(sorted(both, key=lambda i: (i.pos.line, i.pos.column)))


def canonical_statement(st: ast.Statement, vocabulary: Sequence[ir.VocabItem]) -> str:
    """One statement without its name, in English keywords and identifiers on one line:
    what a content-derived rule id is computed from, so that layout, comments, keyword
    language and label-or-identifier spelling never change the id."""
    printer = _Printer("en", ir.Program(tuple(vocabulary), (), ()))
    unnamed = ast.Statement(st.body, st.guard, st.article, st.pos)
    return " ".join(line.text for line in printer.statement(unnamed))


def format_rules(
    rule_file: ast.RuleFile,
    lang: str | None = None,
    vocabulary: ir.Program | None = None,
) -> str:
    """The canonical text of a parsed rule file.

    `lang` None keeps the file's keyword language; "zh" or "en" translates keywords.
    Terms are kept as written unless `vocabulary` is given, in which case each term
    becomes its identifier (en) or its Chinese label (zh).
    """
    target = lang or rule_file.lang
    if target not in LANGS:
        raise ValueError(f"unknown language {target!r}; expected one of {LANGS}")
    printer = _Printer(target, vocabulary)
    lines: list[_Line] = []
    for item in _items(rule_file):
        if lines:
            lines.append(_Line(""))
        if isinstance(item, ast.Vocabulary):
            lines += printer.vocabulary(item)
        else:
            lines += printer.article(item)

    comments = sorted(rule_file.comments, key=lambda c: c.line)
    out: list[str] = []
    pending = 0
    for line in lines:
        if line.anchor is not None:
            while pending < len(comments) and comments[pending].line < line.anchor:
                out.append(" " * line.indent + _comment(comments[pending]))
                pending += 1
        out.append(" " * line.indent + line.text if line.text else "")
    out += [_comment(c) for c in comments[pending:]]
    return "\n".join(out) + "\n" if out else ""


def _comment(comment: ast.Comment) -> str:
    return f"# {comment.text}" if comment.text else "#"
