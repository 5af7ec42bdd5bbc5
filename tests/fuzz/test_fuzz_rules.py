"""A small fuzzing campaign on the rule language in every test run (`make fuzz` runs more)."""

from __future__ import annotations

import pytest
from tests.fuzz.rules import campaign, compile_one

COUNT = 1500


def test_a_fixed_campaign_has_no_failure() -> None:
    failures = campaign(COUNT, seed=20261127)
    assert [(f.problem, f.text) for f in failures[:3]] == []


@pytest.mark.parametrize(
    "text",
    [
        # ASP syntax inside a reason or a label stays text: the program still parses.
        '第一条\n  解释 宽泛 = broad 默认 开启：“x" ). :- true. %”。\n'
        "  依 解释 宽泛：禁止 主任 圈阅。\n",
        '词汇：\n  角色 x = y “a" :- . #include "/etc/passwd".”。\n第一条\n  禁止 x 圈阅。\n',
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
