"""`govrules analyze`: rules that never fire and rules that demand the impossible."""

from __future__ import annotations

import json
from pathlib import Path

import click

from govrules.cli.main import cli
from govrules.cli.options import Seconds, finish, load, output_options, policy_option


def _words(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


@cli.command("analyze")
@policy_option
@output_options
@click.option("--people", type=click.IntRange(2, 10), default=5, show_default=True,
              help="情形中的人数上限 / people in each scenario")  # fmt: skip
@click.option("--days", type=click.IntRange(1, 7), default=3, show_default=True,
              help="情形中的天数 / days in each scenario")  # fmt: skip
@click.option("--timeout", type=Seconds(0.1), default=60.0, show_default=True,
              help="分析的总时间上限（秒）/ time limit of the whole analysis")  # fmt: skip
def analyze(
    policy: Path | None, fmt: str, lang: str, people: int, days: int, timeout: float
) -> None:
    """分析规则：永不起作用的规则、成环的先后、被禁止的必经步骤、无人能办的步骤 /
    find rules that never fire, precedence cycles, forbidden required steps and steps
    nobody can fill, over a bounded space of organisations, documents, traces and plans."""
    from govrules.analyze import Bounds
    from govrules.analyze import analyze as run

    result = run(load(policy), Bounds(people=people, days=days), timeout=timeout, lang=lang)
    finish(result, fmt, lang, _show)


def _show(result: object, lang: str) -> None:
    data = result.to_dict(lang)  # type: ignore[attr-defined]
    bounds = data["bounds"]
    click.echo(
        _words(
            lang,
            f"分析范围：{bounds['people']} 人、{bounds['fields']} 个领域、{bounds['days']} 天、"
            f"{bounds['trace_entries']} 条处理记录、{bounds['absences']} 项缺勤，"
            f"所有公文类型、条件与解释组合；检查了 {data['rules_checked']} 条规则、"
            f"{data['steps_checked']} 个步骤",
            f"Bounds: {bounds['people']} people, {bounds['fields']} fields, {bounds['days']} "
            f"days, {bounds['trace_entries']} trace entries, {bounds['absences']} absences, "
            f"every document kind, condition and interpretation; checked "
            f"{data['rules_checked']} rules and {data['steps_checked']} steps",
        )
    )
    if data["clean"]:
        click.echo(_words(lang, "未发现问题。", "No problem found."))
        return
    for n, problem in enumerate(data["problems"], start=1):
        click.echo(f"{n}. [{problem['kind']}] {problem['message']}")
        for rule in problem["rules"]:
            article = _words(lang, f"第{rule['article']}条", f"article {rule['article']}")
            click.echo(f"   {article} ({rule['rule']}, {rule['source']}): {rule['statement']}")
        if problem["witness"] is not None:
            witness = json.dumps(problem["witness"], ensure_ascii=False, sort_keys=True)
            click.echo("   " + _words(lang, "情形：", "scenario: ") + witness)
