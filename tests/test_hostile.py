"""Hostile input: names that are ASP or look like other names, every field's invalid values,
years without calendar data. Each ends in an answer, a warning, or exit 2 naming the file,
line and field: never a traceback, never an internal error."""

from __future__ import annotations

import copy
import functools
import json
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from govrules.cli.main import cli
from govrules.errors import GovrulesError, InputError, InputWarning
from govrules.inputs import load_calendar_file, load_document, load_org, load_plan
from govrules.inputs.names import name_warnings, skeleton
from govrules.resources import bundled_policy_dir

EX = bundled_policy_dir() / "examples"
ASP_NAMES = [
    'x). #include "/etc/passwd". y(',
    "#const n=1.",
    "#show finding/5.",
    ":- .",
    'quote"d',
    "back\\slash",
    "名" * 200,
    "%comment",
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _yaml() -> YAML:
    y = YAML()
    y.allow_unicode = True
    return y


def _read(path: Path) -> Any:
    return json.loads(json.dumps(_yaml().load(path.read_text(encoding="utf-8")), default=str))


def _write(path: Path, data: Any) -> str:
    with path.open("w", encoding="utf-8") as fh:
        _yaml().dump(data, fh)
    return str(path)


# ---- names that are code, and names that look like other names ---------------------------


def test_asp_syntax_in_every_name_is_data(tmp_path: Path) -> None:
    """Every name of the organisation, the document and the trace replaced by ASP text:
    the answer is the same as with the plain names, the names come back verbatim."""
    org = _read(EX / "org.yaml")
    doc = _read(EX / "doc-outgoing.yaml")
    plain = json.loads(run("check", str(EX / "doc-outgoing.yaml"), "--format", "json")[1])
    renames = dict(zip(["钱副主任", "王副区长", "赵主任", "张区长"], ASP_NAMES, strict=False))
    renames["秘书股"] = ASP_NAMES[4]
    text = json.dumps({"org": org, "doc": doc}, ensure_ascii=False)
    for old, new in renames.items():
        text = text.replace(json.dumps(old, ensure_ascii=False)[1:-1], json.dumps(new)[1:-1])
    data = json.loads(text)
    org_file = _write(tmp_path / "org.yaml", data["org"])
    doc_file = _write(tmp_path / "doc.yaml", data["doc"])
    code, out, err = run("check", doc_file, "--org", org_file, "--format", "json")
    hostile = json.loads(out)
    assert code == (0 if plain["compliant"] else 1), err
    assert hostile["order_count"] == plain["order_count"]
    assert [f["kind"] for f in hostile["findings"]] == [f["kind"] for f in plain["findings"]]
    actors = {s["actor"] for s in hostile["steps"]}
    assert set(renames.values()) <= actors


def _org(*names: str) -> dict[str, Any]:
    return {"district": "d", "people": [{"name": n, "roles": ["mayor"]} for n in names]}


def test_lookalike_invisible_and_mixed_script_names_are_warned_with_their_line(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path / "org.yaml", _org("Alice", "Аlice", "\u202e王五", "Ｘ", "X"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_org(path)
    found = [w.message for w in caught if isinstance(w.message, InputWarning)]
    text = Path(path).read_text(encoding="utf-8").splitlines()

    def line_of(name: str) -> int:
        return next(n for n, line in enumerate(text, 1) if f"name: {name}" in line)

    lines = {(w.location.line, w.location.field) for w in found}
    assert (line_of("Аlice"), "people[1].name") in lines  # mixed scripts, and like Alice
    assert (line_of("X"), "people[4].name") in lines  # X looks like full-width Ｘ
    assert any(w.location.field == "people[2].name" for w in found)  # right-to-left override
    assert all(w.location.file == path for w in found)
    _, _, err = run("route", str(EX / "doc-outgoing.yaml"), "--org", path, "--lang", "en")
    assert "warning: the name 'Аlice' looks like 'Alice'" in err
    assert f"{path}:{line_of('Аlice')}:" in err


def test_ordinary_names_are_not_warned() -> None:
    org = load_org(EX / "org.yaml")
    assert name_warnings(org) == []
    mixed_ok = load_org(_org("AB岗", "王 Wang", "José", "Ωμέγα"))
    assert [m.en for _, m in name_warnings(mixed_ok)] == []
    assert skeleton("Ｐａｕｌ") == skeleton("paul") == skeleton("раul")
    # A unit's id and its name are one actor, not two that look alike.
    unit = load_org({**_org("甲"), "units": {"secretariat": "Secretariat"}})
    assert name_warnings(unit) == []


# ---- every field's invalid values ----------------------------------------------------------

BAD_VALUES: list[Any] = [
    None,
    0,
    -1,
    1.5,
    True,
    "",
    " ",
    "\0",
    "\x07bell",
    "x" * 5000,
    [],
    {},
    [None],
    {"a": 1},
    "2021-13-45",
    "2021-02-30T25:61",
    "\ud800",
]


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, (*path, i))
    if path:
        yield path


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    copied = copy.deepcopy(data)
    node = copied
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return copied


def _variants(data: Any) -> Iterator[tuple[str, Any]]:
    """Three invalid values per field (each value tried on every third field or so), the
    field removed, and a key nobody knows."""
    n = len(BAD_VALUES)
    for k, path in enumerate(_leaves(data)):
        for bad in (BAD_VALUES[k % n], BAD_VALUES[(k + 6) % n], BAD_VALUES[(k + 11) % n]):
            yield f"{path}={bad!r:.20}", _set(data, path, bad)
        parent = _set(data, path, None)
        node = parent
        for part in path[:-1]:
            node = node[part]
        if isinstance(node, dict):
            del node[path[-1]]
            yield f"{path} removed", parent
    yield "unknown key", {**data, "surprise": 1} if isinstance(data, dict) else data


CALENDAR = {"years": {"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-02-07"]}}}


@functools.cache
def _org_model() -> Any:
    return load_org(EX / "org.yaml")


LOADERS: dict[str, tuple[Any, Callable[[str], object]]] = {
    "org": (lambda: _read(EX / "org.yaml"), load_org),
    "document": (
        lambda: _read(EX / "doc-incoming.yaml"),
        lambda path: load_document(path, _org_model()),
    ),
    "plan": (lambda: _read(EX / "plan.yaml"), lambda path: load_plan(path, _org_model())),
    "calendar": (lambda: CALENDAR, load_calendar_file),
}


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_every_invalid_value_of_every_field_is_one_positioned_error(
    kind: str, tmp_path: Path
) -> None:
    original, loader = LOADERS[kind]
    tried = refused = 0
    for label, data in _variants(original()):
        # JSON, one key a line (fast to write; a lone surrogate stays an escape in it).
        path = str(tmp_path / f"{kind}.json")
        Path(path).write_text(json.dumps(data, indent=1), encoding="utf-8")
        tried += 1
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                loader(path)
        except InputError as err:
            refused += 1
            where = err.location
            assert where.file == path, label
            assert where.line is not None or where.field, (label, err.render("en"))
        except GovrulesError as err:
            pytest.fail(f"{label}: {type(err).__name__} is not an input error: {err}")
    assert tried >= 20 and refused > tried // 2


@pytest.mark.parametrize(
    ("verb", "example", "path", "value"),
    [
        ("route", "doc-outgoing.yaml", ("document", "kind"), "letter"),
        ("check", "doc-incoming.yaml", ("trace", 2, "at"), "2021-10-32T09:00"),
        ("check", "doc-incoming.yaml", ("trace", 0, "opinion"), "\0"),
        ("leave", "plan.yaml", ("absences", 0, "to"), "2020-01-01"),
        ("leave", "plan.yaml", ("absences", 0, "who"), {"name": 1}),
    ],
)
def test_the_cli_names_file_line_and_field_and_exits_2(
    verb: str, example: str, path: tuple[Any, ...], value: Any, tmp_path: Path
) -> None:
    bad = _write(tmp_path / example, _set(_read(EX / example), path, value))
    code, out, err = run(verb, bad, "--lang", "en")
    assert code == 2 and out == ""
    assert err.startswith(f"{bad}:") and "field" in err
    assert "Traceback" not in err and "internal error" not in err


# ---- years without calendar data -----------------------------------------------------------


def test_a_trace_in_a_year_without_data_is_refused_then_answered_with_a_calendar(
    tmp_path: Path,
) -> None:
    """Defect: `check` told the user to pass --calendar, but had no such option."""
    text = (EX / "doc-incoming.yaml").read_text(encoding="utf-8").replace("2021-", "2027-")
    doc = tmp_path / "doc.yaml"
    doc.write_text(text, encoding="utf-8")
    code, _, err = run("check", str(doc), "--lang", "en")
    assert code == 2 and "no holiday calendar for 2027" in err and "--calendar" in err
    calendar = _write(
        tmp_path / "cal.yaml",
        {"years": {"2027": {"holidays": ["2027-10-01", "2027-10-04"], "workdays": []}}},
    )
    code, out, _ = run("check", str(doc), "--calendar", calendar, "--format", "json")
    assert code == 1 and json.loads(out)["findings"]
    broken = _write(tmp_path / "broken.yaml", {"years": {"2027": {"holidays": ["2027-13-01"]}}})
    code, _, err = run("check", str(doc), "--calendar", broken, "--lang", "en")
    assert code == 2 and err.startswith(f"{broken}:") and "Traceback" not in err


# ---- characters that drive a terminal or break a line (issue 15, item 5) -------------------


@pytest.mark.parametrize("char", ["\x80", "\x85", "\x9b", "\x9f", "\u2028", "\u2029"])
def test_c1_controls_and_line_separators_in_names_are_refused_with_their_code(
    char: str, tmp_path: Path
) -> None:
    """A C1 control (CSI U+009B starts a terminal escape) or a line separator in a name is
    refused like C0, with its code point; the raw character is never printed back."""
    org = _read(EX / "org.yaml")
    org["people"][0]["name"] = f"张{char}[2J区长"
    path = tmp_path / "org.json"
    path.write_text(json.dumps(org), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_org(str(path))
    code = f"U+{ord(char):04X}"
    assert code in caught.value.render("en") and code in caught.value.render("zh")
    assert caught.value.location.field == "people[0].name"
    status, out, err = run("route", str(EX / "doc-outgoing.yaml"), "--org", str(path))
    assert status == 2 and out == ""
    assert char not in err and code in err


@pytest.mark.parametrize("char", ["\x9b", "\x85"])
def test_c1_controls_in_opinions_are_refused_but_line_breaks_are_not(
    char: str, tmp_path: Path
) -> None:
    doc = _read(EX / "doc-incoming.yaml")
    doc["trace"][0]["opinion"] = "同意" + char + "\n请\u2028办理"
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_document(str(path), _org_model())
    assert f"U+{ord(char):04X}" in caught.value.render("en")
    doc["trace"][0]["opinion"] = "同意\n请\u2028办理"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert load_document(str(path), _org_model()).trace[0].opinion == "同意\n请\u2028办理"
