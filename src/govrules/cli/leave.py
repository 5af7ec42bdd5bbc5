"""`govrules leave`: a plan of absences checked against the rules."""

from __future__ import annotations

from pathlib import Path

import click

from govrules.cli.main import cli
from govrules.cli.options import (
    common,
    finish,
    interpretation_options,
    load,
    parse_interpretations,
)
from govrules.cli.render import print_leave


@cli.command()
@click.argument("plan")
@common
@interpretation_options
def leave(
    plan: str,
    policy: Path | None,
    org: str | None,
    fmt: str,
    lang: str,
    interpretations: tuple[str, ...],
    timeout: float,
) -> None:
    """核查请假安排 / check a PLAN of absences: clashes and advance reports."""
    result = load(policy).check_leave(
        plan,
        org,
        interpretations=parse_interpretations(interpretations),
        timeout=timeout,
        lang=lang,
    )
    finish(result, fmt, lang, print_leave)
