"""Properties of the formatter, on the bundled files and on generated rule files.

(a) formatting is idempotent; (b) formatting never changes the compiled program;
(c) translating zh → en → zh with the vocabulary gives back the Chinese formatting, and
the English translation compiles to the same program.

Generated files use the bundled vocabulary's terms, in either keyword set, with random
spacing, optional punctuation, optional keywords, comments anywhere between tokens,
interpretations and guards, and a vocabulary block of fresh terms.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules.lang import ast, ir
from govrules.lang.emit import emit
from govrules.lang.fmt import format_rules
from govrules.lang.keywords import spelling
from govrules.lang.numerals import to_chinese
from govrules.lang.resolve import resolve
from govrules.lang.syntax import parse_rules

from .common import (
    A24,
    A25,
    A26,
    A29,
    A38,
    A39,
    BUNDLED,
    EN_A24,
    EN_A25,
    EN_A29,
    EN_A38,
    EN_A39,
    RELATIONS,
    bundled_program,
    parsed,
)

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FILES = (*BUNDLED, EN_A24, EN_A25, EN_A29, EN_A38, EN_A39)
GENERATED = "generated.rules"


def _program(files: list[ast.RuleFile]) -> str:
    return emit(resolve(files)).program


def _compile(text: str, vocabulary: ast.RuleFile) -> str:
    return _program([vocabulary, parse_rules(text, GENERATED)])


# ---- the bundled and fixture files ----------------------------------------------------


@pytest.mark.parametrize("path", FILES)
@pytest.mark.parametrize("lang", [None, "zh", "en"])
def test_bundled_formatting_is_idempotent(path: str, lang: str | None) -> None:
    once = format_rules(parsed(path), lang)
    assert format_rules(parse_rules(once, path)) == once


@pytest.mark.parametrize("lang", [None, "zh", "en"])
def test_bundled_formatting_keeps_the_program(lang: str | None) -> None:
    for group in (BUNDLED, (BUNDLED[0], EN_A24, EN_A25, A26, EN_A29, EN_A38, EN_A39, RELATIONS)):
        original = _program([parsed(p) for p in group])
        formatted = [parse_rules(format_rules(parsed(p), lang), p) for p in group]
        assert _program(formatted) == original


@pytest.mark.parametrize("path", [A24, A25, A29, A38, A39, RELATIONS])
def test_bundled_round_trip_through_english(path: str) -> None:
    program = bundled_program()
    zh = format_rules(parsed(path))
    en = format_rules(parsed(path), "en", program)
    assert format_rules(parse_rules(en, path), "zh", program) == zh
    others = [parsed(p) for p in BUNDLED if p != path]
    original = _program([parsed(p) for p in BUNDLED])
    assert _program([*others, parse_rules(en, path)]) != ""
    translated = [parse_rules(en, p) if p == path else parsed(p) for p in BUNDLED]
    assert _program(translated) == original


# ---- generating rule files ------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    text: str
    word: bool  # needs whitespace around it; punctuation does not


class _Gen:
    """Random, valid rule text in one keyword set, from the bundled vocabulary."""

    def __init__(self, draw: st.DrawFn, lang: str, labels_only: bool) -> None:
        self.draw = draw
        self.lang = lang
        self.labels_only = labels_only
        self.pool: dict[str, list[ir.VocabItem]] = {}
        for item in bundled_program().vocabulary:
            if item.kind != "interpretation":
                self.pool.setdefault(item.kind, []).append(item)

    # words
    def kw(self, name: str) -> _Piece:
        words = spelling(name, self.lang).split(" ")
        gaps = [" ", "  "] + (["", "\n"] if self.lang == "zh" else ["\n  "])
        text = words[0]
        for w in words[1:]:
            text += self.draw(st.sampled_from(gaps)) + w
        if self.lang == "en" and self.draw(st.integers(0, 9)) == 0:
            text = text.upper()
        return _Piece(text, True)

    def word(self, text: str) -> _Piece:
        return _Piece(text, True)

    def punct(self, zh: str, en: str) -> _Piece:
        return _Piece(zh if self.lang == "zh" else en, False)

    def colon(self) -> _Piece:
        return self.punct("：", ":")

    def end(self) -> _Piece:
        return self.punct("。", ".")

    def comma(self) -> _Piece:
        return _Piece(self.draw(st.sampled_from(["，", ","])), False)

    def listing(self) -> _Piece:
        return _Piece(self.draw(st.sampled_from(["、", ","])), False)

    def term(self, *kinds: str) -> _Piece:
        kind = self.draw(st.sampled_from(kinds))
        item = self.draw(st.sampled_from(self.pool[kind]))
        if self.labels_only:
            return self.word(item.label_zh)
        return self.word(self.draw(st.sampled_from([item.label_zh, item.ident])))

    def terms(self, kind: str, most: int = 3) -> list[_Piece]:
        count = self.draw(st.integers(1, most))
        out: list[_Piece] = []
        for n in range(count):
            if n:
                out.append(self.listing())
            out.append(self.term(kind))
        return out

    def maybe(self) -> bool:
        return self.draw(st.booleans())

    # conditions
    def role_condition(self) -> list[_Piece]:
        out = [self.kw("IS"), self.term("role")]
        for _ in range(self.draw(st.integers(0, 2))):
            out += [self.kw("OR"), self.term("role")]
        return out

    def person_condition(self, var: str | None) -> list[_Piece]:
        choices = ["role", "lead", "field", "not"]
        if var is not None:
            choices += ["shares", "designated", "no_designated"]
        choice = self.draw(st.sampled_from(choices))
        if choice == "not":  # 非 takes a single condition: one role, not alternatives
            inner = self.person_condition(var)
            single = inner[0].text.lower() not in ("非", "not") and len(inner) < 3
            return [self.kw("NOT"), *inner] if single else inner
        if choice == "role":
            return self.role_condition()
        if choice == "lead":
            return [self.kw("COVERS_LEAD")]
        if choice == "field":
            return [self.kw("COVERS_FIELD")]
        assert var is not None
        v = self.word(var)
        zh = self.lang == "zh"
        if choice == "shares":
            return [self.kw("AND_ZH"), v, self.kw("SHARES_ZH")] if zh else [self.kw("SHARES_EN"), v]
        if choice == "designated":
            if zh:
                return [self.kw("IS"), v, self.kw("OF_ZH"), self.kw("DESIGNATED_ZH")]
            return [self.kw("DESIGNATED_EN"), v]
        return [v, self.kw("NO_DESIGNATED")]

    def doc_conditions(self) -> list[_Piece]:
        out: list[_Piece] = []
        for n in range(self.draw(st.integers(1, 3))):
            if n:
                out.append(self.comma())
            choice = self.draw(st.sampled_from(["term", "not", "name"]))
            if choice == "name":
                out += [self.kw("NAME_IS"), self.term("name")]
                for _ in range(self.draw(st.integers(0, 2))):
                    out += [self.kw("OR"), self.term("name")]
            else:
                out += [self.kw("NOT")] if choice == "not" else []
                out.append(self.term("document", "flag"))
        return out

    # statements
    def definition(self) -> list[_Piece]:
        var = self.draw(st.sampled_from([None, "甲", "乙", "someone"]))
        relation = self.term("relation")
        if var is None:
            head = [relation]
        elif self.lang == "zh":
            head = [self.word(var), self.kw("OF_ZH"), relation]
        else:
            head = [relation, self.kw("OF_EN"), self.word(var)]
        out = [self.kw("DEFINE"), *head, self.colon(), *self.role_condition()]
        for _ in range(self.draw(st.integers(0, 3))):
            out += [self.comma()] if self.maybe() else []
            out += [self.kw("ALSO"), *self.person_condition(var)]
        return [*out, self.end()]

    def step(self) -> list[_Piece]:
        out = [self.term("role", "unit", "relation"), self.term("action")]
        if self.maybe():
            out += [self.kw("IF"), *self.doc_conditions()]
        return out

    def procedure(self) -> list[_Piece]:
        out = [self.kw("PROCEDURE"), self.term("procedure"), self.colon()]
        out += [self.kw("APPLIES"), *self.doc_conditions()]
        for n in range(self.draw(st.integers(1, 3))):
            out.append(self.punct("；", ";"))
            if n or self.maybe():
                out += [self.kw("THEN")] if n == 0 or self.draw(st.integers(0, 4)) else []
            out += self.step()
            for _ in range(self.draw(st.integers(0, 2))):
                out += [self.kw("AND"), *self.step()]
        return [*out, self.end()]

    def step_ref(self) -> list[_Piece]:
        return [self.term("role", "unit", "relation"), self.term("action")]

    def procedure_order(self) -> list[_Piece]:
        name = self.term("procedure")
        if self.lang == "zh":
            lead = [self.kw("PROCEDURE"), name, self.kw("IN_ZH")]
        else:
            lead = [self.kw("IN_PROCEDURE"), name]
        return [*lead, *self.step_ref(), self.kw("BEFORE"), *self.step_ref(), self.end()]

    def procedure_extend(self) -> list[_Piece]:
        name = self.term("procedure")
        extend = [self.kw("PROCEDURE"), name, self.kw("ALSO_APPLIES")]
        return [*extend, *self.doc_conditions(), self.end()]

    def prohibit_together(self) -> list[_Piece]:
        return [
            self.kw("FORBID"),
            self.term("role"),
            self.kw("AND"),
            self.kw("THEIR"),
            self.term("relation"),
            self.kw("SAME_TIME"),
            *self.terms("absence", 4),
            self.end(),
        ]

    def prohibit_action(self) -> list[_Piece]:
        actor = self.term("role", "unit", "relation")
        return [self.kw("FORBID"), actor, self.term("action"), self.end()]

    def modality(self) -> list[_Piece]:
        principle = [self.kw("IN_PRINCIPLE")] if self.maybe() else []
        return [*principle, self.kw("MUST")]

    def report_duty(self) -> list[_Piece]:
        out = [self.term("role")]
        if self.lang == "en" and self.maybe():
            out.append(self.kw("ON"))
        out += self.terms("absence", 4)
        if self.maybe():  # a condition on the absence's length
            days = self.draw(st.integers(1, 12))
            if self.lang == "en":
                out += [self.kw("LONGER_EN"), self.word(str(days)), self.kw("WORKING_DAYS")]
            else:
                number = self.draw(st.sampled_from([str(days), to_chinese(days)]))
                out.append(
                    self.word(f"超过{self.draw(st.sampled_from(['', ' ']))}{number} 个工作日 的")
                )
        if self.lang == "zh" and self.maybe():
            out.append(self.punct("，", "，"))
        out += [*self.modality(), self.kw("REPORT_ADVANCE")]
        for n in range(self.draw(st.integers(1, 3))):
            if n:
                out.append(self.listing())
            if self.maybe():
                out += [self.kw("THEIR"), self.term("relation")]
            else:
                out.append(self.term("role", "unit", "relation"))
        return [*out, self.end()]

    def deadline(self) -> list[_Piece]:
        actor = self.term("role", "unit", "relation")
        days = self.draw(st.integers(1, 12))
        if self.lang == "en":
            days_word = self.word(str(days))
            within = [self.kw("WITHIN_EN"), days_word, self.kw("WORKING_DAYS")]
            return [actor, *self.modality(), self.term("action"), *within, self.end()]
        number = self.draw(st.sampled_from([str(days), to_chinese(days)]))
        gap = st.sampled_from(["", " "])
        limit = (
            f"在{self.draw(gap)}{number}{self.draw(gap)}个{self.draw(gap)}工作日{self.draw(gap)}内"
        )
        comma = [self.punct("，", "，")] if self.maybe() else []
        duty = [actor, *comma, *self.modality(), self.word(limit), self.kw("COMPLETE")]
        return [*duty, self.term("action"), self.end()]

    def recipient(self) -> list[_Piece]:
        if self.maybe():
            return [self.kw("THEIR"), self.term("relation")]
        return [self.term("role", "unit", "relation")]

    def acting(self) -> list[_Piece]:
        out = [self.term("role"), self.kw("AWAY")]
        out += [self.comma()] if self.maybe() else []
        if self.lang == "zh" and self.maybe():
            out.append(self.kw("BY"))
        return [*out, *self.recipient(), self.kw("ACTS"), self.end()]

    def meeting(self) -> list[_Piece]:
        choice = self.draw(st.sampled_from(["members", "frequency", "caller", "reading"]))
        zh = self.lang == "zh"
        if choice == "reading":  # how a plan's facts count (issue 14): fixed sentences
            words = ["DAY_MODEL", "FIRST_DAY", "MATTER_ANY_ONE", "ACTING_POWERS", "UNIT_MEMBERS"]
            word = self.draw(st.sampled_from(words))
            if word == "MATTER_ANY_ONE":
                kind = self.term("matter")
                lead = [self.kw("NO_FIELD"), kind] if zh else [kind]
                return [*lead, self.kw(word), self.end()]
            return [self.kw(word), self.end()]
        meeting = self.term("meeting")
        if choice == "members":
            out = [meeting, self.kw("BY" if zh else "CONSISTS")]
            out += self.terms("role")
            out += [self.kw("COMPOSED")] if zh else []
            return [*out, self.end()]
        if choice == "frequency":
            generally = [self.kw("GENERALLY")] if self.maybe() else []
            times = self.draw(st.integers(1, 5))
            if zh:
                per = self.draw(st.sampled_from(["每月", "每周"]))
                number = self.draw(st.sampled_from([str(times), to_chinese(times)]))
                return [meeting, *generally, self.word(f"{per} 召开 {number} 次"), self.end()]
            count = [self.kw("ONCE")] if times == 1 else [self.word(str(times)), self.kw("TIMES")]
            per_en = self.kw(self.draw(st.sampled_from(["A_MONTH", "A_WEEK"])))
            return [meeting, *generally, self.kw("HELD"), *count, per_en, self.end()]
        out = [self.kw("AD_HOC"), meeting]
        out += [self.kw("BY" if zh else "CALLED_BY")] if self.maybe() else []
        out.append(self.term("role", "unit", "relation"))
        out += [self.kw("CALLS")] if zh and self.maybe() else []
        return [*out, self.end()]

    def matter(self) -> list[_Piece]:
        out = [self.kw("WHEN_NECESSARY")] if self.maybe() else []
        out += self.terms("role")
        out += [self.kw("ON")] if self.lang == "en" and self.maybe() else []
        out.append(self.term("matter"))
        out += [self.punct("，", "，")] if self.lang == "zh" and self.maybe() else []
        act = self.kw("ASK" if self.maybe() else "REPORT")
        out += [*self.modality(), self.kw("PROMPTLY"), act]
        for n in range(self.draw(st.integers(1, 3))):
            out += [self.listing()] if n else []
            out += self.recipient()
        return [*out, self.end()]

    def details(self) -> list[_Piece]:
        out = self.terms("role")
        out += [self.kw("ON")] if self.lang == "en" and self.maybe() else []
        out.append(self.term("matter"))
        out += [self.punct("，", "，")] if self.lang == "zh" and self.maybe() else []
        out += [*self.modality(), self.kw("SPECIFY")]
        words = self.draw(st.permutations(["RESPONSIBLE", "DEADLINE_WORD"]))
        for n, word in enumerate(words[: self.draw(st.integers(1, 2))]):
            out += [self.listing()] if n else []
            out.append(self.kw(word))
        return [*out, self.end()]

    def body(self) -> list[_Piece]:
        forms = [
            self.acting,
            self.meeting,
            self.matter,
            self.details,
            self.definition,
            self.procedure,
            self.procedure_order,
            self.procedure_extend,
            self.prohibit_together,
            self.prohibit_action,
            self.report_duty,
            self.deadline,
        ]
        return self.draw(st.sampled_from(forms))()

    def interpretation(self, n: int, enabled: bool) -> tuple[list[_Piece], str]:
        label, ident = f"读法{n}", f"gen_reading_{n}"
        named = [self.word(label), self.word("="), self.word(ident)]
        if self.lang == "en" and not self.labels_only and self.maybe():
            named = [self.word(ident)]
        switch = self.kw("ENABLED" if enabled else "DISABLED")
        text = self.punct(f"“理由 {n}”", f'"reason {n}"')
        pieces = [self.kw("INTERP"), *named, self.kw("DEFAULT"), switch, self.colon(), text]
        usable = ident if len(named) == 1 else label
        return [*pieces, self.end()], usable

    def guard(self, names: list[str]) -> list[_Piece]:
        name = self.draw(st.sampled_from(names))
        if not self.labels_only and name.startswith("读法") and self.maybe():
            name = "gen_reading_" + name.removeprefix("读法")
        keyword = self.kw("UNDER" if self.maybe() else "UNLESS")
        return [keyword, self.kw("INTERP"), self.word(name), self.colon()]

    def header(self, number: int) -> _Piece:
        if self.lang == "en":
            return self.word(self.draw(st.sampled_from(["article", "Article"])) + f" {number}")
        return self.word(f"第{self.draw(st.sampled_from([to_chinese(number), str(number)]))}条")

    def vocabulary(self) -> list[_Piece]:
        kinds = ["ROLE", "UNIT", "ACTION", "ABSENCE", "DOCKIND", "NAMEOF", "FLAG", "RELATION"]
        out = [self.kw("VOCAB")] + ([self.colon()] if self.maybe() else [])
        for n in range(self.draw(st.integers(1, 4))):
            out += [self.kw(self.draw(st.sampled_from(kinds))), self.word(f"新词{n}")]
            out += [self.word("="), self.word(f"new_term_{n}")]
            if self.maybe():
                out.append(self.punct(f"“新词 {n}”", f'"new term {n}"'))
            out.append(self.end())
        return out

    def file(self) -> str:
        pieces: list[_Piece] = []
        if self.maybe():
            pieces += self.vocabulary()
        names: list[str] = []
        for n, number in enumerate(self.draw(st.lists(st.integers(1, 150), max_size=3))):
            pieces.append(self.header(number))
            if n == 0:
                for i in range(self.draw(st.integers(0, 2))):
                    declaration, usable = self.interpretation(i, self.maybe())
                    pieces += declaration
                    names.append(usable)
            for _ in range(self.draw(st.integers(0, 4))):
                if self.draw(st.integers(0, 3)) == 0:  # 规则 NAME： a stable, unique name
                    pieces += [self.kw("RULE"), self.word(f"gen.r{len(pieces)}"), self.colon()]
                if names and self.draw(st.integers(0, 2)) == 0:
                    pieces += self.guard(names)
                pieces += self.body()
        return self.join(pieces)

    def join(self, pieces: list[_Piece]) -> str:
        out = ""
        comment = st.text(st.sampled_from("ab 注释，。:#；"), max_size=6)
        for n, piece in enumerate(pieces):
            if n:
                both = piece.word and pieces[n - 1].word
                gaps = [" ", "  ", "\n", "\n    "] + ([] if both else [""])
                out += self.draw(st.sampled_from(gaps))
                if self.draw(st.integers(0, 15)) == 0:
                    out += f"# {self.draw(comment)}\n"
            out += piece.text
        if self.maybe():
            out += f"\n# {self.draw(comment)}"
        return out + self.draw(st.sampled_from(["", "\n"]))


@st.composite
def rule_files(draw: st.DrawFn, langs: tuple[str, ...] = ("zh", "en")) -> tuple[str, str]:
    lang = draw(st.sampled_from(langs))
    return draw(st.just(lang)), _Gen(draw, lang, labels_only=False).file()


@st.composite
def chinese_label_files(draw: st.DrawFn) -> str:
    return _Gen(draw, "zh", labels_only=True).file()


@SETTINGS
@given(rule_files())
def test_formatting_is_idempotent(generated: tuple[str, str]) -> None:
    lang, text = generated
    rule_file = parse_rules(text, GENERATED)
    assert rule_file.lang == lang or not rule_file.keywords
    once = format_rules(rule_file)
    assert format_rules(parse_rules(once, GENERATED)) == once
    other = format_rules(rule_file, "en" if lang == "zh" else "zh")
    assert format_rules(parse_rules(other, GENERATED)) == other


@SETTINGS
@given(rule_files())
def test_formatting_never_changes_the_program(generated: tuple[str, str]) -> None:
    lang, text = generated
    vocabulary = parsed(BUNDLED[0])
    expected = _compile(text, vocabulary)
    assert _compile(format_rules(parse_rules(text, GENERATED)), vocabulary) == expected
    other = "en" if lang == "zh" else "zh"
    assert _compile(format_rules(parse_rules(text, GENERATED), other), vocabulary) == expected


@SETTINGS
@given(chinese_label_files())
def test_translation_round_trip(text: str) -> None:
    vocabulary = parsed(BUNDLED[0])
    rule_file = parse_rules(text, GENERATED)
    program = resolve([vocabulary, rule_file])
    zh = format_rules(rule_file)
    en = format_rules(rule_file, "en", program)
    assert format_rules(parse_rules(en, GENERATED), "zh", program) == zh
    assert _compile(en, vocabulary) == _compile(text, vocabulary)
    if rule_file.articles and any(a.statements for a in rule_file.articles):
        assert parse_rules(en, GENERATED).lang == "en"
