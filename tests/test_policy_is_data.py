"""A policy is data: the engine (src/) names none of the bundled policy's words.

Every label of the bundled vocabulary's roles, units, relations, document kinds, names of
issue, conditions and procedures (区长, 发文 …) and every identifier that cannot be an
ordinary English word or Python name (office_director, cross_field …) is searched for in
the engine's source and its kernel. (Action and absence labels such as 审核 or 休假 are
also plain Chinese words; their identifiers are checked where they have an underscore.)
A second office's policy must be able to say everything the first one says without the
engine knowing either.
"""

from __future__ import annotations

import re
from pathlib import Path

import govrules

SRC = Path(govrules.__file__).resolve().parent


def _words() -> set[str]:
    words: set[str] = set()
    for item in govrules.load_policy().program.vocabulary:
        if len(item.label_zh) >= 2 and item.kind not in ("action", "absence"):
            words.add(item.label_zh)
        if "_" in item.ident:
            words.add(item.ident)
        if item.kind in ("meeting", "matter"):  # presence words, in both languages
            words.update((item.ident, item.label_en))
        if item.kind in ("role", "unit"):  # who the engine may never name, in English too
            words.update((item.ident, item.label_en.removeprefix("the ")))
    return words


def _engine_files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*") if p.suffix in (".py", ".lp", ".lark"))


def test_the_engine_names_none_of_the_bundled_policy_s_words() -> None:
    words = _words()
    assert {"office_director", "区长", "cross_field"} <= words  # the search is not empty
    assert {"mayor", "vice-mayor", "secretariat", "leader liaison"} <= words
    assert {"碰头会议", "briefing", "重要事项", "important_matters", "important matter"} <= words
    # English words whole ("mayor", not inside "mayoral"), in any case; Chinese labels anywhere.
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    pattern = re.compile(rf"(?<![A-Za-z0-9_-])(?:{alternatives})(?![A-Za-z0-9_-])", re.IGNORECASE)
    found = []
    for path in _engine_files():
        if "_data" in path.parts:  # the bundled policy itself, in an installed wheel
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in pattern.finditer(line):
                found.append(f"{path.relative_to(SRC.parents[1])}:{number}: {match.group()}")
    assert found == []
