"""The policy's vocabulary as the schema of its inputs.

Which document kinds, names of issue, conditions, actions and absence kinds an input may
use is the policy's to say, not the engine's: a second office's policy declares its own
words and its inputs follow them. The engine builds a `Vocabulary` from the compiled
policy; `conform_document` and `conform_plan` check an input against it (by identifier or
by label, in Chinese or English, with did-you-mean) and give it back in identifiers, with
the document's conditions gathered in `flags` and the valued ones in `values`.

Plain data, no solver: this module imports neither clingo nor the compiler.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from govrules.errors import Bilingual
from govrules.inputs.checks import Loc, Problems
from govrules.inputs.messages import did_you_mean
from govrules.inputs.models import Document, DocumentFile, Organisation, Plan
from govrules.inputs.source import Source

__all__ = ["Vocabulary", "Word", "conform_document", "conform_plan"]

# Document keys the engine itself reads; every other key must be a declared condition.
_DOCUMENT_KEYS = frozenset(
    key
    for name, info in Document.model_fields.items()
    for key in (name, info.alias)
    if key is not None and key != "values"
)

_KIND_WORDS = {
    "document": Bilingual("公文类别", "document kind"),
    "name": Bilingual("行文名义", "name of issue"),
    "flag": Bilingual("公文条件", "document condition"),
    "action": Bilingual("行为", "action"),
    "absence": Bilingual("缺勤类别", "absence kind"),
    "role": Bilingual("角色", "role"),
    "meeting": Bilingual("会议类别", "kind of meeting"),
    "matter": Bilingual("事项类别", "kind of matter"),
}


@dataclass(frozen=True)
class Word:
    """One word of the vocabulary: its identifier, labels and traits (特性)."""

    ident: str
    label_zh: str
    label_en: str
    traits: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """Every word a policy declares, by kind (role, action, document, flag, …)."""

    kinds: Mapping[str, tuple[Word, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[tuple[str, Word]]) -> Vocabulary:
        """From (kind, word) pairs in declaration order."""
        kinds: dict[str, list[Word]] = {}
        for kind, word in items:
            kinds.setdefault(kind, []).append(word)
        return cls({k: tuple(v) for k, v in kinds.items()})

    def words(self, kind: str) -> tuple[Word, ...]:
        return tuple(self.kinds.get(kind, ()))

    def find(self, kind: str, value: str) -> Word | None:
        """The word of `kind` that `value` names: its identifier or either label."""
        for word in self.words(kind):
            if value in (word.ident, word.label_zh, word.label_en):
                return word
        return None

    def has_trait(self, kind: str, ident: str, trait: str) -> bool:
        word = self.find(kind, ident)
        return word is not None and trait in word.traits

    def spellings(self, kind: str) -> list[str]:
        """Every way an input may write a word of `kind`: identifiers, then labels."""
        words = self.words(kind)
        return [w.ident for w in words] + [w.label_zh for w in words]


def _listing(vocab: Vocabulary, kind: str) -> Bilingual:
    words = vocab.words(kind)
    return Bilingual(
        "、".join(f"{w.ident}（{w.label_zh}）" for w in words) or "无",
        ", ".join(f"{w.ident} ({w.label_zh})" for w in words) or "none",
    )


def _unknown(problems: Problems, loc: Loc, vocab: Vocabulary, kind: str, value: str) -> None:
    guess = did_you_mean(value, vocab.spellings(kind))
    what = _KIND_WORDS[kind]
    listed = _listing(vocab, kind)
    problems.add(
        loc,
        Bilingual(
            f"未知的{what.zh} '{value}'"
            + (f"，是否应为 '{guess}'？" if guess else "；")
            + f"本政策的{what.zh}：{listed.zh}",
            f"unknown {what.en} '{value}'"
            + (f", did you mean '{guess}'?" if guess else ";")
            + f" the policy's {what.en}s: {listed.en}",
        ),
    )


def _word(problems: Problems, loc: Loc, vocab: Vocabulary, kind: str, value: str) -> str:
    """The identifier `value` names, or `value` itself after recording the problem."""
    word = vocab.find(kind, value)
    if word is None:
        _unknown(problems, loc, vocab, kind, value)
        return value
    return word.ident


def _conditions(
    problems: Problems,
    doc: Document,
    vocab: Vocabulary,
    org: Organisation,
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The conditions that hold of `doc`, and the values of the valued ones."""
    flags: set[str] = set()
    values: list[tuple[str, str]] = list(doc.values)
    for i, given in enumerate(doc.flags):
        word = vocab.find("flag", given)
        if word is None:
            _unknown(problems, ("document", "flags", i), vocab, "flag", given)
        elif "several_fields" in word.traits and len(set(doc.fields)) < 2:
            problems.add(
                ("document", "flags", i),
                Bilingual(
                    f"条件 '{given}' 由公文的领域（fields）得出：公文只有一个领域时不成立",
                    f"the condition '{given}' follows from the document's fields: it does not "
                    "hold of a document with one field",
                ),
            )
        else:
            flags.add(word.ident)
    for key, value in sorted((doc.model_extra or {}).items()):
        loc: Loc = ("document", key)
        word = vocab.find("flag", key)
        if word is None or "several_fields" in word.traits:
            guess = did_you_mean(key, [*vocab.spellings("flag"), *sorted(_DOCUMENT_KEYS)])
            problems.add(
                loc,
                Bilingual(
                    f"未知的键 '{key}'"
                    + (f"，是否应为 '{guess}'？" if guess else "；")
                    + f"公文的键是 {'、'.join(sorted(_DOCUMENT_KEYS))} 与本政策的公文条件："
                    + _listing(vocab, "flag").zh,
                    f"unknown key '{key}'"
                    + (f", did you mean '{guess}'?" if guess else ";")
                    + f" a document's keys are {', '.join(sorted(_DOCUMENT_KEYS))} and the "
                    + "policy's document conditions: "
                    + _listing(vocab, "flag").en,
                ),
            )
            continue
        _condition_value(problems, loc, vocab, org, word, value, flags, values)
    for word in vocab.words("flag"):
        if "several_fields" in word.traits and len(set(doc.fields)) > 1:
            flags.add(word.ident)
    flags.update(cond for cond, _ in values)
    return tuple(sorted(flags)), tuple(sorted(set(values)))


def _condition_value(
    problems: Problems,
    loc: Loc,
    vocab: Vocabulary,
    org: Organisation,
    word: Word,
    value: Any,
    flags: set[str],
    values: list[tuple[str, str]],
) -> None:
    """One condition given as a key: true/false, or a person, a role, a list of names or
    a time limit where declared."""
    if "units" in word.traits or "people" in word.traits:
        members = _members(problems, loc, word, value)
        values.extend((word.ident, m) for m in members)
        if members:
            flags.add(word.ident)
        return
    if "time_limit" in word.traits:
        limit = time_limit_text(value)
        if limit is None:
            problems.add(
                loc,
                Bilingual(
                    f"条件 {word.ident}（{word.label_zh}）的值应为日期或日期时间"
                    f"（如 2024-03-08 或 2024-03-08T17:00），而不是 '{value}'",
                    f"the condition {word.ident} ({word.label_en}) takes a date or date-time "
                    f"(e.g. 2024-03-08 or 2024-03-08T17:00), not '{value}'",
                ),
            )
            return
        values.append((word.ident, limit))
        return
    if "person" in word.traits:
        if not isinstance(value, str) or org.person(value) is None:
            people = "、".join(p.name for p in org.people)
            guess = did_you_mean(str(value), [p.name for p in org.people])
            problems.add(
                loc,
                Bilingual(
                    f"条件 {word.ident}（{word.label_zh}）的值应为本组织的人员，'{value}' 不是"
                    + (f"，是否应为 '{guess}'？" if guess else "；")
                    + f"人员：{people}",
                    f"the condition {word.ident} ({word.label_en}) takes a person of the "
                    f"organisation; '{value}' is not one"
                    + (f", did you mean '{guess}'?" if guess else ";")
                    + f" people: {', '.join(p.name for p in org.people)}",
                ),
            )
            return
        values.append((word.ident, value))
    elif "role_value" in word.traits:
        role = vocab.find("role", value) if isinstance(value, str) else None
        derived = vocab.find("flag", f"{word.ident}_{role.ident}") if role else None
        if role is None or derived is None:
            allowed = [
                w.ident
                for w in vocab.words("role")
                if vocab.find("flag", f"{word.ident}_{w.ident}") is not None
            ]
            problems.add(
                loc,
                Bilingual(
                    f"条件 {word.ident}（{word.label_zh}）的值应为 {'、'.join(allowed)} 之一，"
                    f"而不是 '{value}'",
                    f"the condition {word.ident} ({word.label_en}) takes one of "
                    f"{', '.join(allowed)}, not '{value}'",
                ),
            )
            return
        values.append((word.ident, role.ident))
        flags.add(derived.ident)
    elif isinstance(value, bool):
        if value:
            flags.add(word.ident)
    else:
        problems.add(
            loc,
            Bilingual(
                f"条件 {word.ident}（{word.label_zh}）的值应为 true 或 false，而不是 '{value}'",
                f"the condition {word.ident} ({word.label_en}) takes true or false, not '{value}'",
            ),
        )


def _members(problems: Problems, loc: Loc, word: Word, value: Any) -> list[str]:
    """A list-valued condition's members: non-empty names, each once, in the order given."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        what = ("单位", "units") if "units" in word.traits else ("人员", "people")
        problems.add(
            loc,
            Bilingual(
                f"条件 {word.ident}（{word.label_zh}）的值应为{what[0]}名称的列表"
                f"（如 [甲, 乙]），而不是 '{value}'",
                f"the condition {word.ident} ({word.label_en}) takes a list of {what[1]}' "
                f"names (e.g. [A, B]), not '{value}'",
            ),
        )
        return []
    return list(dict.fromkeys(v.strip() for v in value))


def time_limit_text(value: Any) -> str | None:
    """A time limit as the facts read it, `YYYY-MM-DDTHH:MM`; a date alone is its day's end."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat() + "T23:59"
    if isinstance(value, str):
        try:
            if len(value.strip()) == 10:
                return date.fromisoformat(value.strip()).isoformat() + "T23:59"
            return datetime.fromisoformat(value.strip()).strftime("%Y-%m-%dT%H:%M")
        except ValueError:
            return None
    return None


def conform_document(
    doc: DocumentFile, vocab: Vocabulary, org: Organisation, source: Source
) -> DocumentFile:
    """`doc` checked against the policy's words and given back in identifiers."""
    problems = Problems(source)
    d = doc.document
    kind = _word(problems, ("document", "kind"), vocab, "document", d.kind)
    named = vocab.has_trait("document", kind, "named")
    in_name_of = d.in_name_of
    if in_name_of is not None:
        in_name_of = _word(problems, ("document", "in_name_of"), vocab, "name", in_name_of)
        if not named and vocab.find("document", kind) is not None:
            problems.add(
                ("document", "in_name_of"),
                Bilingual(
                    f"{kind} 类公文没有 in_name_of（以谁的名义行文）；请删除该键",
                    f"a document of kind {kind} has no in_name_of (name of issue); remove the key",
                ),
            )
    elif named:
        problems.add(
            ("document", "in_name_of"),
            Bilingual(
                f"{kind} 类公文必须写明 in_name_of（以谁的名义行文）："
                + _listing(vocab, "name").zh,
                f"a document of kind {kind} needs in_name_of (in whose name it is issued): "
                + _listing(vocab, "name").en,
            ),
        )
    flags, values = _conditions(problems, d, vocab, org)
    actions = [
        _word(problems, ("trace", i, "action"), vocab, "action", event.action)
        for i, event in enumerate(doc.trace)
    ]
    problems.raise_first("input.document")
    document = Document.model_validate(
        {
            **d.model_dump(by_alias=True, exclude=set(d.model_extra or {})),
            "kind": kind,
            "in_name_of": in_name_of,
            "flags": flags,
            "values": values,
        }
    )
    trace = tuple(
        event if event.action == action else event.model_copy(update={"action": action})
        for event, action in zip(doc.trace, actions, strict=True)
    )
    return doc.model_copy(update={"document": document, "trace": trace})


def _kind_of(
    problems: Problems, loc: Loc, vocab: Vocabulary, kind: str, value: str | None
) -> str | None:
    """The declared word of `kind` (会议, 事项) an entry names; left out, the one declared
    `特性 缺省` (by_default), else the policy's only one (an entry of a policy that declares
    none has no kind and no rule judges it)."""
    if value is not None:
        return _word(problems, loc, vocab, kind, value)
    words = vocab.words(kind)
    default = [w for w in words if "by_default" in w.traits]
    if len(default) == 1:
        return default[0].ident
    if len(words) > 1:
        what = _KIND_WORDS[kind]
        listed = _listing(vocab, kind)
        problems.add(
            loc[:-1],
            Bilingual(
                f"本政策有多种{what.zh}，须用 {loc[-1]} 写明是哪一种：{listed.zh}",
                f"the policy declares several {what.en}s; say which one with {loc[-1]}: "
                + listed.en,
            ),
        )
    return words[0].ident if words else None


def conform_plan(plan: Plan, vocab: Vocabulary, source: Source) -> Plan:
    """`plan` with its absence kinds, meeting kinds and matter kinds checked against the
    policy's and given as identifiers (a left-out kind is the policy's only one)."""
    problems = Problems(source)
    kinds = [
        _word(problems, ("absences", i, "kind"), vocab, "absence", absence.kind)
        for i, absence in enumerate(plan.absences)
    ]
    meetings = [
        _kind_of(problems, ("meetings", i, "meeting"), vocab, "meeting", m.meeting)
        for i, m in enumerate(plan.meetings)
    ]
    matters = [
        _kind_of(problems, ("matters", i, "kind"), vocab, "matter", m.kind)
        for i, m in enumerate(plan.matters)
    ]
    problems.raise_first("input.plan")
    absences = tuple(
        a if a.kind == k else a.model_copy(update={"kind": k})
        for a, k in zip(plan.absences, kinds, strict=True)
    )
    held = tuple(
        m if m.meeting == k else m.model_copy(update={"meeting": k})
        for m, k in zip(plan.meetings, meetings, strict=True)
    )
    handled = tuple(
        m if m.kind == k else m.model_copy(update={"kind": k})
        for m, k in zip(plan.matters, matters, strict=True)
    )
    if (absences, held, handled) == (plan.absences, plan.meetings, plan.matters):
        return plan
    return plan.model_copy(update={"absences": absences, "meetings": held, "matters": handled})
