"""The keyword table: one entry per keyword, one spelling per surface language.

As in Catala, one grammar serves every language: `grammar/govrules.lark` names keywords
as `@NAME` and this table fills in the spellings. The formatter reads the same table to
print a rule file in either language, so the two surfaces cannot drift apart.

A spelling of several words is a regular expression (whitespace between the words is
free, and it must end at a word boundary so that it never bites the head off a longer
identifier); a one-word spelling is a literal that Lark only takes when a whole
identifier equals it, which keeps CJK identifiers such as 与会人员 from being split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["KEYWORDS", "LANGS", "Keyword", "spelling"]

LANGS = ("zh", "en")


@dataclass(frozen=True)
class Keyword:
    name: str
    zh: str | None
    en: str | None

    def words(self, lang: str) -> str | None:
        return self.zh if lang == "zh" else self.en


def _kw(name: str, zh: str | None, en: str | None) -> Keyword:
    return Keyword(name, zh, en)


KEYWORDS: tuple[Keyword, ...] = (
    _kw("VOCAB", "词汇", "vocabulary"),
    _kw("ROLE", "角色", "role"),
    _kw("UNIT", "单位", "unit"),
    _kw("ACTION", "行为", "action"),
    _kw("ABSENCE", "缺勤", "absence"),
    _kw("DOCKIND", "公文", "document"),
    _kw("NAMEOF", "名义", "name"),
    _kw("FLAG", "条件", "condition"),
    _kw("RELATION", "关系", "relation"),
    _kw("PROCEDURE", "流程", "procedure"),
    _kw("TRAITS", "特性", "traits"),
    _kw("INTERP", "解释", "interpretation"),
    _kw("DEFAULT", "默认", "default"),
    _kw("ENABLED", "开启", "enabled"),
    _kw("DISABLED", "关闭", "disabled"),
    _kw("RULE", "规则", "rule"),
    _kw("LABELLED", "条文", None),
    _kw("UNDER", "依", "under"),
    _kw("UNLESS", "除非", "unless"),
    _kw("DEFINE", "定义", "define"),
    _kw("OF_ZH", "的", None),
    _kw("OF_EN", None, "of"),
    _kw("IS", "是", "is"),
    _kw("NOT", "非", "not"),
    _kw("ALSO", "且", "and"),
    _kw("AND", "与", "and"),
    _kw("AND_ZH", "与", None),
    _kw("OR", "或", "or"),
    _kw("COVERS_LEAD", "分管 主办领域", "covers the lead field"),
    _kw("COVERS_FIELD", "分管 公文领域", "covers a field of the document"),
    _kw("SHARES_ZH", "有 共同领域", None),
    _kw("SHARES_EN", None, "shares a field with"),
    _kw("DESIGNATED_ZH", "指定汇报对象", None),
    _kw("DESIGNATED_EN", None, "is a designated superior of"),
    _kw("NO_DESIGNATED", "无 指定汇报对象", "has no designated superior"),
    _kw("APPLIES", "适用 于", "applies to"),
    _kw("NAME_IS", "名义 为", "name is"),
    _kw("IN_ZH", "中", None),
    _kw("IN_PROCEDURE", None, "in procedure"),
    _kw("BEFORE", "先于", "before"),
    _kw("ALSO_APPLIES", "也 适用 于", "also applies to"),
    _kw("THEN", "然后", "then"),
    _kw("IF", "若", "if"),
    _kw("FORBID", "禁止", "forbid"),
    _kw("THEIR", "其", "their"),
    _kw("SAME_TIME", "同时", "at the same time on"),
    _kw("ON", None, "on"),
    _kw("MUST", "应", "must"),
    _kw("IN_PRINCIPLE", "原则上", "in principle"),
    _kw("REPORT_ADVANCE", "事先 报告", "report in advance to"),
    _kw("COMPLETE", "完成", None),
    _kw("AWAY", "外出 时", "is away"),
    _kw("BY", "由", None),
    _kw("ACTS", "主持工作", "acts"),
    _kw("MEETING", "会议", "meeting"),
    _kw("CONSISTS", None, "consists of"),
    _kw("COMPOSED", "组成", None),
    _kw("GENERALLY", "一般", "generally"),
    _kw("AD_HOC", "临时", "ad hoc"),
    _kw("CALLED_BY", None, "is called by"),
    _kw("CALLS", "决定 召开", None),
    _kw("WHEN_NECESSARY", "必要时", "when necessary"),
    _kw("MATTER", "事项", "matter"),
    _kw("PROMPTLY", "及时", "promptly"),
    _kw("ASK", "请示", "ask"),
    _kw("REPORT", "报告", "report to"),
    _kw("WITHIN_EN", None, "within"),
    _kw("WORKING_DAYS", None, "working days"),
    _kw("MAY", "有权", "may"),
    _kw("IF_ANY", "如有", "if any"),
    _kw("NEEDS_OPINION", "须 有 明确意见", "require an explicit opinion"),
    _kw("EXPLAIN_UNADOPTED", "须 说明 未采纳的意见", "must explain opinions not adopted"),
    _kw("DRAFTS", "起草 本文", "drafts the document"),
    _kw("SERVES", "联系", "serves"),
    _kw("NAMED_ZH", "公文所指", None),
    _kw("PERSON_ZH", "之人", None),
    _kw("NAMED_EN", None, "the person the document names as"),
    _kw("DID", "曾", "did"),
    _kw("NOBODY_ZH", "无人为", None),
    _kw("NOBODY_EN", None, "nobody is"),
    _kw("AFTER_ZH", "后", None),
    _kw("AFTER_EN", None, "after"),
    _kw("AGAIN_ZH", "再", None),
    _kw("AGAIN_EN", None, "again"),
    _kw("DAY_MODEL", "缺勤 按 工作日 计", "absences count working days"),
    _kw("ACTING_POWERS", "代岗者 行使 被代者 职权", "whoever acts holds the powers of the post"),
    _kw("MATTER_ANY_ONE", "请示、报告 其中 一人 即可", "without a field go to any one of them"),
    _kw(
        "FIRST_DAY", "首个工作日 报告 视为 事先", "a report on the first working day is in advance"
    ),
    # Statement forms for documents (the second regulation, issue 13).
    _kw("ONE_OF_ZH", "之一", None),
    _kw("ONE_OF_EN", None, "one of"),
    _kw("ANY", "任何", "any"),
    _kw("COUNTS_AS", "视为 同意", "counts as consent"),
    _kw("EACH", "每个", "each"),
    _kw("SAME_ZH", "原", None),
    _kw("ACTOR_ZH", "者", None),
    _kw("SAME_EN", None, "the same"),
    _kw("ACTOR_EN", None, "actor"),
    _kw("REQUIRES", "须 有", "require"),
    _kw("IN_DOC_ZH", "在 公文 的", None),
    _kw("WITHIN_DOC_ZH", "内", None),
    _kw("WITHIN_DOC_EN", None, "within the document's"),
    _kw("DOCUMENTS_EN", None, "documents"),
    _kw("HOURS_EN", None, "hours"),
    # presence forms over declared words (meetings and matters of any declared kind, reports
    # to a unit, conditions on an absence's length)
    _kw("NO_FIELD", "未注明领域 的", None),
    _kw("HELD", None, "is held"),
    _kw("ONCE", None, "once"),
    _kw("TIMES", None, "times"),
    _kw("A_MONTH", None, "a month"),
    _kw("A_WEEK", None, "a week"),
    _kw("LONGER_EN", None, "longer than"),
    _kw("SPECIFY", "明确", "specify"),
    _kw("RESPONSIBLE", "责任人", "a responsible person"),
    _kw("DEADLINE_WORD", "完成时限", "a deadline"),
    _kw(
        "UNIT_MEMBERS",
        "向 单位 任一 成员 报告 视为 向 该单位 报告",
        "a report to any member of a unit is a report to the unit",
    ),
)

_BY_NAME = {k.name: k for k in KEYWORDS}


def spelling(name: str, lang: str) -> str:
    """How keyword `name` is written in `lang` (the canonical form the formatter prints)."""
    words = _BY_NAME[name].words(lang)
    if words is None:
        raise KeyError(f"keyword {name} has no {lang} spelling")
    return words


def _pattern(words: str, lang: str) -> str:
    parts = [re.escape(w) for w in words.split(" ")]
    gap = r"\s*" if lang == "zh" else r"\s+"
    return gap.join(parts) + r"(?!\w)"


def grammar_definitions() -> tuple[dict[str, str], list[str]]:
    """For each keyword, the grammar expression replacing `@NAME`, plus terminal definitions.

    One-word spellings become inline literals; several words become a named terminal
    with priority 2, tried before identifiers.
    """
    expressions: dict[str, str] = {}
    terminals: list[str] = []
    for kw in KEYWORDS:
        alternatives: list[str] = []
        for lang in LANGS:
            words = kw.words(lang)
            if words is None:
                continue
            if " " in words:
                terminal = f"_KW_{kw.name}_{lang.upper()}"
                pattern = _pattern(words, lang).replace("/", r"\/")
                flags = "i" if lang == "en" else ""
                terminals.append(f"{terminal}.2: /{pattern}/{flags}")
                alternatives.append(terminal)
            else:
                alternatives.append('"' + words + '"' + ("i" if lang == "en" else ""))
        expressions[kw.name] = "(" + " | ".join(alternatives) + ")"
    return expressions, terminals
