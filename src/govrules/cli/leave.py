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
        finish(suggestion, fmt, lang, print_suggestion)
    if why_not:
        answer = engine.why_not_plan(
            plan, org, interpretations=settings, timeout=timeout, lang=lang
        )
        finish(answer, fmt, lang, lambda r, lg: print_why_not(r.to_dict(lg), lg))
    result = engine.check_leave(
        plan, org, interpretations=settings, timeout=timeout, lang=lang, explain=explain
    )

    def show(r: Any, lg: str) -> None:
        print_leave(r, lg)
        if explain:
            print_explanations(r.to_dict(lg).get("explanations", []), lg)

    finish(result, fmt, lang, show)
