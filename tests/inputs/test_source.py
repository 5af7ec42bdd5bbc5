"""Reading files: syntax and encoding errors, positions, and the shapes a top level may take."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from govrules.errors import InputError
from govrules.inputs import load_org, read_source

from .helpers import ORG_YAML, ExpectError, Write


def test_yaml_syntax_error_names_line_and_opening(write: Write, expect_error: ExpectError) -> None:
    path = write("org.yaml", "district: x\npeople:\n  - name: 张区长\n    roles: [mayor\n")
    err = expect_error(
        lambda: load_org(path),
        field="",
        line=5,
        zh=["YAML 语法错误", "缺少逗号或右括号", "始于第 4 行"],
        en=["YAML syntax error", "expected ',' or ']'", "started on line 4"],
    )
    assert err.location.file == str(path)


def test_yaml_bad_indentation(write: Write, expect_error: ExpectError) -> None:
    path = write("org.yaml", "district: x\npeople:\n  - name: a\n   roles: [b]\n")
    expect_error(
        lambda: load_org(path),
        field="",
        line=4,
        zh=["YAML 语法错误"],
        en=["YAML syntax error"],
    )


def test_duplicate_yaml_key_names_both_lines(write: Write, expect_error: ExpectError) -> None:
    path = write("org.yaml", "district: x\npeople:\n  - name: a\n    roles: [b]\n    name: c\n")
    err = expect_error(
        lambda: load_org(path),
        field="",
        line=5,
        column=5,
        zh=["重复的键 'name'", "第一次出现在第 3 行"],
        en=["duplicate key 'name'", "first given on line 3"],
    )
    assert "^" in err.detail and "name: c" in err.detail


def test_duplicate_json_key(write: Write, expect_error: ExpectError) -> None:
    path = write("org.json", '{"district": "x",\n "people": [],\n "district": "y"}')
    expect_error(
        lambda: load_org(path),
        field="",
        line=3,
        zh=["重复的键 'district'"],
        en=["duplicate key 'district'"],
    )


def test_json_syntax_error_is_strict(write: Write, expect_error: ExpectError) -> None:
    path = write("org.json", '{"district": "x",\n "people": [1,],\n}')
    expect_error(
        lambda: load_org(path),
        field="",
        line=2,
        column=15,
        zh=["JSON 语法错误", "此处应为一个值"],
        en=["JSON syntax error", "Expecting value"],
    )


def test_json_validation_errors_have_lines(write: Write, expect_error: ExpectError) -> None:
    text = '{\n  "district": "x",\n  "people": [\n    {"name": "a", "roles": "mayor"}\n  ]\n}\n'
    expect_error(
        lambda: load_org(write("org.json", text)),
        field="people[0].roles",
        line=4,
        zh=["应为列表", "[mayor]"],
        en=["expected a list", "a single item is written [mayor]"],
    )


def test_missing_file(tmp_path: Path, expect_error: ExpectError) -> None:
    path = tmp_path / "nowhere.yaml"
    err = expect_error(
        lambda: load_org(path), field="", line=None, zh=["文件不存在"], en=["no such file"]
    )
    assert err.render("en").startswith(str(path))


def test_directory_is_not_a_file(tmp_path: Path, expect_error: ExpectError) -> None:
    expect_error(
        lambda: load_org(tmp_path), field="", line=None, zh=["目录"], en=["is a directory"]
    )


def test_non_utf8_bytes(tmp_path: Path, expect_error: ExpectError) -> None:
    path = tmp_path / "org.yaml"
    path.write_bytes("district: 西湖\npeople: x\xff\n".encode("utf-8", "surrogateescape"))
    path.write_bytes(b"district: x\npeople: \xc4\xe3\n")  # GBK bytes
    expect_error(
        lambda: load_org(path),
        field="",
        line=2,
        column=9,
        zh=["不是 UTF-8 编码", "0xc4"],
        en=["not UTF-8", "0xc4", "save it as UTF-8"],
    )


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + ORG_YAML.encode())
    assert load_org(path).district == "南昌市西湖区"


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_document(write: Write, expect_error: ExpectError, text: str) -> None:
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="",
        line=1,
        zh=["文件为空"],
        en=["the file is empty"],
    )


@pytest.mark.parametrize(
    ("text", "zh", "en"), [("- a\n- b\n", "列表", "a list"), ("x\n", "单个值", "a single value")]
)
def test_top_level_must_be_a_mapping(
    write: Write, expect_error: ExpectError, text: str, zh: str, en: str
) -> None:
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="",
        line=1,
        zh=["顶层应为映射", zh],
        en=["the top level should be a mapping", en],
    )


def test_alias_bomb_is_refused(write: Write, expect_error: ExpectError) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 7)]
    expect_error(
        lambda: load_org(write("org.yaml", "\n".join(lines) + "\n")),
        field="",
        line=None,
        zh=["输入过大"],
        en=["input too large"],
    )


def test_python_tags_are_never_constructed(write: Write, expect_error: ExpectError) -> None:
    text = "district: x\npeople:\n  - name: !!python/object/apply:os.system [echo hacked]\n"
    expect_error(
        lambda: load_org(write("org.yaml", text)),
        field="",
        line=3,
        column=11,
        zh=["不支持 YAML 标签", "python/object/apply"],
        en=["the YAML tag", "is not supported"],
    )


def test_str_tag_forces_text(write: Write) -> None:
    text = ORG_YAML.replace("district: 南昌市西湖区", "district: !!str 2021")
    assert load_org(write("org.yaml", text)).district == "2021"


def test_stdin_is_read_as_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.TextIOWrapper(io.BytesIO(ORG_YAML.encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stream)
    assert [p.name for p in load_org("-").people][:2] == ["张区长", "王副区长"]


def test_stdin_errors_are_named_stdin(
    monkeypatch: pytest.MonkeyPatch, expect_error: ExpectError
) -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"district: [\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stream)
    err = expect_error(lambda: load_org("-"), field="", line=2, zh=["YAML"], en=["YAML"])
    assert err.location.file == "<stdin>"


def test_locate_maps_keys_items_and_values(write: Write) -> None:
    source = read_source(write("org.yaml", ORG_YAML))
    assert source.locate(()) == (1, 1)
    assert source.locate(("district",)) == (1, 11)  # a scalar: its value
    assert source.locate(("people",)) == (2, 1)  # a sequence: its key
    assert source.locate(("people", 1)) == (5, 5)
    assert source.locate(("people", 1, "fields", 1)) == (7, 18)
    # The deepest part that exists: a missing key points at its mapping.
    assert source.locate(("people", 1, "reports_to", 0)) == (5, 5)
    assert source.locate(("units", "secretariat")) == (18, 16)
    assert source.field_path(("people", 1, "fields", 1)) == "people[1].fields[1]"
    assert source.field_path(("units", "secretariat", "[key]")) == "units.secretariat"


def test_excerpt_aligns_caret_under_wide_characters(write: Write) -> None:
    source = read_source(write("org.yaml", ORG_YAML))
    excerpt = source.excerpt(7, 18).splitlines()
    assert excerpt[0] == "   7 |     fields: [教育, 卫生]"
    # 4 spaces + "fields: [" (9) + 教育 (width 4) + ", " (2): the caret sits under 卫.
    assert excerpt[1] == "     | " + " " * 19 + "^"


def test_python_mapping_has_paths_but_no_lines(expect_error: ExpectError) -> None:
    data = {"district": "x", "people": [{"name": "a", "roles": []}]}
    expect_error(
        lambda: load_org(data),
        field="people[0].roles",
        line=None,
        zh=["非空列表", "空列表 []"],
        en=["a non-empty list", "an empty list []"],
    )


def test_errors_are_not_tracebacks(write: Write) -> None:
    with pytest.raises(InputError) as caught:
        load_org(write("org.yaml", "district: [\n"))
    assert "Traceback" not in caught.value.render("en")
    assert caught.value.__cause__ is None


def test_python_value_that_is_not_a_mapping(expect_error: ExpectError) -> None:
    err = expect_error(
        lambda: load_org([{"district": "x"}]),  # type: ignore[arg-type]
        field="",
        line=None,
        zh=["应为文件路径或映射", "list"],
        en=["expected a file path or a mapping, found list"],
    )
    assert err.location.file == "<org>"
