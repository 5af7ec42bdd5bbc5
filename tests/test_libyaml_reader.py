"""The libyaml reader against the round-trip reader: where it answers, the same data.

`inputs.libyaml_reader` may decline anything; it must never give data that ruamel (the
reader every message is positioned by) would read differently, or refuse. Generated YAML
covers the scalars YAML 1.1 and 1.2 disagree on, every quoting style, flow and block
collections, comments, CRLF and odd line breaks, then random edits of such text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules.errors import InputError
from govrules.inputs import libyaml_reader, source, syntax
from govrules.inputs.libyaml_reader import Declined, read_plain
from govrules.inputs.plain import plain
from govrules.inputs.source import read_source, source_from_text
from govrules.inputs.syntax import SyntaxProblem, TooManyValues, parse_yaml

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 10_000

# Scalars whose meaning differs between YAML versions, readers or quoting.
TRICKY = [
    "yes", "no", "on", "off", "y", "n", "Yes", "NO", "On", "true", "True", "TRUE", "false",
    "FALSE", "tRUE", "null", "Null", "NULL", "~", "", "0", "00", "012", "0o12", "0x1F",
    "0b11", "1_000", "+5", "-0", "-12", "1.5", "1e3", "1E3", "-.5", ".5", ".inf", "-.inf",
    ".NaN", "2021-10-08", "2021-1-8", "2021-10-08T09:30", "2021-10-08 09:30:00",
    "2021-10-08t09:30:00.5Z", "2021-10-08T09:30:00+08:00", "20211008", "<<", "=", "1:20",
    "12:30:00", "190:20:30", "西府文〔2021〕12号", "张 三", "a b", "#x", "x #y", "x: y", "-",
    "- x", "? x", ":", "@x", "`x", "%x", "!x", "&x", "*x", "a\tb", "é", "🙂", "x\u2028y",
    "x\x85y", " lead", "trail ", "'q'", '"dq"', "a,b", "[x]", "{x}", "|", ">", "3号楼",
]  # fmt: skip
# Characters that change YAML's structure, and those the two readers treat differently.
EDITS = list(":-#'\"[]{},&*!|>?%@` \t\n\r\x85\u2028\ufeff")
KEYS = ["id", "kind", "2021", "1", "true", "null", "from", "to", "<<", "a b", "人员", "0x1"]


def _canonical(value: Any) -> Any:
    """Type-exact comparison: 1, 1.0 and True are not the same value of an input."""
    if isinstance(value, dict):
        return ("map", [(_canonical(k), _canonical(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [_canonical(v) for v in value])
    return (type(value).__name__, value)


def _ruamel(text: str) -> Any:
    """The round-trip reader's plain data, or the exception it raises."""
    try:
        return plain(parse_yaml(text, BUDGET), "t", [10 * BUDGET])
    except Exception as exc:  # any refusal: SyntaxProblem, TooManyValues, InputError …
        return exc


def _ruamel_failed(result: Any) -> bool:
    """ruamel's own failure (not a YAML error): libyaml's reading, YAML's, stands there."""
    return isinstance(result, SyntaxProblem) and result.message.en.startswith(
        "the YAML reader cannot read"
    )


def assert_agrees(text: str) -> bool:
    """True when libyaml answered (and agreed); False when it declined."""
    try:
        fast, _ = read_plain(text, BUDGET)
    except Declined:
        return False
    slow = _ruamel(text)
    if _ruamel_failed(slow):
        return True
    assert not isinstance(slow, BaseException), f"libyaml read what ruamel refuses: {text!r}"
    # Used as it is (no `plain` walk): it must already be what ruamel's data becomes.
    assert _canonical(fast) == _canonical(slow), text
    return True


def _scalar_text(value: str, style: int) -> str:
    if style == 0:
        return value
    if style == 1:
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=style == 2)


@st.composite
def yaml_texts(draw: st.DrawFn, depth: int = 0, indent: int = 0) -> str:
    """A block mapping of tricky keys to tricky scalars, flow and block collections."""
    pad = " " * indent
    lines: list[str] = []
    for key in draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4)):
        key_text = _scalar_text(key, draw(st.integers(0, 2)))
        shape = draw(st.integers(0, 6 if depth < 3 else 2))
        if shape <= 1:
            scalar = _scalar_text(draw(st.sampled_from(TRICKY)), draw(st.integers(0, 3)))
            comment = draw(st.sampled_from(["", "  # 注释", " #x"]))
            lines.append(f"{pad}{key_text}: {scalar}{comment}")
        elif shape == 2:
            items = draw(st.lists(st.sampled_from(TRICKY), max_size=4))
            styles = [draw(st.integers(0, 3)) for _ in items]
            flow = ", ".join(_scalar_text(v, s) for v, s in zip(items, styles, strict=True))
            lines.append(f"{pad}{key_text}: [{flow}]")
        elif shape == 3:
            lines.append(f"{pad}{key_text}:")
            for value in draw(st.lists(st.sampled_from(TRICKY), min_size=1, max_size=3)):
                lines.append(f"{pad}  - {_scalar_text(value, draw(st.integers(0, 3)))}")
        elif shape == 4:
            lines.append(f"{pad}{key_text}:")
            lines.append(draw(yaml_texts(depth + 1, indent + draw(st.integers(1, 3)))))
        elif shape == 5:  # a list of mappings, as a trace is written
            lines.append(f"{pad}{key_text}:")
            for _ in range(draw(st.integers(1, 3))):
                item = draw(yaml_texts(depth + 1, indent + 4)).lstrip(" ")
                lines.append(f"{pad}  - {item}")
        else:  # a flow mapping, as a trace entry is often written
            pairs = draw(st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(TRICKY))))
            flow = ", ".join(
                f"{_scalar_text(k, draw(st.integers(0, 2)))}: "
                f"{_scalar_text(v, draw(st.integers(0, 3)))}"
                for k, v in pairs
            )
            lines.append(f"{pad}{key_text}: {{{flow}}}")
    return "\n".join(lines)


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(yaml_texts(), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_generated_yaml_reads_the_same(text: str, newline: bool | str, literal: bool) -> None:
    body = text.replace("\n", str(newline))
    if literal:
        body += f"{newline}opinion: |{newline}  第一行{newline}  second: line{newline}"
    assert_agrees(body)


@SETTINGS
@given(
    yaml_texts(),
    st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from(EDITS)),
        min_size=1,
        max_size=4,
    ),
)
def test_edited_yaml_never_reads_differently(text: str, edits: list[tuple[int, str]]) -> None:
    for at, char in edits:
        where = at % (len(text) + 1)
        text = text[:where] + char + text[where:]
    assert_agrees(text)


def test_the_bundled_inputs_are_read_here_and_agree() -> None:
    """Every example and policy test input: the libyaml reader answers, the same data."""
    files = sorted((ROOT / "policy").rglob("*.yaml"))
    assert len(files) > 20
    answered = [f for f in files if assert_agrees(f.read_text(encoding="utf-8"))]
    assert len(answered) >= len(files) * 0.9, sorted(set(files) - set(answered))


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!str 1\n",  # a tag
        "%YAML 1.1\n---\na: yes\n",  # a directive
        "a: 1\n---\nb: 2\n",  # two documents
        "a: 1\na: 2\n",  # a duplicate key
        "? [a]\n: 1\n",  # a complex key
        "a: 0x1F\n",  # hex
        "a: 1.5\n",  # a float
        "<<: {a: 1}\n",  # a merge key
        "a: [" * 40 + "]" * 40 + "\n",  # deep
        "a: 'unterminated\n",  # libyaml's own refusal
        "a: [b: 1]\n",  # a pair without braces in a flow sequence
        "a: |\n \n  x\n",  # a block scalar (ruamel refuses this blank line)
        "a: >\n  x\n",  # a folded one
        "a: b\n...\n...\n",  # an explicit document end (ruamel refuses a second)
        "a: 1" + "0" * 5000 + "\n",  # past Python's int-from-text limit
        "甲乙: [{b: 1}, 丙: 1]\n",  # the same after wide characters
        "",  # no document
    ],
)
def test_declines_what_it_is_not_sure_of(text: str) -> None:
    with pytest.raises(Declined):
        read_plain(text, BUDGET)


def test_reads_flow_mappings_in_flow_sequences_after_wide_characters() -> None:
    """libyaml's marks count characters: a brace after Chinese text is found as a brace."""
    text = "甲乙: [{to: 王副区长, on: 2021-02-26}]\n"
    assert read_plain(text, BUDGET)[0] == {"甲乙": [{"to": "王副区长", "on": "2021-02-26"}]}
    assert assert_agrees(text)


def test_declines_a_lone_surrogate() -> None:
    """Only Python callers can pass one (files are decoded strictly); libyaml cannot take
    it. Not a parameter above: pytest's cache cannot write it in a test's id."""
    with pytest.raises(Declined):
        read_plain("a: \ud800\n", BUDGET)


def test_ruamels_own_failure_is_one_clear_message_and_libyaml_reads_yaml() -> None:
    """ruamel raises NotImplementedError on a comment after `key:` with the value on the
    next line: a file libyaml declines (an anchor) gets one message, exit 2, never an
    internal error; without the anchor libyaml reads it as YAML does."""
    anchored = "a: #\n  &x b\n\n"
    with pytest.raises(InputError) as refused:
        source_from_text(anchored, "t.yaml")
    assert refused.value.code == "input.syntax"
    assert "cannot read this content" in refused.value.message.en
    read = source_from_text("a: #\n  b\n\n", "t.yaml")
    assert read.data == {"a": "b"} and read.locate(["a"]) == (None, None)


def test_declines_past_its_budget_as_ruamel_refuses() -> None:
    text = "a: [" + ", ".join(["x"] * 20) + "]\n"  # 1 map, 1 key, 1 list, 20 items: 23 nodes
    assert read_plain(text, 24) == ({"a": ["x"] * 20}, 23)
    with pytest.raises(Declined):
        read_plain(text, 23)
    with pytest.raises(TooManyValues):
        parse_yaml(text, 22)


def test_a_source_read_by_libyaml_still_points_into_its_file(tmp_path: Path) -> None:
    """The round-trip tree is parsed only when a message asks where something is."""
    path = tmp_path / "doc.yaml"
    path.write_text("document:\n  id: 甲\n  kind: [outgoing]\n", encoding="utf-8")
    source = read_source(path)
    assert source.tree is None and source.data == {"document": {"id": "甲", "kind": ["outgoing"]}}
    assert source.locate(["document", "kind"]) == (3, 3)
    assert source.locate(["document", "id"]) == (2, 7)


def test_without_libyaml_ruamel_reads_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(libyaml_reader, "AVAILABLE", False)
    source = source_from_text("a: 1\n", "t.yaml")
    assert source.tree is not None and source.data == {"a": 1}


def test_a_file_past_the_round_trip_bound_is_read_to_the_callers_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libyaml reads a file bigger than ruamel may hold (MAX_YAML_VALUES, lowered here to
    50): its messages then name the field without a line. A file libyaml declines is still
    refused as too large, as before."""
    monkeypatch.setattr(source, "MAX_YAML_VALUES", 50)
    monkeypatch.setattr(syntax, "MAX_YAML_VALUES", 50)
    rows = [
        f"  - {{who: 甲{i}, kind: vacation, from: 2021-03-01, to: 2021-03-02}}" for i in range(30)
    ]
    big = tmp_path / "plan.yaml"
    big.write_text("absences:\n" + "\n".join(rows) + "\n", encoding="utf-8")
    read = read_source(big)
    assert len(read.data["absences"]) == 30
    where = read.location(["absences", 25, "to"])
    assert (where.line, where.column, where.field) == (None, None, "absences[25].to")
    anchored = tmp_path / "anchored.yaml"
    anchored.write_text(big.read_text(encoding="utf-8").replace("甲0,", "&a 甲0,"), "utf-8")
    with pytest.raises(InputError) as refused:
        read_source(anchored)
    assert refused.value.code == "input.too_large"
