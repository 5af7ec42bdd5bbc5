"""YAML read by libyaml (PyYAML's C parser) straight into plain data, or declined.

ruamel's round-trip reader is pure Python and keeps a position for every key and item:
about 0.1 ms and 1 KB a value, most of a cold start and most of reading a year's plan.
Positions are needed only when a message points into the file, so a file is first read
here, from libyaml's event stream, into plain dicts, lists and scalars; `Source` parses the
round-trip tree only if a message later asks where something is.

This reader must never give data the round-trip reader would not. It gives an answer only
for the part of YAML whose meaning it is sure of, and declines (`Declined`) everything
else, which is then read by ruamel exactly as before (with its error messages):

* explicit tags, anchors and aliases, directives, block scalars (`|`, `>`), an explicit
  document end (`...`), more or fewer than one document, a document that is not a
  non-empty mapping;
* complex or duplicate keys, a pair in a flow sequence without braces, nesting deeper
  than half the round-trip reader's bound, more values than its budget;
* a plain scalar that YAML might resolve as anything but text, a whole number in
  decimal, true/false or null (floats, octal, hex, `.inf`, `<<` …);
* tabs, byte-order marks and YAML 1.1's extra line breaks anywhere in the text, and
  anything libyaml rejects.

Where ruamel itself fails (not a YAML error: its round-trip comment handling raises
NotImplementedError on `a: #` followed by the value on the next line), this reader's
answer, YAML's reading, stands; such a file's messages name no line.

`tests/test_libyaml_reader.py` holds the two readers equal on generated YAML.
"""

from __future__ import annotations

import re
from typing import Any

from govrules import clock
from govrules.errors import Bilingual

__all__ = ["AVAILABLE", "Declined", "read_plain"]

try:  # PyYAML's binding of libyaml; a pure-Python install reads with ruamel alone
    from yaml import YAMLError
    from yaml._yaml import CParser
    from yaml.events import (
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
        StreamStartEvent,
    )

    AVAILABLE = True
except ImportError:  # pragma: no cover - depends on the installation
    AVAILABLE = False


class Declined(Exception):
    """Not read here: the caller reads the text with the round-trip reader."""


# Plain scalars YAML 1.2's core schema resolves to null and booleans (ruamel's resolver).
_WORDS: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
# A plain scalar starting with one of these may be a number, an infinity, a merge key …
_MAYBE_SPECIAL = frozenset("-+.0123456789<=~")
# Decimal whole numbers as ruamel reads them (no leading zeros: 012 is octal-ish there).
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
# A superset of every other number form of YAML 1.2 and 1.1 (floats, exponents, octal,
# hex, binary, underscores, sexagesimal, .inf, .nan): declined. Text that only starts with
# a digit (2021-10-08, 3月6日, ../people.yaml) is text to the round-trip reader, which is told
# to keep timestamps as text too (`syntax`).
_NUMBER_LIKE = re.compile(
    r"[-+]?(?:0[xXoObB][0-9a-fA-F_]*|[0-9_.:]*(?:[eE][-+]?[0-9_]*)?"
    r"|\.(?:inf|Inf|INF|nan|NaN|NAN))"
)
# Deeper than this is left to the round-trip reader, which bounds depth with a message.
_MAX_DEPTH = 32
# Characters the two readers treat differently: ruamel refuses some tabs libyaml takes as
# spaces; libyaml drops a byte-order mark anywhere, ruamel keeps it in the text; libyaml
# breaks lines at NEL and the Unicode separators (YAML 1.1), ruamel does not everywhere.
# Lone surrogates (from Python callers: files are decoded strictly) cannot reach libyaml.
_DIFFERING = re.compile("[\t\ufeff\x85\u2028\u2029\ud800-\udfff]")
# Literal and folded block scalars: ruamel refuses some blank lines and comments around
# their headers that libyaml reads.
_BLOCK = frozenset("|>")
_MISSING = object()
_NO_KEY = object()


def _plain_scalar(value: str) -> Any:
    word = _WORDS.get(value, _MISSING)
    if word is not _MISSING:
        return word
    if value[0] in _MAYBE_SPECIAL:
        if _DECIMAL.fullmatch(value):
            if len(value) > 4000:  # past Python's int-from-text limit (4,300 digits)
                raise Declined
            return int(value)
        if value[0] in "<=~" or _NUMBER_LIKE.fullmatch(value):
            raise Declined
    return value


def read_plain(text: str, budget: int) -> tuple[dict[str, Any], int]:
    """The data of `text` as plain Python (a non-empty mapping of dicts, lists, texts,
    whole numbers, booleans and None, nested at most _MAX_DEPTH deep) and how many values
    it read (keys, items and scalars), or `Declined`. `budget` values or more are declined,
    for the round-trip reader to refuse with a position."""
    if not AVAILABLE or _DIFFERING.search(text):
        raise Declined
    parser = CParser(text)
    try:
        return _compose(parser, budget, text)
    except YAMLError:
        raise Declined from None
    finally:
        parser.dispose()


def _compose(parser: Any, budget: int, text: str) -> tuple[dict[str, Any], int]:
    get = parser.get_event
    if type(get()) is not StreamStartEvent:
        raise Declined
    start = get()
    if type(start) is not DocumentStartEvent or start.version is not None or start.tags:
        raise Declined  # an empty stream, or %YAML / %TAG directives
    stack: list[list[Any]] = []  # [container, pending key, flow?] per open collection
    nodes = 0
    root: Any = _MISSING
    while root is _MISSING:
        event = get()
        kind = type(event)
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            container = stack.pop()[0]
            if not stack:
                root = container
            continue
        nodes += 1
        if nodes >= budget:
            raise Declined
        if not nodes & 1023:
            clock.check(Bilingual("读取输入", "reading the inputs"))
        if kind is ScalarEvent:
            if event.tag is not None or event.anchor is not None or event.style in _BLOCK:
                raise Declined
            value = _plain_scalar(event.value) if event.implicit[0] else event.value
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.tag is not None or event.anchor is not None or len(stack) >= _MAX_DEPTH:
                raise Declined
            value = {} if kind is MappingStartEvent else []
        else:
            raise Declined  # an alias
        flow = kind is not ScalarEvent and bool(event.flow_style)
        if not stack:
            if kind is ScalarEvent:
                root = value
            else:
                stack.append([value, _NO_KEY, flow])
            continue
        top = stack[-1]
        parent = top[0]
        if type(parent) is list:
            if kind is MappingStartEvent and top[2] and text[event.start_mark.index] != "{":
                raise Declined  # [a: 1] is a mapping to libyaml, an error to ruamel
            parent.append(value)
        elif top[1] is _NO_KEY:
            if kind is not ScalarEvent or value in parent:
                raise Declined  # a complex or a duplicate key
            top[1] = value
        else:
            parent[top[1]] = value
            top[1] = _NO_KEY
        if kind is not ScalarEvent:
            stack.append([value, _NO_KEY, flow])
    end = get()
    if type(end) is not DocumentEndEvent or end.explicit or type(get()) is not StreamEndEvent:
        raise Declined  # '...' (ruamel refuses a second one), or more than one document
    if type(root) is not dict or not root:
        raise Declined  # not an input: the round-trip reader words the message
    return root, nodes
