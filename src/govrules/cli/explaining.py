"""`govrules explain`: why each step, precedence and finding of an answer holds."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from govrules.cli.main import cli
from govrules.cli.options import common, interpretation_options, load, parse_interpretations
from govrules.cli.render import print_explanations
from govrules.errors import Bilingual, InputError
from govrules.inputs import read_source


@cli.command("explain")
@click.argument("file")
@common
@interpretation_options
@click.option(
    "--what",
    "subjects",
    multiple=True,
    metavar="ID",
    help="只解释这些：步骤（行为:执行者）、先后（A>B）或问题序号 / only these subjects",
)
def explain(
    file: str,
    policy: Path | None,
    org: str | None,
    fmt: str,
    lang: str,
    interpretations: tuple[str, ...],
    timeout: float,
    subjects: tuple[str, ...],
) -> None:
    """说明答案的依据 / why: the rules, articles and facts behind an answer for FILE.

    A document with a trace is checked, one without is routed; each step, precedence and
    finding is traced to the rules that produce it, their articles and the input facts.
    Exit status as for check: 0 compliant, 1 a violation found.
    """
    source = read_source(file, "-" if file == "-" else file)
    if "document" not in source.data:
        raise InputError(
            Bilingual(
                "只能解释公文文件（含 document 键）",
                "explain takes a document file (with a document key)",
            ),
            source.location(()),
            code="explain_input",
        )
    loaded = load(policy)
    settings = parse_interpretations(interpretations)
    if source.data.get("trace"):
        result = loaded.check(
            source, org, interpretations=settings, timeout=timeout, lang=lang, explain=True
        )
    else:
        result = loaded.route(
            source, org, interpretations=settings, timeout=timeout, lang=lang, explain=True
        )
    items = result.to_dict(lang)["explanations"]
    if subjects:
        wanted = {s.replace(" ", "") for s in subjects}
        items = [e for e in items if e["id"].replace(" ", "") in wanted]
        if not items:
            known = ", ".join(e["id"] for e in result.to_dict(lang)["explanations"])
            raise InputError(
                Bilingual(
                    f"答案中没有 {', '.join(subjects)}；可解释的有：{known}",
                    f"the answer has no {', '.join(subjects)}; it has: {known}",
                ),
                code="unknown_subject",
            )
    if fmt == "json":
        data = {"compliant": result.compliant, "explanations": items}
        click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2))
    else:
        print_explanations(items, lang)
    sys.exit(0 if result.compliant else 1)
