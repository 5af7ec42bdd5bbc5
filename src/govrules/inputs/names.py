"""Names that look like something else: warned about, as Cedar warns about identifiers.

Names are data and reach the solver only as strings, so none of this is a security hole in
govrules itself; but a person called `Аlice` (Cyrillic А) is not `Alice`, a right-to-left
override can make a name display as another, and two names that look alike make a trace
entry point at the wrong person for a human reader. Such names are accepted, with a
warning (`InputWarning`) naming the file, line and field.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import warnings
from collections.abc import Iterator

from govrules.errors import Bilingual, InputWarning, Location
from govrules.inputs.models import Organisation
from govrules.inputs.source import Source

__all__ = ["name_notes", "name_warnings", "skeleton", "warn_names"]

Loc = tuple[str | int, ...]

# Letters of other alphabets that look like Latin ones (a small table of UTS #39's
# confusables: the ones a keyboard in another layout produces).
_LOOKALIKE = str.maketrans(
    {
        **dict(zip("аеорсухіјѕԁһӏԛԝ", "aeopcyxijsdhlqw", strict=True)),
        **dict(zip("АВЕКМНОРСТХІЈЅ", "ABEKMHOPCTXIJS", strict=True)),
        **dict(zip("αορνκτιυχ", "aopvktiux", strict=True)),
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),
    }
)
_ALPHABETS = {"LATIN", "CYRILLIC", "GREEK"}
# Names of printable ASCII and the CJK unified ideographs of Unicode 1.1 only, as nearly
# all of an office's are: nothing invisible, nothing NFKC changes, scripts read off without
# a look-up per character. A year's organisation has more names than the caches below hold.
_COMMON = re.compile(r"[\x20-\x7e\u4e00-\u9fa5]*").fullmatch
_ASCII_LETTER = re.compile(r"[A-Za-z]").search
_CJK = re.compile(r"[\u4e00-\u9fa5]").search
# The scripts of such a name, by whether it has an ideograph and whether a Latin letter.
_COMMON_SCRIPTS = {
    (cjk, latin): frozenset({"CJK"} if cjk else ()) | frozenset({"LATIN"} if latin else ())
    for cjk in (False, True)
    for latin in (False, True)
}


# Worked out once per name: a service is sent the same organisation with every question,
# and looking up each character's Unicode name is most of a warm check's reading of it.
@functools.lru_cache(maxsize=8192)
def _invisible(name: str) -> tuple[str, ...]:
    """Format characters (bidi controls, zero-width marks, BOM): they change how a name
    displays without showing themselves."""
    return () if _COMMON(name) else _invisible_by_character(name)


def _invisible_by_character(name: str) -> tuple[str, ...]:
    return tuple(c for c in name if unicodedata.category(c) == "Cf")


@functools.lru_cache(maxsize=8192)
def _scripts(name: str) -> frozenset[str]:
    if _COMMON(name):
        return _COMMON_SCRIPTS[bool(_CJK(name)), bool(_ASCII_LETTER(name))]
    return _scripts_by_character(name)


def _scripts_by_character(name: str) -> frozenset[str]:
    found = set()
    for c in name:
        if unicodedata.category(c).startswith("L"):
            word = unicodedata.name(c, "UNKNOWN").split(" ")[0]
            found.add("CJK" if word in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL") else word)
    return frozenset(found)


@functools.lru_cache(maxsize=8192)
def skeleton(name: str) -> str:
    """What a name looks like: compatibility forms folded (full-width Ｘ is X), case folded,
    lookalike letters of other alphabets mapped to Latin, invisible characters dropped."""
    return name.casefold() if _COMMON(name) else _skeleton_by_character(name)


def _skeleton_by_character(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).translate(_LOOKALIKE)
    return "".join(c for c in folded if unicodedata.category(c) != "Cf").casefold()


def _names(org: Organisation) -> Iterator[tuple[Loc, str]]:
    for i, person in enumerate(org.people):
        yield ("people", i, "name"), person.name
        for j, field in enumerate(person.fields):
            yield ("people", i, "fields", j), field
    for uid, shown in org.units.items():
        yield ("units", uid), uid
        yield ("units", uid), shown


def name_warnings(org: Organisation) -> list[tuple[Loc, Bilingual]]:
    """Every suspicious name of `org`, with where it is."""
    out: list[tuple[Loc, Bilingual]] = []
    for loc, name in _names(org):
        hidden = _invisible(name)
        if hidden:
            codes = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip() for c in hidden)
            out.append(
                (
                    loc,
                    Bilingual(
                        f"名称 {name!r} 含有不可见字符（{codes}），显示出来可能与实际不同",
                        f"the name {name!r} contains invisible characters ({codes}); it may "
                        "display as something it is not",
                    ),
                )
            )
        scripts = _scripts(name)
        alphabets = scripts & _ALPHABETS
        if len(alphabets) > 1 or (alphabets - {"LATIN"} and len(scripts) > 1):
            listed = ", ".join(sorted(scripts))
            out.append(
                (
                    loc,
                    Bilingual(
                        f"名称 {name!r} 混用多种文字（{listed}），其中的字母可能是形近字",
                        f"the name {name!r} mixes scripts ({listed}); some of its letters may "
                        "be lookalikes",
                    ),
                )
            )
    # A unit's id and its display name name one actor: they may look alike.
    people = [(("people", i, "name"), f"p{i}", p.name) for i, p in enumerate(org.people)]
    units = [
        (("units", uid), f"u{uid}", n) for uid, shown in org.units.items() for n in (uid, shown)
    ]
    seen: dict[str, tuple[str, str]] = {}
    for loc, owner, name in people + units:
        key = skeleton(name)
        if key in seen and seen[key][0] != owner and seen[key][1] != name:
            other = seen[key][1]
            out.append(
                (
                    loc,
                    Bilingual(
                        f"名称 {name!r} 与 {other!r} 看起来相同，处理记录中容易混淆",
                        f"the name {name!r} looks like {other!r}; a reader of a trace can "
                        "mistake one for the other",
                    ),
                )
            )
        seen.setdefault(key, (owner, name))
    return out


def name_notes(org: Organisation, source: Source) -> list[tuple[Bilingual, Location]]:
    """What to warn about each suspicious name and where (its line and field), in line
    order: a new `InputWarning` is made of each whenever it is issued."""
    found = name_warnings(org)
    found.sort(key=lambda item: source.locate(item[0])[0] or 0)
    return [(message, source.location(loc)) for loc, message in found]


def warn_names(org: Organisation, source: Source) -> None:
    """Issue one `InputWarning` per suspicious name, pointing at its line and field."""
    for message, where in name_notes(org, source):
        warnings.warn(InputWarning(message, where), stacklevel=3)
