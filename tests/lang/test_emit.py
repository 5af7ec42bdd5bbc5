"""The emitter: the compiled bundled policy, compared with a golden file.

The golden file tests/lang/golden/policy.lp is rewritten, instead of compared, when the
environment variable GOVRULES_UPDATE_GOLDEN=1 is set:

    GOVRULES_UPDATE_GOLDEN=1 .venv/bin/pytest tests/lang/test_emit.py

Review the diff of the golden file before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

from govrules.lang.emit import emit
from govrules.lang.resolve import resolve

from .common import A39, BUNDLED, parsed

GOLDEN = Path(__file__).resolve().parent / "golden" / "policy.lp"


def test_bundled_policy_compiles_to_the_golden_program() -> None:
    text = emit(resolve([parsed(p) for p in BUNDLED])).text
    if os.environ.get("GOVRULES_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_program_is_the_text_without_comments() -> None:
    program = resolve([parsed(p) for p in BUNDLED])
    emitted = emit(program)
    lines = emitted.program.splitlines()
    assert lines and not any(line.startswith("%") or not line for line in lines)
    kept = [line for line in emitted.text.splitlines() if line and not line.startswith("%")]
    assert lines == kept
    assert 'rule("a29.1",29,violation).' in lines
    assert set(emitted.source_map) == {r.ident for r in program.rules}
    assert {"a29.1", "a39.2", "a14.1"} <= set(emitted.source_map)
    for rule in program.rules:  # named a{article}.{n} in the bundled policy's rule files
        assert rule.ident.startswith(f"a{rule.article}.")
        assert f'rule("{rule.ident}",{rule.article},{rule.severity}).' in lines
    a39 = Path(A39).read_text(encoding="utf-8").splitlines()
    deputy_duty = next(n for n, row in enumerate(a39, 1) if "副主任 出差" in row)
    assert emitted.source_map["a39.2"].line == deputy_duty
