"""A small fuzzing campaign on the rule language in every test run (`make fuzz` runs more)."""

from __future__ import annotations

import pytest
from tests.fuzz.rules import FUZZ_FILE, VOCABULARY, _vocabulary, campaign, compile_one

from govrules.lang.emit import emit
from govrules.lang.resolve import resolve
from govrules.lang.syntax import parse_rules

COUNT = 1500

# ASP syntax inside a reason or a label stays text: the program still parses.
STILL_PARSES = [
    '第一条\n  解释 宽泛 = broad 默认 开启：“x" ). :- true. %”。\n'
    "  依 解释 宽泛：禁止 主任 圈阅。\n",
    '词汇：\n  角色 x = y “a" :- . #include "/etc/passwd".”。\n第一条\n  禁止 x 圈阅。\n',
]


def test_a_fixed_campaign_has_no_failure() -> None:
    failures = campaign(COUNT, seed=20261127)
    assert [(f.problem, f.text) for f in failures[:3]] == []


@pytest.mark.parametrize(
    "text",
    [
        *STILL_PARSES,
        # Broken text of every sort: one positioned error.
        "第一条\n  解释 宽泛%x = broad 默认 开启：“x”。\n",
        "第一条\n  禁止 主任\0 圈阅。\n",
        "第一条\n  禁止 \u202e主任 圈阅。\n",
        "article 99999999999999999999\n  forbid office_director circulate.\n",
        "第一条\n  " + "然后 " * 5000 + "\n",
        "第一条\n  流程 区政府行文：" * 300,
        "\ufeff第一条\n  禁止 主任 圈阅。\n",
        "",
    ],
)
def test_hostile_rule_text_compiles_or_fails_cleanly(text: str) -> None:
    assert compile_one(text) is None


@pytest.mark.parametrize("text", STILL_PARSES)
def test_asp_syntax_in_a_reason_or_label_compiles_and_stays_text(text: str) -> None:
    """Not merely "compiles or fails cleanly": these compile, keep the rule, and the ASP
    they hold is a reason or a label, never program text."""
    assert compile_one(text) is None
    vocabulary, vocabulary_text = _vocabulary()
    program = resolve(
        [vocabulary, parse_rules(text, FUZZ_FILE)], {VOCABULARY: vocabulary_text, FUZZ_FILE: text}
    )
    assert len(program.rules) == 1
    kept = [i.justification for i in program.interpretations]
    kept += [i.label_en for i in program.vocabulary if i.source.file == FUZZ_FILE]
    assert any(":- true" in k or "#include" in k for k in kept)
    emitted = emit(program).program
    assert ":- true" not in emitted and "#include" not in emitted and "passwd" not in emitted
