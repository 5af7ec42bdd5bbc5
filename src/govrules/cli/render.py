"""Text answers for people: tables and sentences, in Chinese or English."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: a route does not import the plan modules
    from rich.console import Console

    from govrules.engine import RouteResult
    from govrules.findings import Finding
    from govrules.presence import LeaveResult
    from govrules.repair import Suggestion


def _console() -> Console:
    # rich is imported when text is printed: JSON output never pays for importing it.
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def _words(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def print_findings(console: Console, findings: list[Finding], lang: str) -> None:
    if not findings:
        console.print(_words(lang, "合规：未发现问题。", "Compliant: no findings."))
        return
    for f in findings:
        tag = {
            "violation": _words(lang, "违反", "violation"),
            "warning": _words(lang, "提醒", "warning"),
        }[f.severity]
        article = f.label or (f"第{f.article}条" if lang == "zh" else f"article {f.article}")
        colour = "red" if f.severity == "violation" else "yellow"
        console.print(f"[{colour}]{tag}[/{colour}] {article} ({f.rule}): {f.message(lang)}")


def _in_force(console: Console, result: RouteResult | LeaveResult, lang: str) -> None:
    before = [d for d in result.in_force.dates if d < result.in_force.since]
    if before:
        dates = ", ".join(d.isoformat() for d in before)
        console.print(
            _words(
                lang,
                f"注意：规则自 {result.in_force.since} 起施行，以下日期尚未施行：{dates}",
                f"Note: the rules are in force from {result.in_force.since}; not yet on {dates}",
            )
        )
    for line in result.calendar.lines(lang):
        console.print(line, markup=False)


def print_route(result: RouteResult, lang: str, *, show_orders: bool) -> None:
    from rich.table import Table

    console = _console()
    table = Table(
        title=_words(
            lang, f"公文 {result.document} 的审批步骤", f"Steps for document {result.document}"
        )
    )
    for header in (
        _words(lang, "步骤", "step"),
        _words(lang, "承办", "actor"),
        _words(lang, "身份", "role"),
        _words(lang, "条文", "article"),
    ):
        table.add_column(header)
    for s in result.steps:
        role = result.labels.role_label(s.role, lang) if result.labels else s.role
        table.add_row(s.id, s.actor, role, str(s.article))
    if result.steps:
        console.print(table)
    else:
        console.print(_words(lang, "没有适用的审批流程。", "No procedure applies."))
    if show_orders:
        for a, b, rule in result.precedence:
            console.print(f"  {a} → {b}  ({rule})")
        console.print(
            _words(
                lang, f"有效顺序共 {result.order_count} 种：", f"{result.order_count} valid orders:"
            )
        )
        for i, order in enumerate(result.orders, start=1):
            console.print(f"  {i}. " + " → ".join(order))
        if len(result.orders) < result.order_count:
            console.print(
                _words(
                    lang,
                    f"  （仅列出 {len(result.orders)} 种）",
                    f"  (listing {len(result.orders)})",
                )
            )
    _in_force(console, result, lang)
    print_findings(console, result.findings, lang)


def print_acting(console: Console, result: LeaveResult, lang: str) -> None:
    """The acting table: one row per working day a post is vacant and someone acts."""
    if not result.acting:
        return
    from rich.table import Table

    table = Table(title=_words(lang, "代岗安排（工作日）", "Acting posts (working days)"))
    for header in (
        _words(lang, "日期", "date"),
        _words(lang, "岗位", "post"),
        _words(lang, "外出", "away"),
        _words(lang, "代岗", "acting"),
        _words(lang, "条文", "article"),
    ):
        table.add_column(header)
    labels = result.labels
    for row in result.acting:
        post = labels.role_label(row["post"], lang) if labels else row["post"]
        article = f"第{row['article']}条" if lang == "zh" else f"art. {row['article']}"
        table.add_row(row["date"], post, row["absent"], row["acting"], f"{article} ({row['rule']})")
    console.print(table)


def print_leave(result: LeaveResult, lang: str) -> None:
    console = _console()
    _in_force(console, result, lang)
    print_acting(console, result, lang)
    print_findings(console, result.findings, lang)


def print_suggestion(suggestion: Suggestion, lang: str) -> None:
    """The findings before, then the change list with reasons, or why there is none."""
    console = _console()
    before = suggestion.before
    if before.compliant:
        console.print(_words(lang, "安排已合规，无需调整。", "The plan is compliant already."))
    else:
        console.print(_words(lang, "原安排的问题：", "Findings in the plan as it stands:"))
        print_findings(console, before.findings, lang)
    if not suggestion.found:
        reason = suggestion.reason(lang) if suggestion.reason else ""
        console.print(f"[red]{_words(lang, '无法修正', 'No repair')}[/red]: {reason}")
        return
    if suggestion.changes:
        console.print(
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
        for n, change in enumerate(suggestion.changes, start=1):
            console.print(f"  {n}. {change.sentence(lang)}")
            console.print(f"     {_words(lang, '理由', 'why')}: {change.reason(lang)}")
    after = suggestion.after
    if after is not None:
        console.print(
            _words(lang, "调整后的安排经复核合规。", "The repaired plan re-checks compliant.")
        )
        warnings = [f for f in after.findings if f.severity == "warning"]
        if warnings:
            print_findings(console, warnings, lang)


def print_explanations(data: list[dict[str, Any]], lang: str) -> None:
    """Each subject, then its reasons (rule, place, statement, facts), then the articles."""
    console = _console()
    for item in data:
        head = _words(lang, "为什么", "Why")
        console.print(f"{head} {item['id']}: {item['summary']}", markup=False, style="bold")
        shown: set[str] = set()
        for reason in item["because"]:
            article = _words(lang, f"第{reason['article']}条", f"article {reason['article']}")
            console.print(
                f"  · {article} ({reason['rule']}, {reason['source']}): {reason['says']}",
                markup=False,
            )
            if reason["rule"] not in shown:  # a rule's text once per explanation
                shown.add(reason["rule"])
                console.print(f"      {reason['statement']}", markup=False)
            if reason.get("interpretation"):
                interp = reason["interpretation"]
                state = _words(
                    lang,
                    "开启" if interp["enabled"] else "关闭",
                    "on" if interp["enabled"] else "off",
                )
                said = _words(lang, "解释", "interpretation")
                console.print(
                    f"      {said} {interp['name']} ({state}): {interp['justification']}",
                    markup=False,
                )
            for fact in reason["facts"]:
                console.print(f"      - {fact}", markup=False)
        for quoted in item["articles"]:
            article = _words(lang, f"第{quoted['article']}条", f"Article {quoted['article']}")
            console.print(f"  {article}: {quoted['text']}", markup=False, style="dim")
        console.print()


def print_why_not(data: dict[str, Any], lang: str) -> None:
    """The question, the answer, and each minimal set of rules that rules it out."""
    console = _console()
    if data["question"] == "order":
        asked = " → ".join(data["asked"])
        console.print(
            _words(lang, f"问：能否按 {asked} 的先后办理？", f"Q: can the steps go {asked}?"),
            markup=False,
        )
        if data["possible"]:
            example = " → ".join(data["witness"])
            console.print(_words(lang, f"答：可以，例如 {example}", f"A: yes, e.g. {example}"))
            return
        console.print(
            _words(
                lang,
                "答：不能。下列每组规则合在一起就排除了这一顺序（每组都是最小的）：",
                "A: no. Each set of rules below rules that order out on its own (each minimal):",
            )
        )
    else:
        if data["possible"]:
            console.print(_words(lang, "合规：没有违反的规则。", "Compliant: no rule is broken."))
            return
        console.print(
            _words(
                lang,
                "不合规。下列每组规则各自足以说明问题（每组都是最小的）：",
                "Not compliant. Each set of rules below is by itself a reason (each minimal):",
            )
        )
    for n, reason in enumerate(data["reasons"], start=1):
        console.print(_words(lang, f"  原因 {n}：", f"  Reason {n}:"))
        for rule in reason["rules"]:
            article = _words(lang, f"第{rule['article']}条", f"article {rule['article']}")
            console.print(
                f"    {article} ({rule['rule']}, {rule['source']}): {rule['statement']}",
                markup=False,
            )
        for pair in reason["precedence"]:
            console.print(f"      {pair['before']} → {pair['after']}  ({pair['rule']})")
        for finding in reason["findings"]:
            console.print(f"      - {finding['message']}", markup=False)
    for quoted in data["articles"]:
        article = _words(lang, f"第{quoted['article']}条", f"Article {quoted['article']}")
        console.print(f"  {article}: {quoted['text']}", markup=False, style="dim")
