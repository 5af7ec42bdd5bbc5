"""The policy's own text: its metadata and the restored articles, one unit per article.

Restored characters are marked ⟦…⟧ in the stored text, so that an auditor can see each
restoration against the damaged original; `Article.text()` shows or hides the marks.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from govrules.errors import (
    Bilingual,
    InputError,
    Location,
    PolicyError,
    has_control,
    printable,
)
from govrules.policy_files import checked_file

__all__ = [
    "Article",
    "Chapter",
    "PolicyText",
    "Restoration",
    "article_labels",
    "example_org_file",
    "load_policy_text",
]

_MARK = re.compile(r"⟦([^⟧]*)⟧")
# not_retrieved: the article exists but no verbatim copy of its text was found.
KINDS = ("normative", "declarative", "not_normative", "not_retrieved")


@dataclass(frozen=True)
class Restoration:
    kind: str
    added: str
    where: str
    why: str
    certainty: str  # certain | probable | guess
    count: int = 1


@dataclass(frozen=True)
class Chapter:
    number: int
    marked_title: str
    title_en: str
    restorations: tuple[Restoration, ...]

    def title(self, show_restorations: bool = False) -> str:
        return self.marked_title if show_restorations else _MARK.sub(r"\1", self.marked_title)


@dataclass(frozen=True)
class Article:
    number: int  # its place, 1..N: the order of articles
    chapter: int
    seed_label: str
    marked_text: str
    text_en: str
    kind: str
    reason: Bilingual
    restorations: tuple[Restoration, ...]
    label: str | None = None  # its own numbering (第一条, 一、, （一）, 附则), when it has one
    source: str = ""  # where the text was copied from (a URL), when the policy says
    # How the engine enforces an article no rule file states (article 45: the in-force date
    # of policy.toml); empty when its rules say it.
    enforced_by: Bilingual = field(default_factory=lambda: Bilingual("", ""))

    def heading(self, lang: str = "zh") -> str:
        """How the article is cited: its label, else 第N条 / article N."""
        if self.label is not None:
            return self.label
        return f"第{self.number}条" if lang == "zh" else f"article {self.number}"

    def text(self, show_restorations: bool = False) -> str:
        return self.marked_text if show_restorations else _MARK.sub(r"\1", self.marked_text)

    def damaged_text(self) -> str:
        """The text as scraped: the restored parts taken out again."""
        return _MARK.sub("", self.marked_text)


@dataclass(frozen=True)
class PolicyText:
    ident: str
    title: Bilingual
    document_number: str
    issuer: Bilingual
    approved_by: Bilingual
    issued: date
    in_force_from: date
    chapters: tuple[Chapter, ...]
    articles: tuple[Article, ...]
    # Opinions that only record reading (阅, ○ …): not an explicit opinion. The policy's
    # words (policy.toml `read_marks`), compared after trimming punctuation, case-folded.
    read_marks: frozenset[str] = frozenset()
    example_org: str | None = None  # policy.toml's example_org, relative to the policy folder

    def article(self, number: int) -> Article | None:
        return next((a for a in self.articles if a.number == number), None)

    def chapter(self, number: int) -> Chapter | None:
        return next((c for c in self.chapters if c.number == number), None)


def _bilingual(table: dict[str, Any]) -> Bilingual:
    return Bilingual(str(table.get("zh", "")), str(table.get("en", "")))


def _restorations(items: list[dict[str, Any]]) -> tuple[Restoration, ...]:
    return tuple(
        Restoration(
            str(r["kind"]),
            str(r["added"]),
            str(r["where"]),
            str(r["why"]),
            str(r["certainty"]),
            int(r.get("count", 1)),
        )
        for r in items
    )


# Parsed policy TOML by the digest of its bytes: articles.toml is read by the compiler (its
# labels) and by the policy text in one start, and a TOML parse costs 40 times a JSON one.
_PARSED: dict[str, dict[str, Any]] = {}


def _parsed_toml(raw: bytes, use_cache: bool) -> dict[str, Any]:
    """`raw` parsed once per process, and kept in the compiled-policy cache between
    processes when it is plain JSON data (no TOML dates: policy.toml is parsed each time).
    Callers only read the result."""
    from govrules.cache import read_entry, write_entry
    from govrules.version import __version__

    name = "toml-" + hashlib.sha256(__version__.encode() + b"\0" + raw).hexdigest()
    found = _PARSED.get(name)
    if found is None:
        cached = read_entry(name, []) if use_cache else None
        found = cached if isinstance(cached, dict) else tomllib.loads(raw.decode("utf-8"))
        if cached is None and use_cache:
            with contextlib.suppress(TypeError):  # a date: not JSON data
                write_entry(name, found)
        if len(_PARSED) < 16:
            _PARSED[name] = found
    return found


def _read_toml(path: Path, use_cache: bool = True) -> dict[str, Any]:
    checked_file(path.parent, path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PolicyError(
            Bilingual("策略目录缺少此文件", "the policy directory lacks this file"),
            Location(str(path)),
            code="policy_file_missing",
        ) from None
    try:
        return _parsed_toml(raw, use_cache)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise PolicyError(
            Bilingual(f"TOML 格式错误：{err}", f"invalid TOML: {err}"),
            Location(str(path)),
            code="policy_toml",
        ) from None


def _read_marks(value: object) -> frozenset[str]:
    """policy.toml's `read_marks`: a list of non-empty texts."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TypeError("read_marks must be a list of non-empty texts")
    return frozenset(v.strip().lower() for v in value)


# The keys of policy.toml, and of its tables: anything else is a misspelling that would
# otherwise be silently ignored.
_POLICY_KEYS: dict[str, frozenset[str] | None] = {
    "id": None,
    "document_number": None,
    "issued": None,
    "in_force_from": None,
    "source": None,
    "read_marks": None,
    "example_org": None,
    "title": frozenset({"zh", "en"}),
    "issuer": frozenset({"zh", "en"}),
    "approved_by": frozenset({"zh", "en"}),
    "notice": frozenset({"zh", "en"}),
}


def _check_policy_keys(meta: dict[str, Any], path: Path) -> None:
    for key, value in meta.items():
        if key not in _POLICY_KEYS:
            where, allowed = printable(key), sorted(_POLICY_KEYS)
        else:
            inner = _POLICY_KEYS[key]
            unknown = sorted(set(value) - inner) if inner and isinstance(value, dict) else []
            if not unknown:
                continue
            where, allowed = f"{key}.{printable(unknown[0])}", sorted(inner or ())
        listed = ", ".join(allowed)
        raise PolicyError(
            Bilingual(
                f"未知的键「{where}」；允许的键：{listed}",
                f"unknown key {where!r}; allowed keys: {listed}",
            ),
            Location(str(path)),
            code="policy_toml",
        )


def _label(article: dict[str, Any]) -> str | None:
    label = article.get("label")
    if label is None:
        return None
    if not isinstance(label, str) or not label.strip() or has_control(label) or '"' in label:
        raise ValueError(f"label of article {article.get('number')}: {label!r}")
    return label


def article_labels(directory: Path, *, use_cache: bool = True) -> dict[int, str]:
    """The labels articles.toml gives its articles (number → label); {} without the file."""
    path = directory / "articles.toml"
    if not path.is_file():
        return {}
    body = _read_toml(path, use_cache)
    try:
        return {
            int(a["number"]): label
            for a in body.get("articles", [])
            if (label := _label(a)) is not None
        }
    except (KeyError, TypeError, ValueError) as err:
        raise PolicyError(
            Bilingual(f"条文编号或标签有误：{err}", f"bad article number or label: {err}"),
            Location(str(path)),
            code="policy_text",
        ) from None


def load_policy_text(directory: Path, *, use_cache: bool = True) -> PolicyText:
    meta = _read_toml(directory / "policy.toml", use_cache)
    _check_policy_keys(meta, directory / "policy.toml")
    body = _read_toml(directory / "articles.toml", use_cache)
    try:
        chapters = tuple(
            Chapter(
                int(c["number"]),
                str(c["title"]),
                str(c.get("title_en", "")),
                _restorations(c.get("restorations", [])),
            )
            for c in body.get("chapters", [])
        )
        articles = tuple(
            Article(
                int(a["number"]),
                int(a["chapter"]),
                str(a.get("seed_label", "")),
                str(a["text"]),
                str(a.get("text_en", "")),
                str(a["kind"]),
                Bilingual(str(a.get("reason", "")), str(a.get("reason_en", ""))),
                _restorations(a.get("restorations", [])),
                _label(a),
                str(a.get("source", "")),
                Bilingual(str(a.get("enforced_by", "")), str(a.get("enforced_by_en", ""))),
            )
            for a in body.get("articles", [])
        )
        text = PolicyText(
            str(meta["id"]),
            _bilingual(meta["title"]),
            str(meta["document_number"]),
            _bilingual(meta["issuer"]),
            _bilingual(meta.get("approved_by", {})),
            meta["issued"],
            meta["in_force_from"],
            chapters,
            articles,
            _read_marks(meta.get("read_marks", [])),
            str(meta["example_org"]) if "example_org" in meta else None,
        )
    except (KeyError, TypeError, ValueError) as err:
        raise PolicyError(
            Bilingual(f"策略文本缺少或有误的字段：{err}", f"missing or invalid field: {err}"),
            Location(str(directory)),
            code="policy_text",
        ) from None
    numbers = [a.number for a in articles]
    if numbers != list(range(1, len(numbers) + 1)):
        raise PolicyError(
            Bilingual("条文编号须从 1 起连续", "articles must be numbered 1, 2, 3, … in order"),
            Location(str(directory / "articles.toml")),
            code="policy_text",
        )
    labels = [a.label for a in articles if a.label is not None]
    if len(labels) != len(set(labels)):
        raise PolicyError(
            Bilingual("条文标签（label）不得重复", "article labels must be unique"),
            Location(str(directory / "articles.toml")),
            code="policy_text",
        )
    for a in articles:
        if a.kind not in KINDS or text.chapter(a.chapter) is None:
            raise PolicyError(
                Bilingual(
                    f"第{a.number}条的类别或所属章有误", f"article {a.number}: bad kind or chapter"
                ),
                Location(str(directory / "articles.toml")),
                code="policy_text",
            )
    return text


def example_org_file(directory: Path, declared: str | None) -> Path:
    """The example organisation a policy declares (policy.toml `example_org`), used when a
    question names none; a policy that declares none needs --org, said clearly."""
    if declared is None:
        raise InputError(
            Bilingual(
                "此策略未声明示例组织（policy.toml 的 example_org）；请用 --org 指定组织文件",
                "this policy declares no example organisation (example_org in policy.toml); "
                "give an organisation file with --org",
            ),
            Location(str(directory / "policy.toml")),
            code="no_org",
        )
    return checked_file(directory, directory / declared)
