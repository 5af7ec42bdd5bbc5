"""The linter: mistakes the grammar and the resolver let through, and a few they stop.

Resolver errors are reported again as findings so a user sees everything in one list;
the other checks work on the surface trees alone, so they still run when resolution
fails. When resolution succeeds, two checks read the resolved program: a relation that no
definition defines and no input carries (`never-produced`, so whatever names it never
applies) and a rule whose document conditions no document can meet (`never-fires`). Findings
carry stable codes (`unused-term`, `split-article`, …) that tools and
tests may rely on.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import assert_never

from govrules.errors import Bilingual, Location, RuleError
from govrules.lang import ast, ir
from govrules.lang.diagnostics import excerpt
from govrules.lang.resolve import RuleErrors, resolve
from govrules.lang.traits import TRAITS

__all__ = ["CODES", "LintFinding", "lint"]

# code → severity; resolver errors keep their resolver code with '-' for '_'.
CODES: dict[str, str] = {
    "unknown-term": "error",
    "wrong-kind": "error",
    "duplicate": "error",
    "bad-identifier": "error",
    "unknown-variable": "error",
    "unbound-subject": "error",
    "not-a-relation": "error",
    "unsupported": "error",
    "unknown-interpretation": "error",
    "duplicate-rule": "error",
    "misplaced-name": "error",
    "not-a-read-mark": "error",
    "not-a-valued-condition": "error",
    "unused-term": "warning",
    "unused-interpretation": "warning",
    "no-article": "warning",
    "empty-article": "warning",
    "split-article": "warning",
    "mixed-language": "warning",
    "never-produced": "warning",
    "never-fires": "warning",
}

_ACTOR = ("role", "unit", "relation")
_DOC = ("document", "flag")
_KIND_WORDS = {
    "role": ("角色", "role"),
    "unit": ("单位", "unit"),
    "relation": ("关系", "relation"),
    "action": ("行为", "action"),
    "absence": ("缺勤类别", "absence kind"),
    "document": ("公文类别", "document kind"),
    "name": ("行文名义", "name of issue"),
    "flag": ("公文条件", "document condition"),
    "procedure": ("流程", "procedure"),
    "meeting": ("会议", "kind of meeting"),
    "matter": ("事项", "kind of matter"),
}


@dataclass(frozen=True)
class LintFinding:
    code: str
    severity: str  # error | warning
    location: Location
    message: Bilingual
    detail: str = ""  # a source excerpt with a caret, when the source text is known
    span: int = field(default=1, compare=False)  # how many characters the caret marks

    def render(self, lang: str = "zh") -> str:
        text = f"{self.location}: {self.severity}[{self.code}]: {self.message(lang)}"
        return f"{text}\n{self.detail}" if self.detail else text


def _finding(code: str, pos: ast.Pos, message: Bilingual) -> LintFinding:
    span = pos.end_column - pos.column if pos.end_line == pos.line else 1
    location = Location(pos.file, pos.line, pos.column)
    return LintFinding(code, CODES[code], location, message, span=max(span, 1))


# ---- where terms are used -------------------------------------------------------------


def _doc_uses(conds: Sequence[ast.DocCondition]) -> Iterator[tuple[ast.Term, tuple[str, ...]]]:
    for c in conds:
        if isinstance(c, ast.DocName):
            for n in c.names:
                yield n, ("name",)
        elif isinstance(c, ast.DocValueIs):
            yield c.condition, ("flag",)
            yield c.relation, ("relation",)
        else:
            yield c.term, _DOC


def _condition_uses(cond: ast.Condition) -> Iterator[tuple[ast.Term, tuple[str, ...]]]:
    if isinstance(cond, ast.CondNot):
        yield from _condition_uses(cond.inner)
    elif isinstance(cond, ast.CondRole):
        for r in cond.roles:
            yield r, ("role", "relation")
    elif isinstance(cond, ast.CondNamed):
        yield cond.condition, ("flag",)
    elif isinstance(cond, ast.CondDid):
        yield cond.action, ("action",)
    elif isinstance(cond, ast.CondNobody):
        yield cond.relation, ("relation",)
    elif isinstance(cond, ast.CondServes):
        yield cond.target, ("role", "relation")


def _uses(body: ast.Body) -> Iterator[tuple[ast.Term, tuple[str, ...]]]:
    """Every vocabulary term a statement body names, with the kinds it may have there."""
    if isinstance(body, ast.Definition):
        yield body.relation, ("relation",)
        for cond in body.conditions:
            yield from _condition_uses(cond)
    elif isinstance(body, ast.Procedure):
        yield body.name, ("procedure",)
        yield from _doc_uses(body.applies)
        for group in body.groups:
            for step in group:
                if step.shape == "each":
                    yield step.actor, ("flag",)
                    yield step.action, ("action",)
                for option in step.options:
                    yield option.actor, (*_ACTOR, "flag")
                    yield option.action, ("action",)
                if step.shape == "plain":
                    yield step.actor, _ACTOR
                    yield step.action, ("action",)
                yield from _doc_uses(step.conditions)
    elif isinstance(body, ast.ProcedureOrder):
        yield body.procedure, ("procedure",)
        for ref in (body.first, body.then):
            yield ref.actor, _ACTOR
            yield ref.action, ("action",)
    elif isinstance(body, ast.ProcedureExtend):
        yield body.procedure, ("procedure",)
        yield from _doc_uses(body.applies)
    elif isinstance(body, ast.ProhibitTogether):
        yield body.role, ("role",)
        yield body.relation, ("relation",)
        for k in body.kinds:
            yield k, ("absence",)
    elif isinstance(body, ast.ProhibitAction):
        yield body.actor, _ACTOR
        yield body.action, ("action",)
    elif isinstance(body, ast.ReportDuty):
        yield body.subject, ("role",)
        for k in body.kinds:
            yield k, ("absence",)
        for r in body.recipients:
            yield r.term, _ACTOR
    elif isinstance(body, ast.DeadlineDuty):
        yield body.actor, _ACTOR
        yield body.action, ("action",)
    elif isinstance(body, ast.ActingDuty):
        yield body.subject, ("role",)
        yield body.acting.term, _ACTOR
    elif isinstance(body, ast.MeetingMembers):
        yield body.meeting, ("meeting",)
        for role in body.roles:
            yield role, ("role",)
    elif isinstance(body, ast.MeetingCaller):
        yield body.meeting, ("meeting",)
        yield body.caller, _ACTOR
    elif isinstance(body, ast.MeetingFrequency):
        yield body.meeting, ("meeting",)
    elif isinstance(body, ast.PlanReading):
        if body.subject is not None:
            yield body.subject, ("matter",)
    elif isinstance(body, ast.MatterDuty):
        for subject in body.subjects:
            yield subject, ("role",)
        for kind in body.kinds:
            yield kind, ("matter",)
        for recipient in body.recipients:
            yield recipient.term, _ACTOR
    elif isinstance(body, ast.MatterDetails):
        for subject in body.subjects:
            yield subject, ("role",)
        for kind in body.kinds:
            yield kind, ("matter",)
    elif isinstance(body, ast.Power):
        yield body.actor, (*_ACTOR, "flag")
        for a in body.actions:
            yield a, ("action",)
        yield from _doc_uses(body.applies)
    elif isinstance(body, ast.OpinionDuty):
        if body.actor is not None:
            yield body.actor, _ACTOR
        for a in body.actions:
            yield a, ("action",)
    elif isinstance(body, ast.ExplainDuty):
        yield body.actor, _ACTOR
    elif isinstance(body, ast.RevisionDuty):
        yield body.fixer, _ACTOR
        for a in (body.returned, body.fix, body.review):
            yield a, ("action",)
    elif isinstance(body, ast.ActionOrder):
        yield body.first, ("action",)
        yield body.then, ("action",)
    elif isinstance(body, ast.CountsAs):
        yield body.mark, ("action",)
        for a in body.actions:
            yield a, ("action",)
    elif isinstance(body, ast.SameActorDuty):
        for a in (body.trigger, body.first, body.then):
            yield a, ("action",)
    elif isinstance(body, ast.DocDeadline):
        yield body.actor, (*_ACTOR, "flag")
        yield body.action, ("action",)
        yield body.limit, ("flag",)
    elif isinstance(body, ast.HoursDeadline):
        yield body.actor, (*_ACTOR, "flag")
        yield body.action, ("action",)
    elif isinstance(body, ast.DocRequires):
        yield body.condition, _DOC
        yield body.field, ("flag",)
    elif isinstance(body, ast.Interpretation):
        pass  # names no vocabulary term
    else:
        assert_never(body)  # a new form must say which terms it uses


# Traits whose words the kernel reads from inputs without any rule naming them (a
# role-valued condition is the input that sets the conditions rules name).
_KERNEL_TRAITS = frozenset(
    spelling
    for trait in TRAITS
    if trait.ident in ("ends", "read_mark", "movable", "role_value", "backup_post")
    for spelling in (trait.zh, trait.en)
)


def _statements(files: Sequence[ast.RuleFile]) -> Iterator[ast.Statement]:
    for f in files:
        for article in f.articles:
            yield from article.statements


# ---- checks ---------------------------------------------------------------------------


def _unused_terms(files: Sequence[ast.RuleFile]) -> list[LintFinding]:
    used: set[tuple[str, str]] = set()  # (kind, name as written)
    for st in _statements(files):
        for term, kinds in _uses(st.body):
            used.update((k, term.text) for k in kinds)
    out = []
    for f in files:
        for vocab in f.vocabularies:
            for e in vocab.entries:
                if _KERNEL_TRAITS & {t.text for t in e.traits}:  # the kernel reads it itself
                    continue
                if (e.kind, e.label.text) in used or (e.kind, e.ident.text) in used:
                    continue
                zh, en = _KIND_WORDS[e.kind]
                message = Bilingual(
                    f"{zh}「{e.label.text}」（{e.ident.text}）未被任何规则使用",
                    f"{en} {e.ident.text!r} ({e.label.text}) is not used by any rule",
                )
                out.append(_finding("unused-term", e.label.pos, message))
    return out


def _interpretations(files: Sequence[ast.RuleFile]) -> list[LintFinding]:
    declared: list[tuple[ast.Interpretation, ast.Pos]] = []
    names: set[str] = set()
    for st in _statements(files):
        if isinstance(st.body, ast.Interpretation):
            declared.append((st.body, st.pos))
            names.add(st.body.label.text)
            if st.body.ident is not None:
                names.add(st.body.ident.text)
    out: list[LintFinding] = []
    guarded: set[str] = set()
    for st in _statements(files):
        if st.guard is None:
            continue
        name = st.guard.name
        guarded.add(name.text)
        if name.text not in names:
            message = Bilingual(
                f"条件「{name.text}」不是已声明的解释",
                f"the guard names {name.text!r}, which is not a declared interpretation",
            )
            out.append(_finding("unknown-interpretation", name.pos, message))
    for interp, pos in declared:
        spelled = {interp.label.text} | ({interp.ident.text} if interp.ident else set())
        if spelled & guarded:
            continue
        shown = interp.ident.text if interp.ident else interp.label.text
        message = Bilingual(
            f"解释「{interp.label.text}」未被任何「依/除非 解释」条件使用",
            f"interpretation {shown!r} is declared but no rule is guarded by it",
        )
        out.append(_finding("unused-interpretation", pos, message))
    return out


def _articles(files: Sequence[ast.RuleFile]) -> list[LintFinding]:
    out: list[LintFinding] = []
    first: dict[int | str, ast.Pos] = {}
    for f in files:
        if not f.articles and not f.vocabularies:
            message = Bilingual(
                "文件中没有条文（「第N条」）也没有词汇",
                "the file has no article header and no vocabulary",
            )
            out.append(_finding("no-article", ast.Pos(f.path, 1, 1, 1, 1), message))
        for article in f.articles:
            key: int | str = article.label.text if article.label else article.number
            zh = f"条文「{key}」" if article.label else f"第{key}条"
            en = f"article {key!r}" if article.label else f"article {key}"
            if not article.statements:
                message = Bilingual(f"{zh}下没有任何规则", f"{en} has no statements")
                out.append(_finding("empty-article", article.pos, message))
            if key in first:
                where = f"{first[key].file}:{first[key].line}"
                message = Bilingual(
                    f"{zh}已在 {where} 出现；同一条分在多处",
                    f"{en} already begins at {where}; the article is split",
                )
                out.append(_finding("split-article", article.pos, message))
            else:
                first[key] = article.pos
    return out


def _languages(files: Sequence[ast.RuleFile]) -> list[LintFinding]:
    out: list[LintFinding] = []
    for f in files:
        if len({k.lang for k in f.keywords}) < 2:
            continue
        odd = next(k for k in f.keywords if k.lang != f.lang)
        count = sum(k.lang != f.lang for k in f.keywords)
        main_zh, main_en = ("中文", "Chinese") if f.lang == "zh" else ("英文", "English")
        message = Bilingual(
            f"文件主要使用{main_zh}关键词，但有 {count} 处使用另一种语言，首处为「{odd.text}」",
            f"the file mostly uses {main_en} keywords but {count} are in the other language, "
            f"first {odd.text!r}",
        )
        out.append(_finding("mixed-language", odd.pos, message))
    return out


def _resolver(
    files: Sequence[ast.RuleFile],
    sources: dict[str, str] | None,
    labels: Mapping[int, str] | None = None,
) -> tuple[list[LintFinding], ir.Program | None]:
    try:
        program = resolve(files, sources, labels)
    except RuleError as err:
        errors = err.errors if isinstance(err, RuleErrors) else [err]
        out = []
        for e in errors:
            code = e.code.replace("_", "-")
            out.append(LintFinding(code, CODES.get(code, "error"), e.location, e.message, e.detail))
        return out, None
    return [], program


# ---- checks on the resolved program ---------------------------------------------------


@functools.cache
def _input_relations(program: ir.Program) -> frozenset[str]:
    """Relations the kernel fills from inputs itself: those whose vocabulary word declares
    a trait that an input carries (特性 备岗: the organisation file's `backup`)."""
    return frozenset(program.with_trait("relation", "backup_post"))


def _relations_named(node: object) -> Iterator[str]:
    """Every relation a resolved form names: as an actor, a recipient, 其 X, 联系 X."""
    if isinstance(node, ir.Actor):
        if node.kind == "relation":
            yield node.ident
    elif isinstance(node, ir.ProhibitTogether):
        yield node.relation
    elif isinstance(node, ir.PersonCond):
        if node.kind == "serves_relation":
            yield node.arg
    elif isinstance(node, tuple):
        for child in node:
            yield from _relations_named(child)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            yield from _relations_named(getattr(node, f.name))


def _location(source: ir.Source) -> Location:
    return Location(source.file, source.line, source.column)


def _never_produced(program: ir.Program) -> list[LintFinding]:
    """A relation that rules name but that no definition (定义) defines and no input
    carries: it is empty in every case, so whatever names it never applies."""
    defined = {r.form.relation for r in program.rules if isinstance(r.form, ir.Definition)}
    produced = defined | _input_relations(program)
    out: list[LintFinding] = []
    labels = {i.ident: i for i in program.vocabulary if i.kind == "relation"}
    reported: set[str] = set()
    for rule in program.rules:
        for relation in _relations_named(rule.form):
            if relation in produced or relation in reported or relation not in labels:
                continue
            reported.add(relation)
            item = labels[relation]
            message = Bilingual(
                f"关系「{item.label_zh}」（{relation}）没有任何「定义」，输入也不会给出；"
                f"规则 {rule.ident} 等用到它的规则永远不会适用",
                f"relation {relation!r} ({item.label_zh}) is defined by no 'define' statement "
                f"and no input carries it; rule {rule.ident} and any other naming it never apply",
            )
            out.append(LintFinding("never-produced", "warning", _location(item.source), message))
    return out


def _impossible(conj: ir.Conjunction, named_kinds: set[str], any_named: bool) -> Bilingual | None:
    """Why no document can meet a conjunction of document conditions, if it cannot."""
    kinds = {c.ident for c in conj if c.kind == "document" and not c.negated}
    if len(kinds) > 1:
        shown = "、".join(sorted(kinds))
        return Bilingual(
            f"一件公文不能同时属于 {shown}",
            f"a document cannot be of kinds {', '.join(sorted(kinds))} at once",
        )
    for c in conj:
        if c.negated and any(
            d.kind == c.kind and d.ident == c.ident and not d.negated for d in conj
        ):
            return Bilingual(
                f"「{c.ident}」既要求又排除", f"{c.ident!r} is both required and excluded"
            )
    if any(c.kind == "name" and not c.negated for c in conj):
        if kinds and not kinds & named_kinds:
            kind = next(iter(kinds))
            return Bilingual(
                f"公文类别 {kind} 没有特性「须名义」，不能有行文名义",
                f"document kind {kind!r} has no 'named' trait, so it has no name of issue",
            )
        if not any_named:
            return Bilingual(
                "没有任何公文类别有特性「须名义」，公文不能有行文名义",
                "no document kind has the 'named' trait, so no document has a name of issue",
            )
    return None


def _never_fires(program: ir.Program) -> list[LintFinding]:
    """A rule whose every alternative of document conditions no document can meet."""
    named_kinds = {
        i.ident for i in program.vocabulary if i.kind == "document" and "named" in i.traits
    }
    out: list[LintFinding] = []
    for rule in program.rules:
        applies = getattr(rule.form, "applies", ())
        if not applies:
            continue
        reasons = [_impossible(c, named_kinds, bool(named_kinds)) for c in applies]
        if any(r is None for r in reasons):
            continue
        why = reasons[0]
        assert why is not None
        message = Bilingual(
            f"规则 {rule.ident} 永远不会适用：{why.zh}",
            f"rule {rule.ident} can never apply: {why.en}",
        )
        out.append(LintFinding("never-fires", "warning", _location(rule.source), message))
    return out


def _takeable(program: ir.Program) -> set[str]:
    """The actions some rule lets someone take: a procedure's steps and the powers."""
    out: set[str] = set()
    for rule in program.rules:
        f = rule.form
        if isinstance(f, ir.Procedure):
            for step in f.steps:
                out.add(step.action)
                out.update(action for _, action in step.options)
        elif isinstance(f, ir.Power):
            out.update(f.actions)
        elif isinstance(f, ir.SameActorDuty):
            out.add(f.then)
    return out


def _idle_action_forms(program: ir.Program) -> list[LintFinding]:
    """A document form that speaks only of actions no step or power lets anyone take: it
    can never fire (an order, counts-as, same-actor or time-limit rule)."""
    steps = {
        action
        for rule in program.rules
        if isinstance(rule.form, ir.Procedure)
        for step in rule.form.steps
        for action in (step.action, *(a for _, a in step.options))
    }
    takeable = _takeable(program)
    out: list[LintFinding] = []
    for rule in program.rules:
        f = rule.form
        idle: list[str] = []
        if isinstance(f, ir.ActionOrder):
            idle = [a for a in (f.first, f.then) if a not in takeable]
        elif isinstance(f, ir.CountsAs):
            idle = [] if any(a in steps for a in f.actions) else list(f.actions)
        elif isinstance(f, ir.SameActorDuty):
            idle = [a for a in (f.trigger, f.first) if a not in takeable]
        elif isinstance(f, ir.DocDeadline | ir.HoursDeadline):
            idle = [f.action] if f.action not in takeable else []
        if not idle:
            continue
        zh = "、".join(program.label("action", a, "zh") for a in idle)
        en = ", ".join(idle)
        message = Bilingual(
            f"规则 {rule.ident} 永远不会适用：没有流程步骤或权限让任何人「{zh}」",
            f"rule {rule.ident} can never apply: no procedure step or power lets anyone take {en}",
        )
        out.append(LintFinding("never-fires", "warning", _location(rule.source), message))
    return out


def lint(
    files: list[ast.RuleFile],
    program: ir.Program | None = None,
    sources: dict[str, str] | None = None,
    labels: Mapping[int, str] | None = None,
) -> list[LintFinding]:
    """All findings for a set of rule files, sorted by place.

    With `program` None the files are resolved here and resolver errors become findings;
    a given `program` is taken as proof that resolution succeeded.
    """
    findings = [
        *_unused_terms(files),
        *_interpretations(files),
        *_articles(files),
        *_languages(files),
    ]
    if program is None:
        seen = {(f.location.file, f.location.line, f.location.column) for f in findings}
        errors, program = _resolver(files, sources, labels)
        findings += [
            f for f in errors if (f.location.file, f.location.line, f.location.column) not in seen
        ]
    if program is not None:
        findings += [
            *_never_produced(program),
            *_never_fires(program),
            *_idle_action_forms(program),
        ]
    if sources:
        findings = [_with_excerpt(f, sources) for f in findings]
    return sorted(
        findings,
        key=lambda f: (f.location.file, f.location.line or 0, f.location.column or 0, f.code),
    )


def _with_excerpt(finding: LintFinding, sources: dict[str, str]) -> LintFinding:
    loc = finding.location
    text = sources.get(loc.file)
    if finding.detail or text is None or loc.line is None:
        return finding
    detail = excerpt(text, loc.line, loc.column or 1, finding.span)
    return LintFinding(finding.code, finding.severity, loc, finding.message, detail, finding.span)
