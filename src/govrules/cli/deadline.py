"""`govrules deadline`: the due date N working days after a date (调休 included)."""

from __future__ import annotations

import json

import click

from govrules.cli.main import cli
from govrules.cli.options import calendar_option
from govrules.errors import Bilingual, InputError
from govrules.workdays import WorkCalendar, as_date


@cli.command()
@click.argument("start")
@click.option(
    "--days", "-n", type=int, default=1, show_default=True, help="工作日数 / number of working days"
)
@calendar_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
def deadline(start: str, days: int, calendar_file: str | None, fmt: str, lang: str) -> None:
    """START 之后第 N 个工作日 / the due date DAYS working days after START."""
    calendar = WorkCalendar.load(calendar_file)
    try:
        begin = as_date(start, "")
    except InputError as err:
        raise InputError(
            Bilingual(f"起始日期{err.message.zh}", f"start date {err.message.en}"), code=err.code
        ) from None
    due = calendar.add_working_days(begin, days)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "start": begin.isoformat(),
                    "working_days": days,
                    "due": due.isoformat(),
                    "due_is_weekend_workday": due.weekday() >= 5,
                },
                ensure_ascii=False,
                sort_keys=True,
            )
        )
        return
    note = ""
    if due.weekday() >= 5:
        note = "（调休上班日）" if lang == "zh" else " (a make-up working day)"
    click.echo(f"{due.isoformat()}{note}")
