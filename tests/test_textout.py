"""Text answers: the direct writer is byte-equal to rich wherever it answers, it answers
the common case, it mirrors rich's console detection, and data is never read as markup."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules.cli import textout
from govrules.cli.textout import Block, Line, Span, Table
from govrules.resources import bundled_policy_dir

ROOT = Path(__file__).resolve().parents[1]
XIHU = ROOT / "policy" / "xihu-office-2020"

# Characters a route's words are made of, and ones rich measures or treats specially:
# full-width and CJK, combining marks, zero-width joiners, emoji with variation
# selectors, ambiguous-width symbols, markup brackets, emoji-code colons, spaces, tabs.
_ODD = "[]/:\\ \t\n\u200d\u0301\ufe0f\u00b7\u2026\u2192〔〕（）：，"
_ALPHABET = st.sampled_from(
    list("abcXYZ019-_.()")
    + list("秘书股钱副主任王区长第条审批")
    + list(_ODD)
    + ["😀", "👍", "é", "Ａ", "ｶ", "\u00ad", "\x1b", "\x7f", "\u2028"]
)
_WORD = st.text(_ALPHABET, min_size=0, max_size=14)
# No control characters, so that tables are reached: what rich measures (wide,
# zero-width, joined, ambiguous).
_MEASURED_WORD = st.text(
    st.sampled_from(
        list("ab1:[]/ ")
        + list("秘书股〔〕（）：")
        + ["\u200d", "\u0301", "\ufe0f", "\u00b7", "\u2026", "😀", "👍", "Ａ", "ｶ", "\u00ad"]
        + ["\u200b", "\u3000", "\u00a0", "\U0001f1e8", "\U0001f1f3", "\u0e33", "\u1100", "\u1161"]
    ),
    min_size=1,
    max_size=10,
)
_PLAIN_WORD = st.text(
    st.sampled_from(list("abc019-_.:秘书股钱副主任王〔〕（）→")), min_size=1, max_size=12
)


@st.composite
def _table(draw: st.DrawFn, word: st.SearchStrategy[str], min_rows: int) -> Table:
    count = draw(st.integers(1, 5))
    headers = tuple(draw(st.lists(word, min_size=count, max_size=count)))
    rows = draw(
        st.lists(
            st.lists(word, min_size=count, max_size=count).map(tuple),
            min_size=min_rows,
            max_size=6,
        )
    )
    return Table(draw(word), headers, tuple(rows))


def _line(word: st.SearchStrategy[str]) -> st.SearchStrategy[Line]:
    span = st.builds(Span, word, st.sampled_from(["", "red", "yellow", "bold", "dim"]))
    return st.lists(span, max_size=3).map(lambda spans: Line(tuple(spans)))


def _blocks(word: st.SearchStrategy[str], min_rows: int = 0) -> st.SearchStrategy[list[Block]]:
    return st.lists(st.one_of(_table(word, min_rows), _line(word)), min_size=1, max_size=5)


@pytest.fixture
def plain_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS", "LINES", "NO_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    yield


def _rich_text(blocks: list[Block], width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    """What rich writes for BLOCKS to a pipe at WIDTH columns."""
    out = io.StringIO()
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setattr(sys, "stdout", out)
    textout._draw_rich(blocks)
    return out.getvalue()


_FIXTURE_OK = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_FIXTURE_OK
@given(
    blocks=st.one_of(_blocks(_WORD), _blocks(_MEASURED_WORD, min_rows=1)),
    width=st.integers(1, 200),
)
def test_direct_text_is_what_rich_writes(
    blocks: list[Block], width: int, monkeypatch: pytest.MonkeyPatch, plain_env: None
) -> None:
    """Any words (control characters, joiners, wide and zero-width characters, markup),
    any width: where the writer answers, rich writes the same bytes."""
    texts = textout.plain_text(blocks, width)
    if texts is not None:
        assert "".join(texts) == _rich_text(blocks, width, monkeypatch)


@_FIXTURE_OK
@given(blocks=_blocks(_PLAIN_WORD, min_rows=1))
def test_ordinary_words_are_written_directly(
    blocks: list[Block], monkeypatch: pytest.MonkeyPatch, plain_env: None
) -> None:
    """Words without control characters in a table that fits are never left to rich."""
    width = 400
    texts = textout.plain_text(blocks, width)
    assert texts is not None
    assert "".join(texts) == _rich_text(blocks, width, monkeypatch)


def test_a_table_wider_than_the_console_is_left_to_rich(plain_env: None) -> None:
    table = Table("t", ("step", "actor"), (("propose:秘书股", "秘书股"),))
    assert textout.plain_text([table], 200) is not None
    assert textout.plain_text([table], 20) is None  # rich shrinks and wraps the columns


class _Stream(io.StringIO):
    def __init__(self, tty: bool, encoding: str = "utf-8") -> None:
        super().__init__()
        self._tty = tty
        self._encoding = encoding

    def isatty(self) -> bool:
        return self._tty

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


@pytest.mark.parametrize("tty", [False, True])
@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
@pytest.mark.parametrize("force_color", [None, "", "1"])
@pytest.mark.parametrize("compatible", [None, "0", "1", "x"])
@pytest.mark.parametrize("columns", [None, "0", "57", "abc", "²"])
def test_the_console_is_read_as_rich_reads_it(
    monkeypatch: pytest.MonkeyPatch,
    plain_env: None,
    tty: bool,
    encoding: str,
    force_color: str | None,
    compatible: str | None,
    columns: str | None,
) -> None:
    """Where the writer answers, rich would draw no colour, at the same width, in a
    Unicode box."""
    from rich.console import Console

    for name, value in (
        ("FORCE_COLOR", force_color),
        ("TTY_COMPATIBLE", compatible),
        ("COLUMNS", columns),
    ):
        if value is not None:
            monkeypatch.setenv(name, value)
    stream = _Stream(tty, encoding)
    width = textout.plain_width(stream)
    if width is None:
        return
    console = Console(file=stream, highlight=False, soft_wrap=True, markup=False, emoji=False)
    assert not console.is_terminal and console.color_system is None
    assert console.width == width
    assert not console.options.ascii_only


def test_a_pipe_gets_the_direct_writer_and_a_terminal_rich(plain_env: None) -> None:
    assert textout.plain_width(_Stream(tty=False)) is not None
    assert textout.plain_width(_Stream(tty=True)) is None
    assert textout.plain_width(_Stream(tty=False, encoding="ascii")) is None


def _org_with_odd_name(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """The bundled example with 王副区长 renamed NAME (quoted for YAML)."""
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    examples = bundled_policy_dir() / "examples"
    org = (examples / "org.yaml").read_text(encoding="utf-8")
    doc = (examples / "doc-outgoing.yaml").read_text(encoding="utf-8")
    org = org.replace("name: 王副区长", f"name: {quoted}").replace("[王副区长]", f"[{quoted}]")
    doc = doc.replace("actor: 王副区长", f"actor: {quoted}").replace("呈王副区长", "呈王")
    (tmp_path / "org.yaml").write_text(org, encoding="utf-8")
    (tmp_path / "doc.yaml").write_text(doc, encoding="utf-8")
    return tmp_path / "org.yaml", tmp_path / "doc.yaml"


@pytest.mark.parametrize("terminal", [False, True])
@pytest.mark.parametrize("name", ["[/red]王", "[bold]王[/bold]", "王:smile:", "\\[王]"])
def test_names_are_printed_as_written(tmp_path: Path, name: str, terminal: bool) -> None:
    """A name that looks like rich markup or an emoji code is data: printed as written,
    whether rich draws (a terminal) or not. It was an internal error (exit 70) before."""
    org, doc = _org_with_odd_name(tmp_path, name)
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["GOVRULES_ROUTE_KIT"] = "off"
    if terminal:
        env["TTY_COMPATIBLE"] = "1"  # rich draws, in colour, as at a terminal
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "govrules",
            "route",
            str(doc),
            "--org",
            str(org),
            "--policy",
            str(XIHU),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"sign:{name} → issue:张区长" in done.stdout


@pytest.mark.parametrize("columns", ["0", "00", "1", "3", "40"])
def test_emit_writes_what_rich_writes_at_any_console_width(
    monkeypatch: pytest.MonkeyPatch, plain_env: None, columns: str
) -> None:
    """At COLUMNS=0 rich prints nothing at all; at 1 it still prints lines uncut."""
    blocks: list[Block] = [
        Line.of("合规：未发现问题。"),
        Line(),
        Table("t", ("a", "b"), (("x", "秘书股"),)),
    ]
    monkeypatch.setenv("COLUMNS", columns)
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    textout.emit(blocks)
    assert out.getvalue() == _rich_text(blocks, int(columns), monkeypatch)


def test_ipython_and_rich_live_displays_are_left_to_rich(
    monkeypatch: pytest.MonkeyPatch, plain_env: None
) -> None:
    """In IPython rich may display through the notebook, in colour; inside rich's Live or
    Progress standard output is a proxy rich unwraps."""
    import builtins

    assert textout.plain_width(_Stream(tty=False)) == 80
    monkeypatch.setattr(builtins, "get_ipython", lambda: None, raising=False)
    assert textout.plain_width(_Stream(tty=False)) is None
    monkeypatch.delattr(builtins, "get_ipython")
    proxy = _Stream(tty=False)
    proxy.rich_proxied_file = io.StringIO()  # type: ignore[attr-defined]
    assert textout.plain_width(proxy) is None
