"""Rule text → surface syntax tree. The only module that touches Lark.

The parser is LALR with the contextual lexer and propagated positions, built once per
process from `grammar/govrules.lark` with the keyword spellings of `keywords.py`
filled in. Lark's exceptions are translated here into `RuleError`s that say, in
Chinese and English, where the text went wrong and what was expected instead.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lark import PostLex

from govrules.errors import Bilingual, Location, RuleError
from govrules.lang import ast
from govrules.lang.diagnostics import excerpt
from govrules.lang.keywords import KEYWORDS, grammar_definitions
from govrules.lang.numerals import parse_number
from govrules.resources import grammar_file

__all__ = ["parse_rules"]


@functools.cache
def _grammar_text() -> str:
    template = grammar_file().read_text(encoding="utf-8")
    expressions, terminals = grammar_definitions()

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in expressions:
            raise KeyError(f"grammar uses unknown keyword @{name}")
        return expressions[name]

    lines = [
        line if line.lstrip().startswith("//") else re.sub(r"@([A-Z_]+)", fill, line)
        for line in template.splitlines()
    ]
    body = "\n".join(lines)
    return body + "\n" + "\n".join(terminals) + "\n"


@functools.cache
def _plain_parser() -> Lark:
    return Lark(
        _grammar_text(),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
    )


def _pos(file: str, meta: Any) -> ast.Pos:
    return ast.Pos(file, meta.line, meta.column, meta.end_line, meta.end_column)


def _tpos(file: str, tok: Token) -> ast.Pos:
    return ast.Pos(file, tok.line or 0, tok.column or 0, tok.end_line or 0, tok.end_column or 0)


def _string_value(tok: Token) -> str:
    return str(tok)[1:-1]


@v_args(meta=True)
class _ToAst(Transformer[Token, Any]):
    """Lark tree → `ast` nodes; statements learn their article when the article closes."""

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file

    def _term(self, tok: Token) -> ast.Term:
        return ast.Term(str(tok), _tpos(self.file, tok))

    # vocabulary
    def start(self, meta: Any, items: list[Any]) -> list[Any]:
        return items

    def vocabulary(self, meta: Any, items: list[Any]) -> ast.Vocabulary:
        return ast.Vocabulary(tuple(items), _pos(self.file, meta))

    def vocab_entry(self, meta: Any, items: list[Any]) -> ast.VocabEntry:
        kind, label, ident, *rest = items
        traits: tuple[ast.Term, ...] = ()
        if rest and isinstance(rest[-1], tuple):
            traits = rest.pop()
        en = _string_value(rest[0]) if rest else None
        return ast.VocabEntry(
            kind, self._term(label), self._term(ident), en, _pos(self.file, meta), traits
        )

    def vocab_traits(self, meta: Any, items: list[Any]) -> tuple[ast.Term, ...]:
        return tuple(self._term(tok) for tok in items if isinstance(tok, Token))

    def _kind(name: str) -> Any:  # type: ignore[misc]
        def build(self: _ToAst, meta: Any, items: list[Any]) -> str:
            return name

        return build

    kind_role = _kind("role")
    kind_unit = _kind("unit")
    kind_action = _kind("action")
    kind_absence = _kind("absence")
    kind_document = _kind("document")
    kind_name = _kind("name")
    kind_flag = _kind("flag")
    kind_relation = _kind("relation")
    kind_procedure = _kind("procedure")
    kind_meeting = _kind("meeting")
    kind_matter = _kind("matter")

    # articles
    def article_header(self, meta: Any, items: list[Token]) -> int:
        tok = items[0]
        text = str(tok)
        if tok.type == "ARTICLE_ZH":
            text = text[1:-1]
        number = parse_number(text)
        if number is None:
            raise _BadNumber(tok)
        return number

    def labelled_header(self, meta: Any, items: list[Token]) -> ast.Term:
        tok = items[-1]
        return ast.Term(_string_value(tok), _tpos(self.file, tok))

    def article(self, meta: Any, items: list[Any]) -> ast.Article:
        header, *statements = items
        label = header if isinstance(header, ast.Term) else None
        number = 0 if label is not None else header
        fixed = tuple(ast.Statement(s.body, s.guard, number, s.pos, s.name) for s in statements)
        return ast.Article(number, fixed, _pos(self.file, meta), label)

    def statement(self, meta: Any, items: list[Any]) -> ast.Statement:
        name = items.pop(0) if isinstance(items[0], _RuleName) else None
        guard = items[0] if isinstance(items[0], ast.Guard) else None
        body = items[-1]
        return ast.Statement(body, guard, 0, _pos(self.file, meta), name.term if name else None)

    def rule_name(self, meta: Any, items: list[Token]) -> _RuleName:
        return _RuleName(self._term(items[-1]))

    def guard_under(self, meta: Any, items: list[Token]) -> ast.Guard:
        return ast.Guard(self._term(items[0]), True, _pos(self.file, meta))

    def guard_unless(self, meta: Any, items: list[Token]) -> ast.Guard:
        return ast.Guard(self._term(items[0]), False, _pos(self.file, meta))

    def interpretation(self, meta: Any, items: list[Any]) -> ast.Interpretation:
        label = self._term(items[0])
        ident = self._term(items[1]) if len(items) == 4 else None
        switch, text = items[-2], items[-1]
        return ast.Interpretation(label, ident, switch, _string_value(text))

    def enabled(self, meta: Any, items: list[Any]) -> bool:
        return True

    def disabled(self, meta: Any, items: list[Any]) -> bool:
        return False

    # definitions
    def definition(self, meta: Any, items: list[Any]) -> ast.Definition:
        (relation, param), conditions = items
        return ast.Definition(relation, param, conditions)

    def head_document(self, meta: Any, items: list[Token]) -> tuple[ast.Term, None]:
        return self._term(items[0]), None

    def head_person_zh(self, meta: Any, items: list[Token]) -> tuple[ast.Term, ast.Term]:
        return self._term(items[1]), self._term(items[0])

    def head_person_en(self, meta: Any, items: list[Token]) -> tuple[ast.Term, ast.Term]:
        return self._term(items[0]), self._term(items[1])

    def conditions(self, meta: Any, items: list[Any]) -> tuple[ast.Condition, ...]:
        return tuple(items)

    def cond_role(self, meta: Any, items: list[Token]) -> ast.CondRole:
        return ast.CondRole(tuple(self._term(t) for t in items), _pos(self.file, meta))

    def cond_covers_lead(self, meta: Any, items: list[Any]) -> ast.CondCoversLead:
        return ast.CondCoversLead(_pos(self.file, meta))

    def cond_covers_field(self, meta: Any, items: list[Any]) -> ast.CondCoversField:
        return ast.CondCoversField(_pos(self.file, meta))

    def cond_shares(self, meta: Any, items: list[Token]) -> ast.CondShares:
        return ast.CondShares(self._term(items[0]), _pos(self.file, meta))

    def cond_designated(self, meta: Any, items: list[Token]) -> ast.CondDesignated:
        return ast.CondDesignated(self._term(items[0]), _pos(self.file, meta))

    def cond_no_designated(self, meta: Any, items: list[Token]) -> ast.CondNoDesignated:
        return ast.CondNoDesignated(self._term(items[0]), _pos(self.file, meta))

    def cond_drafts(self, meta: Any, items: list[Any]) -> ast.CondDrafts:
        return ast.CondDrafts(_pos(self.file, meta))

    def cond_serves(self, meta: Any, items: list[Token]) -> ast.CondServes:
        return ast.CondServes(self._term(items[0]), _pos(self.file, meta))

    def cond_named(self, meta: Any, items: list[Token]) -> ast.CondNamed:
        return ast.CondNamed(self._term(items[0]), _pos(self.file, meta))

    def cond_did(self, meta: Any, items: list[Token]) -> ast.CondDid:
        return ast.CondDid(self._term(items[0]), _pos(self.file, meta))

    def cond_nobody(self, meta: Any, items: list[Token]) -> ast.CondNobody:
        return ast.CondNobody(self._term(items[0]), _pos(self.file, meta))

    def cond_not(self, meta: Any, items: list[Any]) -> ast.CondNot:
        return ast.CondNot(items[0], _pos(self.file, meta))

    # procedures
    def procedure(self, meta: Any, items: list[Any]) -> ast.Procedure:
        name, applies, *groups = items
        return ast.Procedure(self._term(name), applies, tuple(groups))

    def procedure_order(self, meta: Any, items: list[Any]) -> ast.ProcedureOrder:
        name, first, then = items
        return ast.ProcedureOrder(self._term(name), first, then)

    def step_ref(self, meta: Any, items: list[Token]) -> ast.StepRef:
        return ast.StepRef(self._term(items[0]), self._term(items[1]))

    def procedure_extend(self, meta: Any, items: list[Any]) -> ast.ProcedureExtend:
        name, conditions = items
        return ast.ProcedureExtend(self._term(name), tuple(conditions))

    def applies(self, meta: Any, items: list[Any]) -> tuple[ast.DocCondition, ...]:
        return tuple(items[0])

    def step_group(self, meta: Any, items: list[Any]) -> tuple[ast.Step, ...]:
        return tuple(items)

    def step(self, meta: Any, items: list[Any]) -> ast.Step:
        actor, action, *rest = items
        optional = bool(rest) and rest[0] is True
        if optional:
            rest = rest[1:]
        conditions = tuple(rest[0]) if rest else ()
        return ast.Step(
            self._term(actor), self._term(action), conditions, _pos(self.file, meta), optional
        )

    def step_one_of(self, meta: Any, items: list[Any]) -> ast.Step:
        actor, action, *rest = items
        conditions = tuple(rest[0]) if rest else ()
        return ast.Step(
            self._term(actor),
            self._term(action),
            conditions,
            _pos(self.file, meta),
            shape="one_of",
            options=(ast.StepOption(self._term(actor), self._term(action), True),),
        )

    def step_option(self, meta: Any, items: list[Token]) -> ast.StepOption:
        return ast.StepOption(self._term(items[0]), self._term(items[1]))

    def option_one_of(self, meta: Any, items: list[Token]) -> ast.StepOption:
        return ast.StepOption(self._term(items[0]), self._term(items[1]), one_of=True)

    def step_either(self, meta: Any, items: list[Any]) -> ast.Step:
        options = tuple(i for i in items if isinstance(i, ast.StepOption))
        rest = [i for i in items if isinstance(i, list)]
        conditions = tuple(rest[0]) if rest else ()
        first = options[0]
        return ast.Step(
            first.actor,
            first.action,
            conditions,
            _pos(self.file, meta),
            shape="either",
            options=options,
        )

    def step_each(self, meta: Any, items: list[Any]) -> ast.Step:
        members, action, *rest = items
        conditions = tuple(rest[0]) if rest else ()
        return ast.Step(
            self._term(members), self._term(action), conditions, _pos(self.file, meta), shape="each"
        )

    def action_order(self, meta: Any, items: list[Token]) -> ast.ActionOrder:
        return ast.ActionOrder(self._term(items[0]), self._term(items[1]))

    def counts_as(self, meta: Any, items: list[Any]) -> ast.CountsAs:
        return ast.CountsAs(self._term(items[0]), items[1])

    def same_actor_duty(self, meta: Any, items: list[Any]) -> ast.SameActorDuty:
        trigger, first, principle, then = items
        return ast.SameActorDuty(
            self._term(trigger), self._term(first), self._term(then), principle
        )

    def doc_deadline_zh(self, meta: Any, items: list[Any]) -> ast.DocDeadline:
        actor, principle, limit, action = items
        return ast.DocDeadline(self._term(actor), self._term(action), self._term(limit), principle)

    def doc_deadline_en(self, meta: Any, items: list[Any]) -> ast.DocDeadline:
        actor, principle, action, limit = items
        return ast.DocDeadline(self._term(actor), self._term(action), self._term(limit), principle)

    def deadline_hours_zh(self, meta: Any, items: list[Any]) -> ast.HoursDeadline:
        actor, principle, within, action = items
        digits = re.search(r"([0-9]+|[一二两三四五六七八九十]+)", str(within))
        hours = parse_number(digits.group(1)) if digits else None
        if hours is None:
            raise _BadNumber(within)
        return ast.HoursDeadline(self._term(actor), self._term(action), hours, principle)

    def deadline_hours_en(self, meta: Any, items: list[Any]) -> ast.HoursDeadline:
        actor, principle, action, hours = items
        return ast.HoursDeadline(self._term(actor), self._term(action), int(hours), principle)

    def doc_requires(self, meta: Any, items: list[Token]) -> ast.DocRequires:
        return ast.DocRequires(self._term(items[0]), self._term(items[1]))

    def if_any(self, meta: Any, items: list[Any]) -> bool:
        return True

    def doc_conditions(self, meta: Any, items: list[Any]) -> list[ast.DocCondition]:
        return list(items)

    def doc_term(self, meta: Any, items: list[Token]) -> ast.DocTerm:
        return ast.DocTerm(self._term(items[0]), False, _pos(self.file, meta))

    def doc_not_term(self, meta: Any, items: list[Token]) -> ast.DocTerm:
        return ast.DocTerm(self._term(items[0]), True, _pos(self.file, meta))

    def doc_value_is(self, meta: Any, items: list[Token]) -> ast.DocValueIs:
        return ast.DocValueIs(self._term(items[0]), self._term(items[1]), _pos(self.file, meta))

    def doc_name(self, meta: Any, items: list[Token]) -> ast.DocName:
        return ast.DocName(tuple(self._term(t) for t in items), _pos(self.file, meta))

    # duties and prohibitions
    def prohibit_together(self, meta: Any, items: list[Any]) -> ast.ProhibitTogether:
        role, relation, kinds = items
        return ast.ProhibitTogether(self._term(role), self._term(relation), kinds)

    def prohibit_action(self, meta: Any, items: list[Token]) -> ast.ProhibitAction:
        return ast.ProhibitAction(self._term(items[0]), self._term(items[1]))

    def report_duty(self, meta: Any, items: list[Any]) -> ast.ReportDuty:
        longer = next((i for i in items if isinstance(i, _Longer)), None)
        subject, kinds, principle, recipients = [i for i in items if not isinstance(i, _Longer)]
        return ast.ReportDuty(
            self._term(subject), kinds, principle, recipients, longer.days if longer else None
        )

    def longer(self, meta: Any, items: list[Token]) -> _Longer:
        tok = items[0]
        if tok.type == "LONGER_ZH":
            digits = re.search(r"([0-9]+|[一二两三四五六七八九十]+)", str(tok))
            days = parse_number(digits.group(1)) if digits else None
            if days is None:
                raise _BadNumber(tok)
            return _Longer(days)
        return _Longer(int(tok))

    def recipient_list(self, meta: Any, items: list[Any]) -> tuple[ast.Recipient, ...]:
        return tuple(items)

    def recipient_term(self, meta: Any, items: list[Token]) -> ast.Recipient:
        return ast.Recipient(self._term(items[0]), False)

    def recipient_their(self, meta: Any, items: list[Token]) -> ast.Recipient:
        return ast.Recipient(self._term(items[0]), True)

    def deadline_zh(self, meta: Any, items: list[Any]) -> ast.DeadlineDuty:
        actor, principle, within, action = items
        digits = re.search(r"([0-9]+|[一二两三四五六七八九十]+)", str(within))
        days = parse_number(digits.group(1)) if digits else None
        if days is None:
            raise _BadNumber(within)
        return ast.DeadlineDuty(self._term(actor), self._term(action), days, principle)

    def deadline_en(self, meta: Any, items: list[Any]) -> ast.DeadlineDuty:
        actor, principle, action, days = items
        return ast.DeadlineDuty(self._term(actor), self._term(action), int(days), principle)

    def acting_duty(self, meta: Any, items: list[Any]) -> ast.ActingDuty:
        subject, acting = items
        return ast.ActingDuty(self._term(subject), acting)

    def meeting_members(self, meta: Any, items: list[Any]) -> ast.MeetingMembers:
        return ast.MeetingMembers(self._term(items[0]), items[1])

    def meeting_frequency(self, meta: Any, items: list[Any]) -> ast.MeetingFrequency:
        meeting, *rest = items
        tok = rest[-1]
        digits = re.search(r"([0-9]+|[一二两三四五六七八九十]+)\s*次", str(tok))
        times = parse_number(digits.group(1)) if digits else None
        if times is None:
            raise _BadNumber(tok)
        per = "week" if "周" in str(tok) else "month"
        return ast.MeetingFrequency(self._term(meeting), len(rest) > 1, per, times)

    def meeting_frequency_en(self, meta: Any, items: list[Any]) -> ast.MeetingFrequency:
        meeting, *rest = items
        per, times = rest[-1], rest[-2]
        return ast.MeetingFrequency(self._term(meeting), len(rest) > 2, per, times)

    def count_once(self, meta: Any, items: list[Any]) -> int:
        return 1

    def count_times(self, meta: Any, items: list[Token]) -> int:
        return int(items[0])

    def per_month(self, meta: Any, items: list[Any]) -> str:
        return "month"

    def per_week(self, meta: Any, items: list[Any]) -> str:
        return "week"

    def day_working(self, meta: Any, items: list[Any]) -> ast.PlanReading:
        return ast.PlanReading("working")

    def day_first(self, meta: Any, items: list[Any]) -> ast.PlanReading:
        return ast.PlanReading("first_day")

    def matter_any_one(self, meta: Any, items: list[Any]) -> ast.PlanReading:
        return ast.PlanReading("matter_any_one", self._term(items[0]))

    def unit_members(self, meta: Any, items: list[Any]) -> ast.PlanReading:
        return ast.PlanReading("unit_members")

    def acting_powers(self, meta: Any, items: list[Any]) -> ast.PlanReading:
        return ast.PlanReading("acting_powers")

    def generally(self, meta: Any, items: list[Any]) -> bool:
        return True

    def meeting_caller(self, meta: Any, items: list[Token]) -> ast.MeetingCaller:
        return ast.MeetingCaller(self._term(items[0]), self._term(items[1]))

    def matter_duty(self, meta: Any, items: list[Any]) -> ast.MatterDuty:
        necessary = bool(items) and items[0] is _NECESSARY
        rest = items[1:] if necessary else items
        *subjects, kinds, principle, act, recipients = rest
        return ast.MatterDuty(
            tuple(self._term(t) for t in subjects), act, principle, recipients, necessary, kinds
        )

    def matter_details(self, meta: Any, items: list[Any]) -> ast.MatterDetails:
        details = tuple(i for i in items if i in ("responsible", "deadline"))
        rest = [i for i in items if i not in ("responsible", "deadline")]
        *subjects, kinds, principle = rest
        return ast.MatterDetails(tuple(self._term(t) for t in subjects), kinds, principle, details)

    def detail_responsible(self, meta: Any, items: list[Any]) -> str:
        return "responsible"

    def detail_deadline(self, meta: Any, items: list[Any]) -> str:
        return "deadline"

    def necessary(self, meta: Any, items: list[Any]) -> object:
        return _NECESSARY

    def act_ask(self, meta: Any, items: list[Any]) -> str:
        return "ask"

    def act_report(self, meta: Any, items: list[Any]) -> str:
        return "report"

    def power(self, meta: Any, items: list[Any]) -> ast.Power:
        actor, actions, *rest = items
        return ast.Power(self._term(actor), actions, tuple(rest[0]) if rest else ())

    def opinion_duty(self, meta: Any, items: list[Any]) -> ast.OpinionDuty:
        return ast.OpinionDuty(items[0])

    def actor_opinion_duty(self, meta: Any, items: list[Any]) -> ast.OpinionDuty:
        return ast.OpinionDuty(items[1], self._term(items[0]))

    def explain_duty(self, meta: Any, items: list[Token]) -> ast.ExplainDuty:
        return ast.ExplainDuty(self._term(items[0]))

    def revision_zh(self, meta: Any, items: list[Any]) -> ast.RevisionDuty:
        returned, fixer, principle, fix, review = items
        return ast.RevisionDuty(
            self._term(returned), self._term(fixer), self._term(fix), self._term(review), principle
        )

    revision_en = revision_zh

    def must(self, meta: Any, items: list[Any]) -> bool:
        return False

    def in_principle(self, meta: Any, items: list[Any]) -> bool:
        return True

    def term_list(self, meta: Any, items: list[Token]) -> tuple[ast.Term, ...]:
        return tuple(self._term(t) for t in items)


_NECESSARY = object()  # marks 必要时 at the head of a matter duty


class _Longer:
    """超过 N 个工作日 的 / longer than N working days, told apart from a report duty's parts."""

    def __init__(self, days: int) -> None:
        self.days = days


class _RuleName:
    """A statement's 规则 NAME： prefix, told apart from its guard and body."""

    def __init__(self, term: ast.Term) -> None:
        self.term = term


class _BadNumber(Exception):
    def __init__(self, tok: Token) -> None:
        super().__init__(str(tok))
        self.tok = tok


class _Kept(threading.local):
    """What the lexer hands back during one parse: comments and tokens. The parser (and its
    callbacks) is shared by the process; what it collects is the calling thread's own, and
    `parse_rules` starts each parse with empty lists, so parses in several threads at once
    never see each other's comments or keywords."""

    def __init__(self) -> None:
        self.comments: list[ast.Comment] = []
        self.tokens: list[Token] = []


_kept = _Kept()


def _keep_comment(tok: Token) -> Token:
    _kept.comments.append(ast.Comment(str(tok)[1:].strip(), tok.line or 0))
    return tok


class _KeepTokens(PostLex):
    """Pass tokens through unchanged, keeping them so keywords can tell zh from en."""

    always_accept = ()

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        for tok in stream:
            _kept.tokens.append(tok)
            yield tok


@functools.cache
def _commenting_parser() -> Lark:
    return Lark(
        _grammar_text(),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
        lexer_callbacks={"COMMENT": _keep_comment},
        postlex=_KeepTokens(),
    )


@functools.cache
def _keyword_langs() -> dict[str, str]:
    """Terminal name → language, for the terminals that spell a keyword."""
    zh = {k.zh for k in KEYWORDS if k.zh and " " not in k.zh}
    en = {k.en for k in KEYWORDS if k.en and " " not in k.en} | {"article"}
    langs = {"ARTICLE_ZH": "zh", "WITHIN_ZH": "zh", "WITHIN_HOURS_ZH": "zh"}
    for t in _commenting_parser().terminals:
        value = t.pattern.value
        if t.name.startswith("_KW_"):
            langs[t.name] = t.name.rsplit("_", 1)[1].lower()
        elif t.pattern.type == "str" and value in zh:
            langs[t.name] = "zh"
        elif t.pattern.type == "str" and value.lower() in en:
            langs[t.name] = "en"
    return langs


def _keyword_uses(file: str, tokens: list[Token]) -> tuple[ast.KeywordUse, ...]:
    langs = _keyword_langs()
    return tuple(
        ast.KeywordUse(str(t), langs[t.type], _tpos(file, t)) for t in tokens if t.type in langs
    )


def _majority(uses: tuple[ast.KeywordUse, ...]) -> str:
    if not uses:
        return "zh"
    zh = sum(u.lang == "zh" for u in uses)
    en = len(uses) - zh
    return uses[0].lang if zh == en else ("zh" if zh > en else "en")


_TOKEN_WORDS: dict[str, Bilingual] = {
    "IDENT": Bilingual("名称", "a name"),
    "INT": Bilingual("数字", "a number"),
    "RULE_ID": Bilingual("规则名称（如 a29.1）", "a rule name (such as a29.1)"),
    "STRING": Bilingual("引号中的文字", "a quoted text"),
    "ARTICLE_ZH": Bilingual("条文标题「第N条」", "an article heading"),
    "WITHIN_ZH": Bilingual("期限「在 N 个工作日内」", "a time limit"),
    "WITHIN_HOURS_ZH": Bilingual("期限「在 N 小时内」", "a time limit in hours"),
    "_END": Bilingual("句号「。」", "a full stop"),
    "_COLON": Bilingual("冒号「：」", "a colon"),
    "_SEMI": Bilingual("分号「；」", "a semicolon"),
    "_FW_COMMA": Bilingual("逗号「，」", "a comma"),
    "_HW_COMMA": Bilingual("逗号「,」", "a comma"),
    "_DUN": Bilingual("顿号「、」", "a list mark 、"),
    "EQUAL": Bilingual("等号「=」", "an equals sign"),
    "$END": Bilingual("文件结尾", "the end of the file"),
}


def _describe(parser: Lark, terminal: str) -> Bilingual:
    if terminal in _TOKEN_WORDS:
        return _TOKEN_WORDS[terminal]
    try:
        pattern = parser.get_terminal(terminal).pattern
    except KeyError:
        return Bilingual(terminal, terminal)
    value = pattern.value
    for kw in KEYWORDS:
        for lang in ("zh", "en"):
            words = kw.words(lang)
            if words is None:
                continue
            if value == words or (
                terminal.startswith("_KW_") and terminal == f"_KW_{kw.name}_{lang.upper()}"
            ):
                zh, en = kw.zh, kw.en
                return Bilingual(f"「{zh or en}」", f"'{en or zh}'")
    return Bilingual(f"「{value}」", f"'{value}'")


def _expected(parser: Lark, names: set[str]) -> Bilingual:
    words = sorted({(d.zh, d.en) for d in (_describe(parser, n) for n in names)})
    shown = words[:8]
    more = len(words) - len(shown)
    zh = "、".join(w[0] for w in shown) + (f" 等 {len(words)} 种" if more > 0 else "")
    en = ", ".join(w[1] for w in shown) + (f" (and {more} more)" if more > 0 else "")
    return Bilingual(zh, en)


def _syntax_error(err: UnexpectedInput, text: str, file: str, parser: Lark) -> RuleError:
    line = getattr(err, "line", None) or 1
    column = getattr(err, "column", None) or 1
    if isinstance(err, UnexpectedCharacters):
        at = err.pos_in_stream or 0
        ch = text[at] if at < len(text) else ""
        message = Bilingual(f"无法识别的字符「{ch}」", f"unexpected character {ch!r}")
        span = 1
    elif isinstance(err, UnexpectedEOF):
        exp = _expected(parser, set(err.expected))
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
        message = Bilingual(
            f"文件意外结束；应为 {exp.zh}", f"unexpected end of file; expected {exp.en}"
        )
        span = 1
    else:
        assert isinstance(err, UnexpectedToken)
        tok = err.token
        exp = _expected(parser, set(err.accepts or err.expected))
        found = str(tok) if tok.type != "$END" else ""
        if tok.type == "$END":
            lines = text.splitlines() or [""]
            line, column = len(lines), len(lines[-1]) + 1
            message = Bilingual(
                f"文件意外结束；应为 {exp.zh}", f"unexpected end of file; expected {exp.en}"
            )
        else:
            message = Bilingual(
                f"此处不应出现「{found}」；应为 {exp.zh}",
                f"unexpected {found!r}; expected {exp.en}",
            )
        span = max(len(found), 1)
    return RuleError(
        message,
        Location(file, line, column),
        code="syntax",
        detail=excerpt(text, line, column, span),
    )


def parse_rules(text: str, file: str = "<rules>") -> ast.RuleFile:
    """Parse one rule file; raise `RuleError` (code `syntax`) at the first mistake."""
    parser = _commenting_parser()
    _kept.comments, _kept.tokens = [], []
    try:
        tree = parser.parse(text)
    except UnexpectedInput as err:
        raise _syntax_error(err, text, file, parser) from None
    finally:
        found, tokens = _kept.comments, _kept.tokens
        _kept.comments, _kept.tokens = [], []
    comments = tuple(found)
    keywords = _keyword_uses(file, tokens)
    try:
        items = _ToAst(file).transform(tree)
    except Exception as err:  # lark wraps transformer errors in VisitError
        inner = getattr(err, "orig_exc", err)
        if isinstance(inner, _BadNumber):
            tok = inner.tok
            raise RuleError(
                Bilingual(f"无法识别的数字「{tok}」", f"not a number: {str(tok)!r}"),
                Location(file, tok.line, tok.column),
                code="syntax",
                detail=excerpt(text, tok.line or 1, tok.column or 1, len(str(tok))),
            ) from None
        raise
    vocabularies = tuple(i for i in items if isinstance(i, ast.Vocabulary))
    articles = tuple(i for i in items if isinstance(i, ast.Article))
    return ast.RuleFile(
        file, vocabularies, articles, comments, tuple(items), _majority(keywords), keywords
    )
