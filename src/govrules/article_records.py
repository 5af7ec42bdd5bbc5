"""An article of a policy as JSON data: one record for the CLI (`govrules articles`) and the
HTTP service (`GET /v1/articles`), so the two never drift apart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govrules.engine import Policy
    from govrules.policy_text import Article


def article_record(
    policy: Policy, article: Article, lang: str, *, show_restorations: bool = False
) -> dict[str, Any]:
    """Its number, chapter, text, status, the rules that enforce it and its restorations
    (how many; each in full with `show_restorations`)."""
    chapter = policy.text.chapter(article.chapter)
    record: dict[str, Any] = {
        "number": article.number,
        "chapter": article.chapter,
        "chapter_title": chapter.title(show_restorations) if chapter else "",
        "text": article.text(show_restorations),
        "text_en": article.text_en,
        "status": policy.status(article.number),
        "enforced_by": article.enforced_by(lang) or None,
        "reason": article.reason(lang),
        "rules": [
            {
                "id": r.ident,
                "file": r.source.file,
                "line": r.source.line,
                "interpretation": r.guard[0] if r.guard else None,
            }
            for r in policy.rules_for(article.number)
        ],
        "restorations": [
            {
                "kind": r.kind,
                "added": r.added,
                "where": r.where,
                "why": r.why,
                "certainty": r.certainty,
                "count": r.count,
            }
            for r in article.restorations
        ]
        if show_restorations
        else len(article.restorations),
    }
    if article.label is not None:
        record["label"] = article.label
    if article.source:
        record["source"] = article.source
    return record
