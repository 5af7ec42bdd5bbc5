"""Text answers as blocks (lines and tables): drawn by rich where it would colour them,
written directly elsewhere, byte for byte as rich would write them.

Why: importing rich and drawing one table costs a one-shot `govrules route` 45-55 ms, a
third of its time. Where rich would draw no colour (a pipe, a file, an OA system reading
the text), the same bytes are written here without it. Whatever this writer is not sure
of (a terminal, a colour forced on, a table wider than the console, a control character)
goes to rich; `tests/test_textout.py` holds the two byte-equal on generated blocks.
Data is never read as rich markup or emoji codes: a name like "[/red]" or ":smile:" is
printed as written.
"""

from __future__ import annotations

import builtins
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from govrules.errors import has_control

__all__ = ["Line", "Span", "Table", "emit", "plain_text", "plain_width"]


@dataclass(frozen=True)
class Span:
    """Text and the rich style it has at a terminal ("" for none)."""

    text: str
    style: str = ""


@dataclass(frozen=True)
class Line:
    """One printed line; no spans is an empty line."""

    spans: tuple[Span, ...] = ()

    @classmethod
    def of(cls, text: str, style: str = "") -> Line:
        return cls((Span(text, style),))


@dataclass(frozen=True)
class Table:
    """A titled table: rich's default (heavy head) box, one line a row."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Line | Table

_STD_FDS = (0, 1, 2)  # rich asks stdin, stdout and stderr for the terminal's size


def plain_width(stream: IO[str]) -> int | None:
    """The console width rich would lay out at on STREAM when it would write no colour
    or control code, or None where it would (a terminal, a colour forced on) or where
    this cannot tell. Mirrors rich.console.Console's is_terminal, encoding and size."""
    if sys.platform == "win32":  # legacy consoles: rich's own renderer
        return None
    if hasattr(builtins, "get_ipython"):  # IPython or Jupyter: rich may display, in colour
        return None
    if hasattr(stream, "rich_proxied_file"):  # inside rich's Live or Progress: it redirects
        return None
    stdin_module = getattr(sys.stdin, "__module__", "") or ""
    if stdin_module.startswith("idlelib"):
        return None
    environ = os.environ
    compatible = environ.get("TTY_COMPATIBLE", "")
    if compatible == "1":
        return None
    if compatible != "0":
        forced = environ.get("FORCE_COLOR")
        if forced is not None:
            if forced != "":
                return None
        else:
            isatty = getattr(stream, "isatty", None)
            if isatty is None:
                return None
            try:
                if isatty():
                    return None
            except ValueError:
                return None
    encoding = (getattr(stream, "encoding", "utf-8") or "utf-8").lower()
    if not encoding.startswith("utf"):  # rich would draw an ASCII box
        return None
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        try:
            width = int(columns)
        except ValueError:  # a digit int() does not read ("²"): rich fails; let it
            return None
        # At width 0 rich prints nothing at all: let it.
        return width if width >= 1 else None
    width = 0
    for fd in _STD_FDS:
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def _sure_width(cell: str) -> int | None:
    """CELL's width as rich measures it, or None where rich may pad or crop it otherwise:
    a character of no width (a joiner, a combining mark) or one that joins into a
    grapheme of a width other than its characters' (an emoji with a selector)."""
    from rich.cells import cell_len, get_character_cell_size  # rich's own measure (~2 ms)

    total = 0
    for character in cell:
        size = get_character_cell_size(character)
        if size == 0:
            return None
        total += size
    return total if total == cell_len(cell) else None


def _table_text(table: Table, width: int) -> str | None:
    count = len(table.headers)
    if not table.rows or count == 0 or any(len(row) != count for row in table.rows):
        return None
    cells = [table.headers, *table.rows]
    for row in cells:
        for cell in row:
            # Empty, padded or spaced-out cells rich may measure or wrap otherwise.
            if not cell or cell != cell.strip() or "  " in cell:
                return None
    measured = [[_sure_width(cell) for cell in row] for row in cells]
    lengths = [[n for n in row if n is not None] for row in measured]
    if any(len(row) != count for row in lengths):
        return None
    widths = [max(row[i] for row in lengths) + 2 for i in range(count)]
    if any(w <= 2 for w in widths) or sum(widths) + count + 1 > width:
        return None  # rich would shrink and wrap the columns

    def row_line(row: tuple[str, ...], sizes: list[int], edge: str) -> str:
        parts = [
            f" {cell}{' ' * (w - 2 - n)} " for cell, n, w in zip(row, sizes, widths, strict=True)
        ]
        return edge + edge.join(parts) + edge

    lines = [
        *([table.title] if table.title else []),  # rich draws no line for no title
        "┏" + "┳".join("━" * w for w in widths) + "┓",
        row_line(table.headers, lengths[0], "┃"),
        "┡" + "╇".join("━" * w for w in widths) + "┩",
        *(row_line(row, sizes, "│") for row, sizes in zip(table.rows, lengths[1:], strict=True)),
        "└" + "┴".join("─" * w for w in widths) + "┘",
    ]
    return "\n".join(lines) + "\n"


def _words(block: Block) -> list[str]:
    if isinstance(block, Table):
        return [block.title, *block.headers, *(cell for row in block.rows for cell in row)]
    return [span.text for span in block.spans]


def plain_text(blocks: Sequence[Block], width: int) -> list[str] | None:
    """Each block's text as rich writes it without colour at WIDTH, or None if unsure."""
    texts: list[str] = []
    for block in blocks:
        # What rich would strip, expand or break a line at: control characters, separators.
        if any(has_control(word) for word in _words(block)):
            return None
        if isinstance(block, Table):
            text = _table_text(block, width)
            if text is None:
                return None
        else:
            text = "".join(span.text for span in block.spans) + "\n"
        texts.append(text)
    return texts


def _write_plain(texts: list[str]) -> None:
    """Write and flush each block as rich does each print; a gone reader exits 1 with
    standard output on the null device, as rich's Console.on_broken_pipe does."""
    stdout = sys.stdout
    try:
        for text in texts:
            stdout.write(text)
            stdout.flush()
    except BrokenPipeError:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stdout.fileno())
        raise SystemExit(1) from None


def _draw_rich(blocks: Sequence[Block]) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    # No markup and no emoji codes: the data is printed as written.
    console = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
    for block in blocks:
        if isinstance(block, Table):
            table = RichTable(title=block.title)
            for header in block.headers:
                table.add_column(header)
            for row in block.rows:
                table.add_row(*row)
            console.print(table)
        elif block.spans:
            console.print(Text.assemble(*((span.text, span.style) for span in block.spans)))
        else:
            console.print()


def emit(blocks: Sequence[Block]) -> None:
    """Print BLOCKS to standard output: directly where rich would write them plainly."""
    width = plain_width(sys.stdout)
    texts = plain_text(blocks, width) if width is not None else None
    if texts is None:
        _draw_rich(blocks)
    else:
        _write_plain(texts)
