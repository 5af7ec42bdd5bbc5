"""`govrules deadline`: the due date N working days after a date (调休 included)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from govrules.cli.main import cli
from govrules.cli.options import calendar_option, policy_option
from govrules.errors import Bilingual, InputError
from govrules.workdays import as_date


@cli.command()
@click.argument("start")
@click.option(
    "--days", "-n", type=int, default=1, show_default=True, help="工作日数 / number of working days"
)
@calendar_option
@policy_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
def deadline(
    start: str, days: int, calendar_file: str | None, policy: Path | None, fmt: str, lang: str
) -> None:
    """START 之后第 N 个工作日 / the due date DAYS working days after START.

    日历年份的来源见 govrules calendar status / where each year comes from: see
    govrules calendar status."""
    from govrules.calendars import layered
    from govrules.resources import bundled_policy_dir

    calendar = layered(policy or bundled_policy_dir(), calendar_file)
    try:
        begin = as_date(start, "")
    except InputError as err:
        raise InputError(
            Bilingual(f"起始日期{err.message.zh}", f"start date {err.message.en}"), code=err.code
        ) from None
    answer = calendar.deadline(begin, days)
    answer.calendar.warn()
    if fmt == "json":
        click.echo(answer.to_json(lang))
        return
    note = ""
    if answer.due.weekday() >= 5:
        note = "（调休上班日）" if lang == "zh" else " (a make-up working day)"
    click.echo(f"{answer.due.isoformat()}{note}")
    for line in answer.calendar.lines(lang):
        click.echo(line)
    sys.stdout.flush()
