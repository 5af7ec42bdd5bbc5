"""A one-shot `govrules route` imports only what a route needs (issue 16, a lean start).

Behavioural, not timed: a fresh interpreter runs the CLI's route and reports which modules
it imported. The rule compiler's front-end (lark) is not needed when the compiled policy
is cached, the terminal renderer (rich) not for JSON output, and explanations, leave,
repair and why-not not for a route at all. How long a start takes is measured in bench/.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from govrules import policy_text
from govrules.resources import bundled_policy_dir

EXAMPLE = bundled_policy_dir() / "examples" / "doc-outgoing.yaml"

_PROBE = """
import json, sys
from govrules.cli.main import cli
try:
    cli.main(sys.argv[1:])
except SystemExit as done:
    code = done.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _imported(*args: str) -> tuple[int, set[str]]:
    """The exit status of `govrules ARGS` and every module it imported."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=False
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


def _tops(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_a_route_imports_no_compiler_front_end_renderer_or_other_question() -> None:
    # Warm the compiled-policy cache first: a cold cache compiles, and needs lark.
    code, _ = _imported("route", str(EXAMPLE), "--format", "json")
    assert code == 0
    code, modules = _imported("route", str(EXAMPLE), "--format", "json")
    assert code == 0
    assert not {"lark", "rich", "ruamel"} & _tops(modules)  # libyaml read the YAML
    unwanted = {
        "govrules.lang.syntax",
        "govrules.lang.resolve",
        "govrules.explain",
        "govrules.presence",
        "govrules.repair",
        "govrules.whynot",
        "govrules.checkpool",
        "govrules.asp.batch",
        "govrules.asp.cores",
    }
    assert not unwanted & modules, sorted(unwanted & modules)
    # The probe sees imports: the route itself and the solver were imported.
    assert {"govrules.routing", "clingo"} <= modules


def test_a_file_libyaml_declines_is_read_by_ruamel(tmp_path: Path) -> None:
    """An anchor is outside what the libyaml reader answers: the round-trip reader reads
    the file, and the route is the same as of the file without it."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("kind: outgoing", "kind: &k outgoing")
    anchored = tmp_path / "anchored.yaml"
    anchored.write_text(text, encoding="utf-8")
    code, modules = _imported("route", str(anchored), "--format", "json")
    assert code == 0 and "ruamel" in _tops(modules)
    plain_route = subprocess.run(
        [sys.executable, "-m", "govrules", "route", str(EXAMPLE), "--format", "json"],
        capture_output=True,
        check=True,
    ).stdout
    anchored_route = subprocess.run(
        [sys.executable, "-m", "govrules", "route", str(anchored), "--format", "json"],
        capture_output=True,
        check=True,
    ).stdout
    assert json.loads(anchored_route)["orders"] == json.loads(plain_route)["orders"]


def test_text_to_a_pipe_is_written_directly_and_rich_draws_at_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A text route to a pipe measures with rich's cell widths but does not draw with its
    console; where rich would colour (a terminal, here TTY_COMPATIBLE=1) it draws. The
    same probe sees explanations imported when asked for."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    code, modules = _imported("route", str(EXAMPLE))
    assert code == 0 and "rich.cells" in modules
    assert not {"rich.console", "rich.table"} & modules
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    code, modules = _imported("route", str(EXAMPLE))
    assert code == 0 and {"rich.console", "rich.table"} <= modules
    monkeypatch.delenv("TTY_COMPATIBLE")
    code, modules = _imported("route", str(EXAMPLE), "--format", "json", "--explain")
    assert code == 0 and "govrules.explain" in modules


def test_the_policy_text_is_parsed_once_and_then_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """articles.toml is parsed once per process and kept as JSON in the compiled-policy
    cache; what the cache gives back is what the parser gave, and use_cache=False parses."""
    monkeypatch.setenv("GOVRULES_CACHE", str(tmp_path / "cache"))
    parses: list[int] = []
    real = tomllib.loads

    def counted(text: str) -> dict[str, Any]:
        parses.append(1)
        return real(text)

    monkeypatch.setattr(tomllib, "loads", counted)
    monkeypatch.setattr(policy_text, "_PARSED", {})  # as in a new process
    directory = bundled_policy_dir()
    fresh = policy_text.load_policy_text(directory, use_cache=False)
    assert len(parses) == 2  # policy.toml and articles.toml
    monkeypatch.setattr(policy_text, "_PARSED", {})
    first = policy_text.load_policy_text(directory)
    assert len(parses) == 4
    policy_text.article_labels(directory)  # the compiler reads articles.toml too
    assert len(parses) == 4
    monkeypatch.setattr(policy_text, "_PARSED", {})  # a new process
    cached = policy_text.load_policy_text(directory)
    assert len(parses) == 5  # policy.toml holds dates: parsed again; articles.toml read
    assert cached == first == fresh
