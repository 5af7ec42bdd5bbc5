"""Mutated input files (bytes deleted, duplicated, swapped, inserted; cut short): each
loads, or fails with one InputError naming the file; no other exception escapes."""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from govrules.errors import InputError
from govrules.inputs import load_calendar_file, load_document, load_org, load_plan
from govrules.resources import bundled_policy_dir

EX = bundled_policy_dir() / "examples"
ORG = load_org(EX / "org.yaml")
CALENDAR = "years:\n  2027:\n    holidays: [2027-01-01]\n    workdays: [2027-02-07]\n"
CASES: dict[str, tuple[str, Callable[[str], object]]] = {
    "org": ((EX / "org.yaml").read_text(encoding="utf-8"), load_org),
    "document": (
        (EX / "doc-incoming.yaml").read_text(encoding="utf-8"),
        lambda p: load_document(p, ORG),
    ),
    "plan": ((EX / "plan.yaml").read_text(encoding="utf-8"), lambda p: load_plan(p, ORG)),
    "calendar": (CALENDAR, load_calendar_file),
}
NOISE = [
    "\0",
    "\t",
    "\n",
    ":",
    "-",
    "[",
    "]",
    "{",
    "}",
    "&a",
    "*a",
    "!!python/object",
    "'",
    '"',
    "\u202e",
    "\ufeff",
    "#",
    "|",
    ">",
    "%YAML 1.1\n",
    "---\n",
    "\r",
    "\\",
    "\x85",
]


def _mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 5)):
        i = rng.randrange(len(chars) + 1)
        op = rng.randrange(5)
        if op == 0 and chars:
            del chars[min(i, len(chars) - 1)]
        elif op == 1 and chars:
            chars.insert(i, chars[min(i, len(chars) - 1)])
        elif op == 2:
            chars.insert(i, rng.choice(NOISE))
        elif op == 3:
            chars = chars[:i]
        elif chars:
            j = rng.randrange(len(chars))
            k = min(i, len(chars) - 1)
            chars[j], chars[k] = chars[k], chars[j]
    return "".join(chars)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_mutated_input_files_load_or_fail_cleanly(kind: str, tmp_path: Path) -> None:
    text, loader = CASES[kind]
    rng = random.Random(kind)
    path = tmp_path / f"{kind}.yaml"
    refused = 0
    for _ in range(250):
        path.write_bytes(_mutate(rng, text).encode("utf-8", "surrogatepass"))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                loader(str(path))
        except InputError as err:
            refused += 1
            assert err.location.file == str(path), err.render("en")
    assert refused > 50
