"""Grammar-aware generation and mutation of rule files, run through the whole compiler.

Every input must end in a program clingo can parse, or in a `GovrulesError` that names
file, line and column; anything else (another exception, an error without a position, a
compile slower than `LIMIT` seconds) is a failure. `python -m tests.fuzz.rules --count N`
runs a campaign and prints its count and failures; the test suite runs a small one.
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import FrameType

import clingo
from tests.lang.test_grammar import FORMS

from govrules.compiler import kernel_text
from govrules.errors import GovrulesError
from govrules.lang import ast
from govrules.lang.emit import emit
from govrules.lang.keywords import KEYWORDS
from govrules.lang.resolve import resolve
from govrules.lang.syntax import parse_rules

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policy" / "xihu-office-2020"
VOCABULARY = "vocabulary.rules"
FUZZ_FILE = "fuzz.rules"
LIMIT = 5.0  # seconds for one parse + resolve + emit + clingo parse

SEEDS: tuple[str, ...] = tuple(
    p.read_text(encoding="utf-8")
    for p in (
        *sorted((POLICY / "rules").glob("*.rules")),
        *sorted((ROOT / "tests" / "fixtures" / "en").glob("*.rules")),
    )
)
SPELLINGS: tuple[str, ...] = tuple(
    sorted({w for k in KEYWORDS for w in (k.zh, k.en) if w is not None})
)
PUNCTUATION = ("。", ".", "；", ";", "：", ":", "，", ",", "、", "=", "“", "”", '"', "#", "\n")
HEADERS = (
    "第一条",
    "第二十九条",
    "第四十五条",
    "第九十九条",
    "article 1",
    "article 29",
    "article 0",
    "第零条",
    "article 99999999999999999999",
)
IDENTS = (
    "主任",
    "副主任",
    "分管副主任",
    "分管副区长",
    "秘书股",
    "区长",
    "审核",
    "审签",
    "签发",
    "拟办",
    "发文",
    "区政府",
    "休假",
    "出差",
    "区政府行文",
    "office_director",
    "deputy_in_charge",
    "review",
    "sign",
    "outgoing",
    "vacation",
    "甲",
    "未知词",
    "x_y",
    "Ｘ",
)
NASTY = (
    "\u202e",
    "\u200b",
    "\ufeff",
    "\0",
    "\x7f",
    "\ud7ff",
    "𝕏",
    "é",
    "\r",
    "\t",
    '"',
    "\\",
    "%",
    "#include",
    "#const",
    ")",
    "(",
    ":-",
    "“",
    "”",
    "１２",
    "〇",
    "⟦",
)


@dataclass(frozen=True)
class Failure:
    text: str
    problem: str


@cache
def _vocabulary() -> tuple[ast.RuleFile, str]:
    text = (POLICY / VOCABULARY).read_text(encoding="utf-8")
    return parse_rules(text, VOCABULARY), text


class _Slow(Exception):
    pass


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt the main thread after `seconds` (a hang becomes a failure, not a stall)."""

    def alarm(_signum: int, _frame: FrameType | None) -> None:
        raise _Slow

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def compile_one(text: str) -> str | None:
    """None when `text` compiles to valid ASP or fails cleanly; else what went wrong."""
    vocabulary, vocabulary_text = _vocabulary()
    start = time.monotonic()
    try:
        with _deadline(LIMIT):
            rules = parse_rules(text, FUZZ_FILE)
            program = resolve([vocabulary, rules], {VOCABULARY: vocabulary_text, FUZZ_FILE: text})
            emitted = emit(program).program
            # With the kernel, grounded and solved on no input: unsafe variables, undefined
            # operations and an unsatisfiable program show here, not only syntax.
            ctl = clingo.Control(["--warn=none"])
            ctl.add("base", [], kernel_text() + "\n" + emitted)
            ctl.ground([("base", [])])
            if not ctl.solve().satisfiable:
                return "the compiled program with the kernel has no answer on empty input"
    except _Slow:
        return f"no answer within {LIMIT} s"
    except GovrulesError as err:
        where = err.location
        if not where.file or where.line is None or where.column is None:
            return f"error without file:line:column ({err.code}): {err.render('en')}"
        if where.file not in (FUZZ_FILE, VOCABULARY):
            return f"error in an unknown file {where.file!r}: {err.render('en')}"
        return None
    except RuntimeError as err:  # clingo's parser: the emitted program is not valid ASP
        return f"emitted program rejected by clingo: {err}"
    except Exception as err:
        return f"{type(err).__name__}: {err}"
    if time.monotonic() - start > LIMIT:
        return f"took {time.monotonic() - start:.1f} s"
    return None


# ---- inputs --------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    """Words and punctuation, keeping the whitespace as tokens of its own."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ch.isspace() or ch in '。.；;：:，,、“”"=':
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
    if word:
        out.append(word)
    return out


def _random_char(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(NASTY)
    while True:
        code = rng.randrange(0x20, 0x30000)
        if not 0xD800 <= code <= 0xDFFF:
            return chr(code)


def mutate(rng: random.Random, text: str) -> str:
    """A bundled rule file with a few tokens deleted, duplicated, swapped or replaced."""
    tokens = _tokens(text)
    for _ in range(rng.randint(1, 6)):
        if not tokens:
            break
        i = rng.randrange(len(tokens))
        op = rng.randrange(7)
        if op == 0:
            del tokens[i]
        elif op == 1:
            tokens.insert(i, tokens[i])
        elif op == 2:
            j = rng.randrange(len(tokens))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif op == 3:
            tokens.insert(i, _random_char(rng))
        elif op == 4:
            tokens[i] = rng.choice(SPELLINGS + IDENTS)
        elif op == 5:
            tokens = tokens[:i]
        else:
            tokens.insert(i, rng.choice(PUNCTUATION))
    return "".join(tokens)


@cache
def _terms() -> tuple[str, ...]:
    """Every Chinese label and identifier of the bundled vocabulary."""
    text = (POLICY / VOCABULARY).read_text(encoding="utf-8")
    found = re.findall(r"^\s+\S+ (\S+) = (\w+)", text, flags=re.MULTILINE)
    return tuple(sorted({t for pair in found for t in pair}))


def _form(rng: random.Random) -> str:
    """One statement of every grammar form (tests/lang/test_grammar.py), in either keyword
    set, its names replaced by vocabulary terms of any kind, possibly guarded."""
    zh, en, _ = FORMS[rng.choice(sorted(FORMS))]
    lang_zh = rng.random() < 0.5
    keywords = set(" ".join(SPELLINGS).split())
    words = []
    for token in _tokens(zh if lang_zh else en):
        is_name = token.strip() and token not in keywords and token[0].isalpha()
        words.append(rng.choice(_terms() + IDENTS) if is_name and rng.random() < 0.4 else token)
    body = "".join(words)
    if rng.random() < 0.2:
        guard = rng.choice(
            ("依 解释 任何缺勤不同时：", "除非 解释 broad：", "under interpretation x: ")
        )
        body = guard + body
    if rng.random() < 0.2:
        body = rng.choice(("规则 a1.1：", "rule x-2.b: ", "规则 ：")) + body
    return body


def generate(rng: random.Random) -> str:
    """Article headers followed by statements of the grammar's forms, or keyword soup."""
    lines = []
    for _ in range(rng.randint(1, 3)):
        lines.append(rng.choice(HEADERS))
        for _ in range(rng.randint(0, 4)):
            if rng.random() < 0.8:
                lines.append("  " + _form(rng))
                continue
            words = [
                rng.choice(SPELLINGS if rng.random() < 0.45 else IDENTS)
                if rng.random() < 0.9
                else rng.choice(PUNCTUATION)
                for _ in range(rng.randint(1, 9))
            ]
            end = rng.choice(("。", ".", "", "；"))
            lines.append("  " + " ".join(words) + end)
    text = "\n".join(lines) + rng.choice(("\n", ""))
    return mutate(rng, text) if rng.random() < 0.2 else text


def inputs(rng: random.Random, count: int) -> Iterator[str]:
    for n in range(count):
        kind = n % 2
        if kind == 0:
            yield generate(rng)
        else:
            yield mutate(rng, rng.choice(SEEDS))


def campaign(count: int, seed: int) -> list[Failure]:
    rng = random.Random(seed)
    failures = []
    for text in inputs(rng, count):
        problem = compile_one(text)
        if problem is not None:
            failures.append(Failure(text, problem))
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    start = time.monotonic()
    failures = campaign(args.count, seed)
    for f in failures:
        print(f"--- {f.problem}\n{f.text!r}", file=sys.stderr)
    print(
        f"fuzz: {args.count} rule files (seed {seed}, {time.monotonic() - start:.0f} s), "
        f"{len(failures)} failures"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
