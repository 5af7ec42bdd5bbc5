"""`govrules leave`: a plan of absences checked against the rules, or repaired (--suggest)."""

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
from govrules.cli.render import (
    print_explanations,
    print_leave,
    print_suggestion,
    print_why_not,
)
from govrules.repair import DEFAULT_WINDOW, MAX_WINDOW


@cli.command()
@click.argument("plan")
@common
@interpretation_options
@click.option(
    "--suggest",
    is_flag=True,
    help="给出使安排合规的最小调整 / propose the smallest change that makes the plan compliant",
)
@click.option(
    "--window",
    type=click.IntRange(0, MAX_WINDOW),
    default=DEFAULT_WINDOW,
    show_default=True,
    help="每项可调整的缺勤最多前后移动的天数 / days a movable absence may move either way "
    "(--suggest)",
)
@calendar_option
@click.option(
    "--explain",
    is_flag=True,
    help="说明每个问题和每项代理的依据 / explain every finding and who acts for whom",
)
@click.option(
    "--why-not",
    "why_not",
    is_flag=True,
    help="安排违反了哪些规则（最小集合）/ the minimal sets of rules the plan breaks",
)
@click.option(
    "--svg",
    "svg_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="把一个月的日历图写入 SVG 文件（含 --suggest 的调整）/ draw a month to an SVG file",
)
@click.option(
    "--month",
    default=None,
    metavar="YYYY-MM",
    help="--svg 画的月份（默认：第一项缺勤所在月）/ the month --svg draws "
    "(default: the first absence's)",
)
def leave(
    plan: str,
    policy: Path | None,
    org: str | None,
    fmt: str,
    lang: str,
    interpretations: tuple[str, ...],
    timeout: float,
    suggest: bool,
    window: int,
    calendar_file: str | None,
    explain: bool,
    why_not: bool,
    svg_file: str | None,
    month: str | None,
) -> None:
    """核查请假安排 / check a PLAN of absences: clashes, advance reports, acting posts.

    A post is vacant on working days only, counted on China's official calendar (调休
    included); --calendar supplies years the built-in calendar does not cover.
    """
    settings = parse_interpretations(interpretations)
    engine = load(policy, calendar_file)
    if suggest:
        suggestion = engine.suggest_leave(
            plan, org, window=window, interpretations=settings, timeout=timeout, lang=lang
        )
        if svg_file is not None:
            checked = engine.check_leave(
                plan, org, interpretations=settings, timeout=timeout, lang=lang
            )
            changes = suggestion.to_dict(lang).get("changes", [])
            _draw(engine, plan, org, checked.to_dict(lang), changes, svg_file, month, lang)
        finish(suggestion, fmt, lang, print_suggestion)
    if why_not:
        answer = engine.why_not_plan(
            plan, org, interpretations=settings, timeout=timeout, lang=lang
        )
        finish(answer, fmt, lang, lambda r, lg: print_why_not(r.to_dict(lg), lg))
    result = engine.check_leave(
        plan, org, interpretations=settings, timeout=timeout, lang=lang, explain=explain
    )
    if svg_file is not None:
        _draw(engine, plan, org, result.to_dict(lang), [], svg_file, month, lang)

    def show(r: Any, lg: str) -> None:
        print_leave(r, lg)
        if explain:
            print_explanations(r.to_dict(lg).get("explanations", []), lg)

    finish(result, fmt, lang, show)


def _draw(
    engine: Any,
    plan: str,
    org: str | None,
    answer: dict[str, Any],
    changes: list[dict[str, Any]],
    svg_file: str,
    month: str | None,
    lang: str,
) -> None:
    """The month's calendar picture, written whole (`--svg`)."""
    import re

    import govrules
    from govrules.errors import Bilingual, InputError
    from govrules.inputs import load_org, load_plan
    from govrules.pictures import leave_svg, write_svg

    model = load_plan(plan, load_org(org) if org else govrules.load_org(), engine.vocabulary)
    absences = [
        {"who": a.who, "from": a.from_.isoformat(), "to": a.to.isoformat()} for a in model.absences
    ]
    if month is None:
        month = absences[0]["from"][:7] if absences else f"{engine.text.in_force_from:%Y-%m}"
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", month):
        raise InputError(
            Bilingual("--month 应为 YYYY-MM", "--month must be YYYY-MM"), code="bad_month"
        )
    write_svg(svg_file, leave_svg(answer, absences, month, changes, lang))
