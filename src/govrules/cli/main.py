"""The `govrules` command: one small module per group of verbs over the library.

Every failure a user can cause ends here as one message on standard error and exit
status 2 (bad input), 3 (a solver limit) or 1 (a violation found); never a traceback.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import click

from govrules.errors import Bilingual, GovrulesError, InputWarning

F = TypeVar("F", bound=Callable[..., Any])


def _lang_from_argv(args: Any = None) -> str:
    """--lang from the arguments given to `main` (an embedding caller's), else sys.argv."""
    argv = [str(a) for a in args] if isinstance(args, list | tuple) else sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return "zh"


def fail(message: Bilingual, lang: str, code: int = 2) -> None:
    click.echo(f"govrules: {message(lang)}", err=True)
    sys.exit(code)


def _show_warning(lang: str) -> Callable[..., None]:
    """Input warnings as one line on standard error, in the user's language."""
    shown = warnings.showwarning

    def show(message: Warning | str, category: type[Warning], *rest: Any, **kw: Any) -> None:
        if isinstance(message, InputWarning):
            click.echo(message.render(lang), err=True)
        else:
            shown(message, category, *rest, **kw)

    return show


class _Group(click.Group):
    """Turns every error into one message and the contract's exit status; imports a verb's
    module when the verb is first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(_VERBS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = _VERBS.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"govrules.cli.{module}")
        return super().get_command(ctx, cmd_name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        given = kwargs.get("args", args[0] if args else None)
        lang = _lang_from_argv(given)
        argv = [str(a) for a in given] if isinstance(given, list | tuple) else sys.argv[1:]
        if argv.count("-") > 1:
            # Standard input can be read once: the second reader would find it empty.
            fail(
                Bilingual(
                    "标准输入（-）只能用作一个输入文件；其余输入请给出文件路径",
                    "standard input (-) can be only one of the inputs; give the others as files",
                ),
                lang,
            )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default")
                warnings.showwarning = _show_warning(lang)
                return super().main(*args, **kwargs)
        except GovrulesError as err:
            click.echo(err.render(lang), err=True)
            sys.exit(err.exit_code)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.Abort:
            sys.exit(130)
        except click.UsageError as err:
            hint = f"\n{err.ctx.get_usage()}" if err.ctx else ""
            click.echo(f"govrules: {err.format_message()}{hint}", err=True)
            sys.exit(2)
        except click.ClickException as err:
            click.echo(f"govrules: {err.format_message()}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as err:  # a bug of ours: say so briefly, keep the trace for debugging
            if os.environ.get("GOVRULES_DEBUG"):
                raise
            fail(
                Bilingual(
                    f"内部错误（{type(err).__name__}）：{err}；设置 GOVRULES_DEBUG=1 查看详情",
                    f"internal error ({type(err).__name__}): {err}; "
                    "set GOVRULES_DEBUG=1 for details",
                ),
                lang,
                code=70,
            )


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govrules")
def cli() -> None:
    """govrules: 以答案集编程执行的政府机关工作规则 / government working rules on ASP."""


def main() -> None:
    # Ctrl-C ends the command at once, even inside grounding or solving (native code, where
    # Python's KeyboardInterrupt would wait for it to return): nothing is written before an
    # answer is complete, and files are written by rename. `batch` sets its own handlers to
    # write what is done first.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    cli.main(prog_name="govrules")


# The verbs register themselves on `cli` when their module is imported, which happens only
# for the verb asked for (and for all of them on --help): a start-up that imports every
# verb's dependencies costs a route or a check more than the answer itself.
_VERBS = {
    "analyze": "analysis",
    "articles": "articles",
    "batch": "batch",
    "calendar": "calendar",
    "check": "documents",
    "compile": "authoring",
    "deadline": "deadline",
    "explain": "explaining",
    "fmt": "authoring",
    "init": "authoring",
    "leave": "leave",
    "lint": "authoring",
    "route": "documents",
    "schema": "schema",
    "serve": "serve",
    "test": "testing",
}
