"""Reading inputs is bounded too (issue 15, items 7, 9, 10, 14): cheap limits before parsing,
values counted while parsing, nesting refused with a position, the question's clock counting
the reading, and time limits checked wherever they enter."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules import clock
from govrules.cli.main import cli
from govrules.engine import Policy
from govrules.errors import InputError, SolverLimitError
from govrules.inputs import load_org, loaders, source, syntax
from govrules.inputs.source import MAX_EXCERPT, Source, read_source
from govrules.inputs.syntax import MAX_DEPTH, json_position, parse_yaml

EXAMPLES = Path(__file__).parent.parent / "policy" / "xihu-office-2020" / "examples"
ENTRY = "  - {actor: 秘书股, action: propose, at: 2021-11-02T09:00, opinion: 拟办}\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _long_trace(tmp_path: Path, entries: int) -> Path:
    head = (EXAMPLES / "doc-bad-order.yaml").read_text(encoding="utf-8")
    path = tmp_path / "long.yaml"
    path.write_text(head + ENTRY * entries, encoding="utf-8")
    return path


# ---- item 9: time limits --------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "x", "1e-9", "3601"])
def test_a_timeout_that_is_not_a_time_limit_is_a_usage_error(value: str) -> None:
    code, _, err = run("route", str(EXAMPLES / "doc-outgoing.yaml"), "--timeout", value)
    assert code == 2 and "--timeout" in err and "Traceback" not in err


@pytest.mark.parametrize("value", [0, -1, "x", None, math.nan, math.inf, True, 1e9])
def test_the_api_refuses_a_bad_timeout_with_an_input_error(policy: Policy, value: Any) -> None:
    doc = EXAMPLES / "doc-outgoing.yaml"
    with pytest.raises(InputError) as caught:
        policy.route(doc, timeout=value)
    assert caught.value.code == "bad_timeout" and "timeout" in caught.value.render("en")
    with pytest.raises(InputError):
        policy.check_many([doc], timeout=value)


def test_the_time_limit_message_names_the_limit_set_not_the_time_left(
    policy: Policy, tmp_path: Path
) -> None:
    # Reading 5,000 entries takes far longer than 0.05 s: the limit is reached while reading,
    # and the message gives the 0.05 s the caller set.
    with pytest.raises(SolverLimitError) as caught:
        policy.check(_long_trace(tmp_path, 5_000), timeout=0.05)
    text = caught.value.render("en")
    assert "time limit of 0.05 s" in text and "reading the inputs" in text


def test_a_question_inside_a_question_shares_its_clock() -> None:
    with clock.question(5) as outer, clock.question(100) as inner:
        assert outer == inner == 5
        assert clock.remaining(100) <= 5


# ---- item 7: cheap limits first, values while parsing, JSON once ----------------------


def test_a_trace_file_with_too_many_values_is_stopped_while_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loaders, "MAX_DOCUMENT_VALUES", 1_000)
    code, _, err = run("check", str(_long_trace(tmp_path, 300)), "--lang", "en")
    assert code == 2 and "more than 1000 values" in err
    line = int(err.split(":")[1])  # file:line: the place where the budget ran out
    assert 8 < line < 300


def test_too_many_lines_are_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source, "MAX_LINES", 50)

    def parse(*_: Any) -> Any:
        raise AssertionError("parsed")

    monkeypatch.setattr(source, "parse_yaml", parse)
    with pytest.raises(InputError) as caught:
        read_source(_long_trace(tmp_path, 60))
    assert caught.value.code == "input.too_large" and "50 lines" in caught.value.render("en")


def test_json_is_parsed_once_and_still_positions_its_errors(
    policy: Policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = load_org(EXAMPLES / "org.yaml")

    def parse(*_: Any) -> Any:
        raise AssertionError("JSON read as YAML")

    monkeypatch.setattr(source, "parse_yaml", parse)
    monkeypatch.setattr(syntax, "parse_yaml", parse)
    doc = {"document": {"id": "x", "kind": "outgoing", "in_name_of": "nobody"}, "trace": []}
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        policy.check(path, org)
    assert caught.value.location.line == 5  # "in_name_of": "nobody"


_TEXT = st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), max_size=5)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, (*prefix, index))
    return out


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_TEXT, _JSON, min_size=1, max_size=4), st.integers(0, 2))
def test_json_positions_are_those_the_yaml_reader_gives(data: dict[str, Any], indent: int) -> None:
    text = json.dumps(data, indent=indent or None, ensure_ascii=False)
    tree = Source("x", data, parse_yaml(text))
    for path in _paths(data):
        found = json_position(text, path)
        assert found is not None
        assert (found[0] + 1, found[1] + 1) == tree.locate(path)


# ---- item 10: nesting -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "id: " + "[" * 300 + "]" * 300,
        "id: " + "{a: " * 300 + "1" + "}" * 300,
        "id:\n" + "".join("  " * i + "-\n" for i in range(1, 300)),
        "id:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 300)),
        "id: " + "[" * 100_000,
    ],
    ids=["flow-seq", "flow-map", "block-seq", "block-map", "flow-100000"],
)
def test_deep_yaml_is_one_positioned_error(tmp_path: Path, body: str, policy: Policy) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(f"document:\n  {body.replace(chr(10), chr(10) + '  ')}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        policy.check(path)
    assert caught.value.location.line is not None
    assert caught.value.location.line >= 2
    code, _, err = run("check", str(path), "--lang", "en")
    assert code == 2 and "Traceback" not in err and "internal error" not in err
    assert err.startswith(f"{path}:")
    if "100000" not in body:
        assert f"nested deeper than {MAX_DEPTH}" in err


# ---- item 14: excerpts --------------------------------------------------------------------


def test_an_error_in_a_long_line_quotes_a_window_of_it(tmp_path: Path, policy: Policy) -> None:
    filler = " " * 3_000_000  # one line of 3 MB, the error at its end
    path = tmp_path / "doc.json"
    line = '{"document": {"id": "x", "in_name_of": "office",' + filler + '"kind": 7}}'
    path.write_text(line, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        policy.check(path)
    text = caught.value.render("en")
    assert len(text) < 20 * MAX_EXCERPT
    excerpt = text.splitlines()[-2:]
    assert "…" in excerpt[0] and excerpt[1].rstrip().endswith("^")
    column = caught.value.location.column
    assert column is not None and column > 2 * MAX_EXCERPT
    assert excerpt[0][excerpt[1].index("^")] == line[column - 1]


def test_a_rule_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.rules"
    path.write_bytes("第三十八条\n".encode() + b"\xff\xfe\n")
    code, _, err = run("compile", str(path), "--lang", "en")
    assert code == 2 and err.startswith(f"{path}:2: ") and "not UTF-8" in err


@pytest.mark.parametrize(
    "args",
    [("route", "-", "--org", "-"), ("check", "-", "--org", "-"), ("leave", "-", "--org", "-")],
)
def test_standard_input_named_twice_is_refused(args: tuple[str, ...]) -> None:
    doc = (EXAMPLES / "doc-outgoing.yaml").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, [*args, "--lang", "en"], input=doc)
    assert result.exit_code == 2 and "standard input (-) can be only one" in result.stderr


@pytest.mark.parametrize("start", ["0000-01-01", "2021-02-30", "yesterday"])
def test_a_bad_deadline_start_names_no_internal_parameter(start: str) -> None:
    for lang, word in (("en", "start date"), ("zh", "起始日期")):
        code, _, err = run("deadline", start, "--lang", lang)
        assert code == 2 and word in err
        assert "START" not in err and "field" not in err and "字段" not in err
