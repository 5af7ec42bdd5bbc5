"""Options every verb shares (contract §2), and the output helpers they use."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from govrules.clock import DEFAULT_TIMEOUT, MAX_TIMEOUT, MIN_TIMEOUT, check_timeout
from govrules.errors import Bilingual, InputError

F = TypeVar("F", bound=Callable[..., Any])


class Seconds(click.ParamType[float]):
    """A time limit: a finite number of seconds in [low, 3600] (`nan` and `inf` are not)."""

    name = "seconds"

    def __init__(self, low: float) -> None:
        self.low = low

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            seconds = check_timeout(float(value), "--timeout")
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        except InputError as err:
            self.fail(err.message("en"), param, ctx)
        if seconds < self.low:
            self.fail(f"--timeout must be from {self.low:g} to {MAX_TIMEOUT:g} seconds", param, ctx)
        return seconds


def policy_option(func: F) -> F:
    """--policy DIR: the policy to use, by default the bundled one."""
    return click.option(
        "--policy",
        type=click.Path(path_type=Path),
        default=None,
        help="策略目录（默认：内置策略）/ policy directory",
    )(func)


def calendar_option(func: F) -> F:
    """--calendar FILE: holidays and make-up days, over every other source of a year."""
    return click.option(
        "--calendar",
        "calendar_file",
        type=str,
        default=None,
        help="节假日与调休文件（YAML/JSON），优先于其他来源 / holidays and make-up days file, "
        "over every other source",
    )(func)


def output_options(func: F) -> F:
    """--format and --lang, for verbs that take no organisation."""
    func = click.option(
        "--lang", type=click.Choice(["zh", "en"]), default="zh", help="消息语言 / message language"
    )(func)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        help="输出格式 / output format",
    )(func)


def common(func: F) -> F:
    """--policy, --org, --format, --lang."""
    func = output_options(func)
    func = click.option(
        "--org", type=str, default=None, help="组织文件（默认：示例组织）/ organisation file"
    )(func)
    return policy_option(func)


def interpretation_options(func: F) -> F:
    func = click.option(
        "--interpretation",
        "-i",
        "interpretations",
        multiple=True,
        metavar="NAME=on|off",
        help="开启或关闭一项解释 / switch a named interpretation on or off",
    )(func)
    func = click.option(
        "--timeout",
        type=Seconds(MIN_TIMEOUT),
        default=DEFAULT_TIMEOUT,
        show_default=True,
        help="求解时间上限（秒）/ solving time limit in seconds",
    )(func)
    return func


def parse_interpretations(values: tuple[str, ...]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for value in values:
        name, _, setting = value.partition("=")
        if setting not in ("on", "off") or not name:
            raise InputError(
                Bilingual(
                    f"--interpretation 的格式应为 名称=on 或 名称=off，而不是「{value}」",
                    f"--interpretation takes NAME=on or NAME=off, not {value!r}",
                ),
                code="bad_option",
            )
        out[name] = setting == "on"
    return out


def emit_json(text: str) -> None:
    click.echo(text, nl=False)


def finish(result: Any, fmt: str, lang: str, show: Callable[[Any, str], None]) -> NoReturn:
    """Print an answer as JSON or text and exit 0 when compliant, 1 on a violation."""
    if fmt == "json":
        emit_json(result.to_json(lang))
    else:
        show(result, lang)
    sys.exit(0 if result.compliant else 1)


def load(policy: Path | None, calendar_file: str | None = None) -> Any:
    """The policy, with the user's calendar file (--calendar) in use when one is given."""
    from govrules.engine import Policy

    loaded = Policy.load(policy)
    if calendar_file is not None:
        from govrules.calendars import layered

        loaded.use_calendar(layered(loaded.directory, calendar_file))
    return loaded
