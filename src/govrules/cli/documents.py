"""`govrules route` and `govrules check`: who handles a document, and did they."""

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
from govrules.cli.render import print_route


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
def route(
    document: str,
    policy: Path | None,
    org: str | None,
    fmt: str,
    lang: str,
    interpretations: tuple[str, ...],
    timeout: float,
    limit: int,
) -> None:
    """公文的全部有效审批顺序 / every valid approval order for DOCUMENT."""
    result = load(policy).route(
        document,
        org,
        interpretations=parse_interpretations(interpretations),
        limit=limit,
        timeout=timeout,
        lang=lang,
    )
    finish(result, fmt, lang, lambda r, lg: print_route(r, lg, show_orders=True))


@cli.command()
@click.argument("document")
@common
@interpretation_options
def check(
    document: str,
    policy: Path | None,
    org: str | None,
    fmt: str,
    lang: str,
    interpretations: tuple[str, ...],
    timeout: float,
) -> None:
    """核查公文的处理记录 / check DOCUMENT's recorded trace against the rules."""
    result = load(policy).check(
        document,
        org,
        interpretations=parse_interpretations(interpretations),
        timeout=timeout,
        lang=lang,
    )
    finish(result, fmt, lang, lambda r, lg: print_route(r, lg, show_orders=False))
