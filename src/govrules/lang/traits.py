"""What the engine needs to know of a vocabulary word: its traits (特性).

A policy names its own actions, absence kinds and document conditions; the engine must not
guess from their names what they mean. A word declares the meanings the kernel acts on, so
that an action ends a document, is a read mark, or an absence kind is movable by a repair
come from the policy, not from the engine's code. Each trait has a zh and an en spelling;
the compiled program keeps the en identifier.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TRAITS", "Trait", "trait_by_word", "traits_for"]


@dataclass(frozen=True)
class Trait:
    ident: str  # the identifier the kernel and the input models use
    zh: str
    en: str  # the English keyword (usually the identifier)
    kind: str  # the vocabulary kind it applies to
    meaning_zh: str
    meaning_en: str


TRAITS: tuple[Trait, ...] = (
    Trait(
        "ends",
        "终结",
        "ends",
        "action",
        "完成此行为即办结公文，此后不得再有任何处理",
        "taking this action ends the document: nothing may be done to it afterwards",
    ),
    Trait(
        "read_mark",
        "阅知",
        "read_mark",
        "action",
        "只表示已阅（阅知），不是处理行为，也不是明确意见",
        "a read mark (circling): neither an act on the document nor an explicit opinion",
    ),
    Trait(
        "opinion",
        "意见",
        "opinion",
        "action",
        "出具意见的行为：某人须以此类中一种行为完成的步骤，可由其本人以此类另一行为完成"
        "（须带明确意见，且该行为本身不是本文的步骤）；条文对同一环节用词不一",
        "an act stating its actor's opinion: a step calling for one such act by a person is "
        "met by that person's act of another such kind (carrying an explicit opinion, and "
        "not itself a step of the document); the text names one act differently by article",
    ),
    Trait(
        "movable",
        "可调整",
        "movable",
        "absence",
        "修复建议可以调整此类缺勤的日期",
        "a repair may move absences of this kind",
    ),
    Trait(
        "backup_post",
        "备岗",
        "backup_post",
        "relation",
        "由组织文件中人员的 backup 键给出（备岗关系）",
        "given by the organisation file's `backup` key of each person (an A/B post partner)",
    ),
    Trait(
        "post",
        "职务",
        "post",
        "role",
        "一种职务：一人只任一个职务（党内职务等可兼任）",
        "a post: a person holds one post at most (party roles and the like combine with it)",
    ),
    Trait(
        "single",
        "唯一",
        "single",
        "role",
        "只有一人担任",
        "held by one person only",
    ),
    Trait(
        "named",
        "须名义",
        "named",
        "document",
        "此类公文须写明以谁的名义行文（in_name_of）；其他类别不得写",
        "documents of this kind name in whose name they are issued (in_name_of); others may not",
    ),
    Trait(
        "several_fields",
        "多领域",
        "several_fields",
        "flag",
        "公文涉及一个以上领域时自动成立，不由输入给出",
        "holds by itself when the document has more than one field; not given in inputs",
    ),
    Trait(
        "person",
        "人员",
        "person",
        "flag",
        "取值为组织中的一人（如 leader: 某人），给出即成立",
        "its value is a person of the organisation (e.g. leader: NAME); holds when given",
    ),
    Trait(
        "role_value",
        "角色取值",
        "role_value",
        "flag",
        "取值为一个角色（如 某条件: 某角色）；同时成立条件「标识符_角色」",
        "its value is a role (e.g. COND: ROLE); the condition IDENT_ROLE holds too",
    ),
    Trait(
        "units",
        "单位列表",
        "units",
        "flag",
        "取值为单位名称的列表（如 某条件: [甲, 乙]），给出即成立；「每个 X」逐一成为步骤的办理者",
        "its value is a list of unit names (e.g. COND: [A, B]); holds when given; "
        "`each X` makes every member the actor of a step",
    ),
    Trait(
        "people",
        "人员列表",
        "people",
        "flag",
        "取值为人员姓名的列表，给出即成立；「每个 X」逐一成为步骤的办理者",
        "its value is a list of people's names; holds when given; `each X` makes every "
        "member the actor of a step",
    ),
    Trait(
        "time_limit",
        "时限",
        "time_limit",
        "flag",
        "取值为日期或日期时间（公文的办理时限），给出即成立",
        "its value is a date or date-time (the document's time limit); holds when given",
    ),
    Trait(
        "by_default",
        "缺省",
        "by_default",
        "matter",
        "计划文件中未写明类别（kind）的事项属于此类",
        "a plan's matter that names no kind (kind:) is of this kind",
    ),
    Trait(
        "by_default",
        "缺省",
        "by_default",
        "meeting",
        "计划文件中未写明类别（meeting）的会议属于此类",
        "a plan's meeting that names no kind (meeting:) is of this kind",
    ),
)

_BY_WORD: dict[tuple[str, str], Trait] = {}
for _trait in TRAITS:
    _BY_WORD[(_trait.kind, _trait.zh)] = _trait
    _BY_WORD[(_trait.kind, _trait.en)] = _trait


def trait_by_word(kind: str, word: str) -> Trait | None:
    """The trait `word` (zh or en) names for a word of vocabulary kind `kind`, if any."""
    return _BY_WORD.get((kind, word))


def traits_for(kind: str) -> tuple[Trait, ...]:
    """Every trait a word of `kind` may declare."""
    return tuple(t for t in TRAITS if t.kind == kind)
