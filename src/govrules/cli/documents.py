"""`govrules route` and `govrules check`: who handles a document, and did they."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from govrules.cli.main import cli
from govrules.cli.options import (
    calendar_option,
    common,
    finish,
    interpretation_options,
    load,
    parse_interpretations,
)
from govrules.cli.render import print_explanations, print_route, print_why_not

explain_option = click.option(
    "--explain",
    is_flag=True,
    help="说明每个步骤、先后关系和问题的依据 / explain every step, precedence and finding",
)


def _show(result: Any, lang: str, *, show_orders: bool, explain: bool) -> None:
    """The answer, then (asked for) why: of the findings after a check, of all after a route."""
    print_route(result, lang, show_orders=show_orders)
    if explain:
        items = result.to_dict(lang).get("explanations", [])
        if not show_orders:
            items = [e for e in items if e["subject"] == "finding"]
        print_explanations(items, lang)


@cli.command()
@click.argument("document")
@common
@interpretation_options
@click.option(
    "--limit",
    type=click.IntRange(0, 100_000),
    default=100,
    show_default=True,
    help="最多列出的顺序数（总数总是精确给出）/ orders listed at most (the count is exact)",
)
@explain_option
@click.option(
    "--svg",
    "svg_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="把审批流程图写入 SVG 文件 / draw the procedure to an SVG file",
)
@click.option(
    "--why-not",
    "why_not",
    metavar="ORDER",
    default=None,
    help="为什么不能按此先后办理，如 a:甲,b:乙（行为:执行者） / why no valid order has "
    "these steps in this order",
)
def route(
    document: str,
    policy: Path | None,
    org: str | None,
    fmt: str,
    lang: str,
    interpretations: tuple[str, ...],
    timeout: float,
    limit: int,
    explain: bool,
    svg_file: str | None,
    why_not: str | None,
) -> None:
    """公文的全部有效审批顺序 / every valid approval order for DOCUMENT."""
    if why_not is not None:
        from govrules.whynot import parse_order

        answer = load(policy).why_not_order(
            document,
            parse_order(why_not),
            org,
            interpretations=parse_interpretations(interpretations),
            timeout=timeout,
            lang=lang,
        )
        finish(answer, fmt, lang, lambda r, lg: print_why_not(r.to_dict(lg), lg))
    loaded = load(policy)
    result = loaded.route(
        document,
        org,
        interpretations=parse_interpretations(interpretations),
        limit=limit,
        timeout=timeout,
        lang=lang,
        explain=explain,
    )
    # What the next `govrules route` of this policy and organisation needs beyond its
    # document, kept once (`quickroute`): it then answers without most of this start.
    from govrules.route_kit import keep_route_kit

    keep_route_kit(loaded, org)
    if svg_file is not None:
        from govrules.pictures import route_svg, write_svg

        write_svg(svg_file, route_svg(result.to_dict(lang), lang))
    finish(result, fmt, lang, lambda r, lg: _show(r, lg, show_orders=True, explain=explain))


@cli.command()
@click.argument("document")
@common
@interpretation_options
@explain_option
@click.option(
    "--why-not",
    "why_not",
    is_flag=True,
    help="记录违反了哪些规则（最小集合）/ the minimal sets of rules the trace breaks",
)
@click.option(
    "--plan",
    "plan_file",
    default=None,
    help="请假计划：核实代岗（acting_for）当日被代者外出 / a plan whose absences validate "
    "entries done on behalf of someone (acting_for)",
)
@calendar_option
def check(
    document: str,
    policy: Path | None,
    org: str | None,
    fmt: str,
    lang: str,
    interpretations: tuple[str, ...],
    timeout: float,
    explain: bool,
    why_not: bool,
    plan_file: str | None,
    calendar_file: str | None,
) -> None:
    """核查公文的处理记录 / check DOCUMENT's recorded trace against the rules.

    Review deadlines count working days on China's official calendar (调休 included);
    --calendar supplies years the built-in calendar does not cover."""
    engine = load(policy, calendar_file)
    if why_not:
        answer = engine.why_not_trace(
            document,
            org,
            interpretations=parse_interpretations(interpretations),
            timeout=timeout,
            lang=lang,
        )
        finish(answer, fmt, lang, lambda r, lg: print_why_not(r.to_dict(lg), lg))
    result = engine.check(
        document,
        org,
        interpretations=parse_interpretations(interpretations),
        timeout=timeout,
        lang=lang,
        explain=explain,
        plan=plan_file,
    )
    finish(result, fmt, lang, lambda r, lg: _show(r, lg, show_orders=False, explain=explain))
