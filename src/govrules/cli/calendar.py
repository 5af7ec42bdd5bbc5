"""`govrules calendar`: which years the working-day calendar covers and from where, a
calendar file checked, and a provisional template for a year not yet arranged."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import click

from govrules.cli.main import cli
from govrules.cli.options import calendar_option, output_options, policy_option
from govrules.errors import Bilingual, InputError, Location
from govrules.results import dump


def _words(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


@cli.group(invoke_without_command=True)
@policy_option
@calendar_option
@output_options
@click.pass_context
def calendar(
    ctx: click.Context, policy: Path | None, calendar_file: str | None, fmt: str, lang: str
) -> None:
    """工作日日历：覆盖年份与来源、检查、模板 / the working-day calendar.

    不带子命令时同 calendar status（接受其选项）/ without a subcommand: calendar status
    (with its options)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(status, policy=policy, calendar_file=calendar_file, fmt=fmt, lang=lang)


def _spans(rows: list[dict[str, Any]]) -> list[tuple[int, int, dict[str, Any]]]:
    """Consecutive years with the same sources, folded: (first, last, row)."""

    def key(row: dict[str, Any]) -> Any:
        return (row["status"], row["reason"], [(c["kind"], c["where"]) for c in row["candidates"]])

    spans: list[tuple[int, int, dict[str, Any]]] = []
    for row in rows:
        if spans and spans[-1][1] == row["year"] - 1 and key(spans[-1][2]) == key(row):
            spans[-1] = (spans[-1][0], row["year"], spans[-1][2])
        else:
            spans.append((row["year"], row["year"], row))
    return spans


@calendar.command()
@policy_option
@calendar_option
@output_options
def status(policy: Path | None, calendar_file: str | None, fmt: str, lang: str) -> None:
    """覆盖的年份、各年数据来源及其胜出原因 / years covered, each year's source and why."""
    from govrules.calendars import ENV_DIR, POLICY_SUBDIR, layered
    from govrules.calendars import status as calendar_status
    from govrules.resources import bundled_policy_dir

    directory = policy or bundled_policy_dir()
    data = calendar_status(layered(directory, calendar_file), lang)
    user = os.environ.get(ENV_DIR) or None
    data["directories"] = {"policy": str(directory / POLICY_SUBDIR), "user": user}
    if fmt == "json":
        click.echo(dump(data), nl=False)
        return
    order = _words(
        lang,
        f"优先顺序：--calendar 文件 > 用户日历目录（{ENV_DIR}）> 策略目录的 {POLICY_SUBDIR}/ > "
        f"内置数据（{data['library']}）",
        f"precedence: the --calendar file > the user calendar directory ({ENV_DIR}) > the "
        f"policy directory's {POLICY_SUBDIR}/ > the built-in data ({data['library']})",
    )
    click.echo(order)
    click.echo(
        _words(lang, "用户日历目录：", "user calendar directory: ")
        + (user or _words(lang, f"未设置（{ENV_DIR}）", f"not set ({ENV_DIR})"))
    )
    click.echo(
        _words(lang, "策略日历目录：", "policy calendar directory: ")
        + str(directory / POLICY_SUBDIR)
    )
    for first, last, row in _spans(data["years"]):
        years = str(first) if first == last else f"{first}–{last}"
        official = row["status"] == "official"
        shown = _words(lang, "正式" if official else "临时", row["status"])
        reason = _words(lang, f"（{row['reason']}）", f" ({row['reason']})")
        click.echo(f"{years}  {shown}  {row['source']['where']} {reason}")
    if data["last_covered_day"]:
        click.echo(
            _words(lang, "最后覆盖日：", "last day covered: ") + str(data["last_covered_day"])
        )


def _year_summary(year: int, lists: Any) -> dict[str, Any]:
    from govrules.workdays import WorkCalendar

    counted = WorkCalendar({year: (lists.holiday_dates, lists.workday_dates)})
    named: dict[str, list[str]] = {}
    for day, name, _ in lists.entries("holidays"):
        named.setdefault(name or "", []).append(day.isoformat())
    return {
        "year": year,
        "status": "provisional" if lists.provisional else "official",
        "holidays": named,
        "workdays": [d.isoformat() for d in lists.workday_dates],
        "working_days": counted.working_days_between(date(year, 1, 1), date(year, 12, 31))
        + counted.is_workday(date(year, 1, 1)),
    }


def _problem_json(err: InputError, lang: str) -> dict[str, Any]:
    where = err.location
    return {
        "file": where.file,
        "line": where.line,
        "column": where.column,
        "field": where.field,
        "code": err.code,
        "message": err.message(lang),
    }


@calendar.command()
@click.argument("file")
@output_options
def check(file: str, fmt: str, lang: str) -> None:
    """检查日历文件，列出全部问题 / check a calendar file, listing every problem.

    日期须在其年份内、不重复；holidays 只列周一至周五，workdays 只列周末 / dates inside
    their year, each once; holidays on weekdays, workdays on weekends."""
    from govrules.calendars import check_file

    loaded, problems = check_file(file)
    if problems or loaded is None:
        if fmt == "json":
            out = {
                "file": file,
                "ok": False,
                "problems": [_problem_json(p, lang) for p in problems],
            }
            click.echo(dump(out), nl=False)
        else:
            for problem in problems:
                click.echo(problem.render(lang), err=True)
            count = len(problems)
            click.echo(
                _words(lang, f"共 {count} 处问题：{file}", f"{count} problem(s) in {file}"),
                err=True,
            )
        sys.exit(2)
    years = [_year_summary(y, lists) for y, lists in sorted(loaded.years.items())]
    if fmt == "json":
        click.echo(dump({"file": file, "ok": True, "problems": [], "years": years}), nl=False)
        return
    click.echo(_words(lang, f"{file}：日历文件无误", f"{file}: the calendar file is fine"))
    for row in years:
        provisional = row["status"] == "provisional"
        shown = _words(lang, "临时" if provisional else "正式", row["status"])
        off = sum(len(v) for v in row["holidays"].values())
        names = "、" if lang != "en" else ", "
        parts = names.join(
            f"{name or _words(lang, '未命名', 'unnamed')} {len(days)}"
            for name, days in row["holidays"].items()
        )
        click.echo(
            _words(
                lang,
                f"{row['year']} 年（{shown}）：工作日放假 {off} 天（{parts or '无'}），"
                f"调休上班 {len(row['workdays'])} 天，全年工作日 {row['working_days']} 天",
                f"{row['year']} ({shown}): {off} weekdays off ({parts or 'none'}), "
                f"{len(row['workdays'])} weekend days worked, {row['working_days']} working "
                "days in the year",
            )
        )


def _write(path: Path, text: str, force: bool) -> None:
    """Write `text` to `path` whole or not at all; an existing file only with --force."""
    if path.exists() and not force:
        raise InputError(
            Bilingual("文件已存在；用 --force 覆盖", "the file exists; --force overwrites it"),
            Location(str(path)),
            "output.exists",
        )
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        raise InputError(
            Bilingual(f"无法写入（{exc.strerror}）", f"cannot write ({exc.strerror})"),
            Location(str(path)),
            "output.unwritable",
        ) from None


@calendar.command()
@click.argument("year", type=int)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), default=None, help="写入文件 / write to FILE"
)
@click.option("--force", is_flag=True, help="覆盖已有文件 / overwrite an existing file")
@output_options
def template(year: int, output: Path | None, force: bool, fmt: str, lang: str) -> None:
    """YEAR 年的临时日历（法定节假日，不含调休）/ a provisional calendar for YEAR.

    按 2025 年起施行的放假办法列出法定节假日，标记 provisional: true；国务院通知公布后
    补上调休并删去该标记 / the statutory holidays of the rules in force from 2025, marked
    provisional: add the make-up days from the State Council's notice, then drop the mark."""
    from govrules.calendar_template import template as make_template
    from govrules.calendar_template import template_data

    text = dump(template_data(year)) if fmt == "json" else make_template(year, lang)
    if output is None:
        click.echo(text, nl=False)
        return
    _write(output, text, force)
    click.echo(_words(lang, f"已写入 {output}", f"wrote {output}"))
