"""Text answers for people: tables and sentences, in Chinese or English.

Each printer builds its answer as blocks (`textout`), which rich draws at a terminal and
which are written directly elsewhere, the same bytes either way."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govrules.cli.textout import Block, Line, Span, Table, emit

if TYPE_CHECKING:  # annotations only: a route does not import the plan modules
    from govrules.engine import RouteResult
    from govrules.findings import Finding
    from govrules.presence import LeaveResult
    from govrules.repair import Suggestion


def _words(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _findings(findings: list[Finding], lang: str) -> list[Block]:
    if not findings:
        return [Line.of(_words(lang, "合规：未发现问题。", "Compliant: no findings."))]
    blocks: list[Block] = []
    for f in findings:
        tag = {
            "violation": _words(lang, "违反", "violation"),
            "warning": _words(lang, "提醒", "warning"),
        }[f.severity]
        article = f.label or (f"第{f.article}条" if lang == "zh" else f"article {f.article}")
        colour = "red" if f.severity == "violation" else "yellow"
        blocks.append(Line((Span(tag, colour), Span(f" {article} ({f.rule}): {f.message(lang)}"))))
    return blocks


def _in_force(result: RouteResult | LeaveResult, lang: str) -> list[Block]:
    blocks: list[Block] = []
    before = [d for d in result.in_force.dates if d < result.in_force.since]
    if before:
        dates = ", ".join(d.isoformat() for d in before)
        blocks.append(
            Line.of(
                _words(
                    lang,
                    f"注意：规则自 {result.in_force.since} 起施行，以下日期尚未施行：{dates}",
                    f"Note: the rules are in force from {result.in_force.since}; "
                    f"not yet on {dates}",
                )
            )
        )
    blocks.extend(Line.of(line) for line in result.calendar.lines(lang))
    return blocks


def route_blocks(result: RouteResult, lang: str, *, show_orders: bool) -> list[Block]:
    """A route's answer: its steps' table, the precedence and orders, notes, findings."""
    blocks: list[Block] = []
    if result.steps:
        headers = (
            _words(lang, "步骤", "step"),
            _words(lang, "承办", "actor"),
            _words(lang, "身份", "role"),
            _words(lang, "条文", "article"),
        )
        rows = tuple(
            (
                s.id,
                s.actor,
                result.labels.role_label(s.role, lang) if result.labels else s.role,
                str(s.article),
            )
            for s in result.steps
        )
        title = _words(
            lang, f"公文 {result.document} 的审批步骤", f"Steps for document {result.document}"
        )
        blocks.append(Table(title, headers, rows))
    else:
        blocks.append(Line.of(_words(lang, "没有适用的审批流程。", "No procedure applies.")))
    if show_orders:
        blocks.extend(Line.of(f"  {a} → {b}  ({rule})") for a, b, rule in result.precedence)
        blocks.append(
            Line.of(
                _words(
                    lang,
                    f"有效顺序共 {result.order_count} 种：",
                    f"{result.order_count} valid orders:",
                )
            )
        )
        blocks.extend(
            Line.of(f"  {i}. " + " → ".join(order))
            for i, order in enumerate(result.orders, start=1)
        )
        if len(result.orders) < result.order_count:
            blocks.append(
                Line.of(
                    _words(
                        lang,
                        f"  （仅列出 {len(result.orders)} 种）",
                        f"  (listing {len(result.orders)})",
                    )
                )
            )
    return blocks + _in_force(result, lang) + _findings(result.findings, lang)


def print_route(result: RouteResult, lang: str, *, show_orders: bool) -> None:
    emit(route_blocks(result, lang, show_orders=show_orders))


def _acting(result: LeaveResult, lang: str) -> list[Block]:
    """The acting table: one row per working day a post is vacant and someone acts."""
    if not result.acting:
        return []
    headers = (
        _words(lang, "日期", "date"),
        _words(lang, "岗位", "post"),
        _words(lang, "外出", "away"),
        _words(lang, "代岗", "acting"),
        _words(lang, "条文", "article"),
    )
    labels = result.labels
    rows: list[tuple[str, ...]] = []
    for row in result.acting:
        post = labels.role_label(row["post"], lang) if labels else row["post"]
        article = f"第{row['article']}条" if lang == "zh" else f"art. {row['article']}"
        rows.append((row["date"], post, row["absent"], row["acting"], f"{article} ({row['rule']})"))
    title = _words(lang, "代岗安排（工作日）", "Acting posts (working days)")
    return [Table(title, headers, tuple(rows))]


def print_leave(result: LeaveResult, lang: str) -> None:
    emit(_in_force(result, lang) + _acting(result, lang) + _findings(result.findings, lang))


def print_suggestion(suggestion: Suggestion, lang: str) -> None:
    """The findings before, then the change list with reasons, or why there is none."""
    blocks: list[Block] = []
    before = suggestion.before
    if before.compliant:
        blocks.append(
            Line.of(_words(lang, "安排已合规，无需调整。", "The plan is compliant already."))
        )
    else:
        blocks.append(Line.of(_words(lang, "原安排的问题：", "Findings in the plan as it stands:")))
        blocks.extend(_findings(before.findings, lang))
    if not suggestion.found:
        reason = suggestion.reason(lang) if suggestion.reason else ""
        blocks.append(
            Line((Span(_words(lang, "无法修正", "No repair"), "red"), Span(f": {reason}")))
        )
        emit(blocks)
        return
    if suggestion.changes:
        blocks.append(
            Line.of(
                _words(
                    lang,
                    f"建议调整（移动缺勤共 {suggestion.days_moved} 天，"
                    f"涉及 {suggestion.people_moved} 人；"
                    f"每项缺勤最多前后移动 {suggestion.window} 天）：",
                    f"Suggested changes ({suggestion.days_moved} vacation days moved, "
                    f"{suggestion.people_moved} people; each vacation within "
                    f"{suggestion.window} days either way):",
                )
            )
        )
        for n, change in enumerate(suggestion.changes, start=1):
            blocks.append(Line.of(f"  {n}. {change.sentence(lang)}"))
            blocks.append(Line.of(f"     {_words(lang, '理由', 'why')}: {change.reason(lang)}"))
    after = suggestion.after
    if after is not None:
        blocks.append(
            Line.of(
                _words(lang, "调整后的安排经复核合规。", "The repaired plan re-checks compliant.")
            )
        )
        warnings = [f for f in after.findings if f.severity == "warning"]
        if warnings:
            blocks.extend(_findings(warnings, lang))
    emit(blocks)


def print_explanations(data: list[dict[str, Any]], lang: str) -> None:
    """Each subject, then its reasons (rule, place, statement, facts), then the articles."""
    blocks: list[Block] = []
    for item in data:
        head = _words(lang, "为什么", "Why")
        blocks.append(Line.of(f"{head} {item['id']}: {item['summary']}", "bold"))
        shown: set[str] = set()
        for reason in item["because"]:
            article = _words(lang, f"第{reason['article']}条", f"article {reason['article']}")
            blocks.append(
                Line.of(f"  · {article} ({reason['rule']}, {reason['source']}): {reason['says']}")
            )
            if reason["rule"] not in shown:  # a rule's text once per explanation
                shown.add(reason["rule"])
                blocks.append(Line.of(f"      {reason['statement']}"))
            if reason.get("interpretation"):
                interp = reason["interpretation"]
                state = _words(
                    lang,
                    "开启" if interp["enabled"] else "关闭",
                    "on" if interp["enabled"] else "off",
                )
                said = _words(lang, "解释", "interpretation")
                blocks.append(
                    Line.of(f"      {said} {interp['name']} ({state}): {interp['justification']}")
                )
            blocks.extend(Line.of(f"      - {fact}") for fact in reason["facts"])
        for quoted in item["articles"]:
            article = _words(lang, f"第{quoted['article']}条", f"Article {quoted['article']}")
            blocks.append(Line.of(f"  {article}: {quoted['text']}", "dim"))
        blocks.append(Line())
    emit(blocks)


def print_why_not(data: dict[str, Any], lang: str) -> None:
    """The question, the answer, and each minimal set of rules that rules it out."""
    blocks: list[Block] = []
    if data["question"] == "order":
        asked = " → ".join(data["asked"])
        blocks.append(
            Line.of(
                _words(lang, f"问：能否按 {asked} 的先后办理？", f"Q: can the steps go {asked}?")
            )
        )
        if data["possible"]:
            example = " → ".join(data["witness"])
            blocks.append(
                Line.of(_words(lang, f"答：可以，例如 {example}", f"A: yes, e.g. {example}"))
            )
            emit(blocks)
            return
        blocks.append(
            Line.of(
                _words(
                    lang,
                    "答：不能。下列每组规则合在一起就排除了这一顺序（每组都是最小的）：",
                    "A: no. Each set of rules below rules that order out on its own "
                    "(each minimal):",
                )
            )
        )
    else:
        if data["possible"]:
            emit([Line.of(_words(lang, "合规：没有违反的规则。", "Compliant: no rule is broken."))])
            return
        blocks.append(
            Line.of(
                _words(
                    lang,
                    "不合规。下列每组规则各自足以说明问题（每组都是最小的）：",
                    "Not compliant. Each set of rules below is by itself a reason (each minimal):",
                )
            )
        )
    for n, reason in enumerate(data["reasons"], start=1):
        blocks.append(Line.of(_words(lang, f"  原因 {n}：", f"  Reason {n}:")))
        for rule in reason["rules"]:
            article = _words(lang, f"第{rule['article']}条", f"article {rule['article']}")
            blocks.append(
                Line.of(f"    {article} ({rule['rule']}, {rule['source']}): {rule['statement']}")
            )
        blocks.extend(
            Line.of(f"      {pair['before']} → {pair['after']}  ({pair['rule']})")
            for pair in reason["precedence"]
        )
        blocks.extend(Line.of(f"      - {finding['message']}") for finding in reason["findings"])
    for quoted in data["articles"]:
        article = _words(lang, f"第{quoted['article']}条", f"Article {quoted['article']}")
        blocks.append(Line.of(f"  {article}: {quoted['text']}", "dim"))
    emit(blocks)
