"""`govrules articles`: the restored text, article by article, with status and rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from govrules.article_records import article_record
from govrules.cli.main import cli
from govrules.cli.options import load
from govrules.errors import Bilingual, InputError

_STATUS = {
    "encoded": ("已编码", "encoded"),
    "declarative": ("仅宣示性", "declarative only"),
    "not_normative": ("非规范性", "not normative"),
    "not_retrieved": ("原文未取得", "text not retrieved"),
    "pending": ("待编码", "not yet encoded"),
}


@cli.command()
@click.argument("number", required=False, type=int)
@click.option("--policy", type=click.Path(path_type=Path), default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
@click.option(
    "--show-restorations", is_flag=True, help="以 ⟦⟧ 标出修复的文字 / mark restored text with ⟦⟧"
)
def articles(
    number: int | None, policy: Path | None, fmt: str, lang: str, show_restorations: bool
) -> None:
    """条文：编号、所在章、修复后的文本、状态与实现规则 / the articles of the policy."""
    pol = load(policy)
    text = pol.text
    chosen = text.articles
    if number is not None:
        found = text.article(number)
        if found is None:
            raise InputError(
                Bilingual(
                    f"没有第{number}条（共 {len(text.articles)} 条）",
                    f"no article {number} (there are {len(text.articles)})",
                ),
                code="no_such_article",
            )
        chosen = (found,)
    records = [article_record(pol, a, lang, show_restorations=show_restorations) for a in chosen]
    if fmt == "json":
        payload: Any = (
            records[0]
            if number is not None
            else {
                "policy": text.ident,
                "document_number": text.document_number,
                "articles": records,
            }
        )
        click.echo(json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=2))
        return
    for rec in records:
        status = _STATUS[rec["status"]][1 if lang == "en" else 0]
        head = rec.get("label") or (
            f"第{rec['number']}条" if lang == "zh" else f"Article {rec['number']}"
        )
        chap = (
            f"第{rec['chapter']}章 {rec['chapter_title']}"
            if lang == "zh"
            else (f"chapter {rec['chapter']}")
        )
        click.echo(f"{head}  [{chap}]  {status}")
        body = rec["text_en"] if lang == "en" and rec["text_en"] else rec["text"]
        click.echo(body)
        if rec.get("source"):
            click.echo(("来源：" if lang == "zh" else "source: ") + rec["source"])
        if rec["enforced_by"]:
            click.echo(("执行方式: " if lang == "zh" else "enforced by: ") + rec["enforced_by"])
        if rec["rules"]:
            label = "规则" if lang == "zh" else "rules"
            click.echo(
                f"{label}: "
                + ", ".join(f"{r['id']} ({r['file']}:{r['line']})" for r in rec["rules"])
            )
        if show_restorations and rec["restorations"]:
            click.echo("修复：" if lang == "zh" else "restorations:")
            for r in rec["restorations"]:
                click.echo(f"  + {r['added']}  [{r['certainty']}]  {r['where']} — {r['why']}")
        if len(records) > 1:
            click.echo("")
