"""`govrules leave`: a plan of absences checked against the rules."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from govrules.cli.main import cli
from govrules.cli.options import (
    common,
    emit_json,
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
    if fmt == "json":
        emit_json(result.to_json(lang))
    else:
        print_leave(result, lang)
    sys.exit(0 if result.compliant else 1)
