"""Every command the README and the tutorial show is run, and its output compared.

A new user copies commands from README.md and docs/tutorial.md; a command that fails as
written, or prints something else than shown, is a bug of the documentation. The rules
for reading a Markdown file (see `shell_examples`):

- in a fenced block, a line `$ COMMAND` is a command; the lines up to the next `$ ` line
  are the output it shows. Its expected exit status is 0, or N when the command ends with
  a comment holding `exit N`;
- an ``sh`` block without `$ ` lines is a script, run whole (``set -e``), exit 0;
- an HTML comment on the line before a block steers it: `<!-- test: skip REASON -->` (not
  run: it takes minutes or needs what a test cannot have), `<!-- test: file PATH -->`
  (the block's text is written to PATH before the commands after it run);
- shown output (standard output; standard error for a command that exits 2) is compared
  line by line after collapsing runs of spaces; a `…` inside a
  line stands for any text, a line that is only `…` for any number of lines. When the real
  output is one JSON document, shown output that starts with `{` is that JSON folded for
  reading: the shown text, with `…` standing for any elided part, must match its one-line
  form.

The README's Python API example is run too. Commands run with the `govrules` of the
environment running the tests, in a temporary
directory holding a copy of `policy/` (so that files the examples write, such as
`2027.yaml`, land there), with HOME there too and one shared compiled-policy cache.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ("README.md", "docs/tutorial.md")

_FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
_MARKER = re.compile(r"^<!--\s*test:\s*(skip|file)\s*(.*?)\s*-->\s*$")
_EXIT = re.compile(r"#.*\bexit\s+(\d)\b")


@dataclass(frozen=True)
class Example:
    line: int  # where the command (or script, or file) starts in the Markdown file
    kind: str  # command | script | file
    text: str  # the command line, the script, or the file's content
    shown: str = ""  # the output shown after a command
    status: int = 0
    path: str = ""  # for a file


def shell_examples(markdown: str) -> list[Example]:
    """The commands, scripts and files of a Markdown file, in order."""
    lines = markdown.splitlines()
    out: list[Example] = []
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        lang = fence.group(2)
        marker = _MARKER.match(lines[i - 1].strip()) if i else None
        end = i + 1
        while end < len(lines) and not _FENCE.match(lines[end]):
            end += 1
        body = lines[i + 1 : end]
        start = i + 2  # 1-based line of the block's first line
        i = end + 1
        if marker and marker.group(1) == "skip":
            assert marker.group(2), f"line {start - 1}: a skipped block must say why"
            continue
        if marker and marker.group(1) == "file":
            out.append(Example(start, "file", "\n".join(body) + "\n", path=marker.group(2)))
            continue
        commands = [k for k, text in enumerate(body) if text.startswith("$ ")]
        if commands:
            for n, k in enumerate(commands):
                stop = commands[n + 1] if n + 1 < len(commands) else len(body)
                command = body[k][2:]
                status = _EXIT.search(command)
                shown = "\n".join(body[k + 1 : stop]).strip("\n")
                out.append(
                    Example(
                        start + k,
                        "command",
                        command,
                        shown=shown,
                        status=int(status.group(1)) if status else 0,
                    )
                )
        elif lang in ("sh", "bash", "shell"):
            out.append(Example(start, "script", "set -e\n" + "\n".join(body) + "\n"))
    return out


def _collapse(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip()


def _text_matches(shown: str, actual: str) -> bool:
    pattern = ""
    for line in shown.splitlines():
        line = _collapse(line)
        if line == "…":
            pattern += r"(?:[^\n]*\n)*?"
        else:
            pattern += "[^\n]*?".join(re.escape(part) for part in line.split("…")) + r"\n"
    text = "".join(_collapse(line) + "\n" for line in actual.splitlines())
    return re.fullmatch(pattern, text) is not None


def _folded(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"([\[{]) ", r"\1", text)
    return re.sub(r" ([\]}])", r"\1", text)


def _json_matches(shown: str, actual: str) -> bool:
    try:
        data = json.loads(actual)
    except ValueError:
        return False
    one_line = json.dumps(data, ensure_ascii=False, sort_keys=True)
    pattern = ".*?".join(re.escape(part) for part in _folded(shown).split("…"))
    return re.fullmatch(pattern, one_line, re.DOTALL) is not None


def output_matches(shown: str, actual: str) -> bool:
    if shown.lstrip().startswith("{") and _is_json(actual):
        return _json_matches(shown, actual)
    return _text_matches(shown, actual)


def _is_json(text: str) -> bool:
    """One JSON document (JSON Lines, as `batch` prints, are compared as text)."""
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def shown_stream(done: subprocess.CompletedProcess[str]) -> str:
    """What the reader sees of a command: its standard output, or its standard error when
    it was refused (exit status 2: one message, nothing on standard output)."""
    return done.stderr if done.returncode == 2 else done.stdout


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def _environment(home: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVRULES_")}
    for name in ("COLUMNS", "LINES", "VIRTUAL_ENV"):
        env.pop(name, None)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(home)
    env["GOVRULES_CACHE"] = str(cache)
    return env


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_shown_command_works_as_written(document: str, tmp_path: Path, cache: Path) -> None:
    assert shutil.which("govrules", path=str(Path(sys.executable).parent)), (
        "govrules is not installed next to this Python"
    )
    shutil.copytree(ROOT / "policy", tmp_path / "policy")
    env = _environment(tmp_path, cache)
    examples = shell_examples((ROOT / document).read_text(encoding="utf-8"))
    assert any(e.kind == "command" for e in examples), f"{document} shows no command"
    problems: list[str] = []
    for example in examples:
        where = f"{document}:{example.line}"
        if example.kind == "file":
            target = tmp_path / example.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(example.text, encoding="utf-8")
            continue
        done = subprocess.run(
            ["bash", "-c", example.text],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != example.status:
            problems.append(
                f"{where}: `{example.text.strip()}` exited {done.returncode}, "
                f"documented {example.status}\n{done.stdout[-800:]}{done.stderr[-800:]}"
            )
        elif example.shown and not output_matches(example.shown, printed := shown_stream(done)):
            problems.append(
                f"{where}: `{example.text}` printed\n{printed}\nwhich is not what is "
                f"shown:\n{example.shown}"
            )
    assert not problems, "\n\n".join(problems)


def test_the_reader_rules_catch_a_difference() -> None:
    """The comparison is not vacuous: a changed line, a wrong JSON value, a missing line fail."""
    shown = "a  b\n…\nend: …"
    assert output_matches(shown, "a b\nx\ny\nend: 3\n")
    assert not output_matches(shown, "a c\nend: 3\n")
    assert not output_matches("a\nb", "a\n")
    folded = '{\n  "k": [1, …],\n  "z": {"y": true, …}\n}'
    assert output_matches(folded, json.dumps({"k": [1, 2], "z": {"y": True, "yy": 1}}, indent=2))
    assert not output_matches(folded, json.dumps({"k": [2, 1], "z": {"y": True}}))
    assert not output_matches(folded, "not json")
    lines = '{"line": 1, "ok": true}\n{"line": 2, "ok": false}\n'
    assert output_matches('{"line": 1, …}\n{"line": 2, "ok": false}', lines)
    assert not output_matches('{"line": 1, …}\n{"line": 2, "ok": true}', lines)
    examples = shell_examples(
        "<!-- test: skip slow -->\n```sh\n$ sleep 100\n```\n"
        "```\n$ govrules x   # exit 1: bad\nout\n\n$ govrules y\n```\n"
        "<!-- test: file p/a.rules -->\n```\n第一条\n```\n"
        "```sh\ncd p\n```\n```yaml\nk: v\n```\n"
    )
    assert [(e.kind, e.line, e.status, e.shown) for e in examples] == [
        ("command", 6, 1, "out"),
        ("command", 9, 0, ""),
        ("file", 13, 0, ""),
        ("script", 16, 0, ""),
    ]


def _readme_options() -> dict[str, set[str]]:
    """The options table of the README: verb (or `calendar check`) to its options."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("The options each verb takes", 1)[1].split("\n\n", 2)[1]
    out: dict[str, set[str]] = {}
    for row in table.splitlines()[2:]:
        verbs, options = row.strip("|").split("|", 1)
        for verb in re.findall(r"`([a-z ]+)`", verbs):
            out[verb] = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", options))
    return out


def test_the_readme_lists_each_verbs_options_as_its_help_does() -> None:
    import click

    from govrules.cli.main import cli

    documented = _readme_options()
    ctx = click.Context(cli)
    actual: dict[str, list[set[str]]] = {}  # verb: the spellings of each of its options
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None
        commands = {name: command}
        if isinstance(command, click.Group):
            sub = click.Context(command, parent=ctx)
            for subname in command.list_commands(sub):
                found = command.get_command(sub, subname)
                assert found is not None
                commands[f"{name} {subname}"] = found
        for verb, cmd in commands.items():
            actual[verb] = [
                {*p.opts, *p.secondary_opts}
                for p in cmd.params
                if isinstance(p, click.Option) and p.name != "help"
            ]
    assert set(documented) == set(actual)
    for verb, options in actual.items():
        missing = [sorted(o) for o in options if not o & documented[verb]]
        unknown = documented[verb] - set().union(*options)
        assert not missing and not unknown, (verb, missing, unknown)


def test_the_python_api_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's Python API block runs as written from the repository's root, and the
    values its comments promise hold."""
    import datetime

    from govrules.engine import Policy

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## The Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    names: dict[str, Any] = {}
    exec(compile(block, "README.md", "exec"), names)  # the README's own example
    policy = names["policy"]
    assert isinstance(policy, Policy)
    assert policy.due_date("2021-10-08", working_days=1) == datetime.date(2021, 10, 9)
    assert names["r"].order_count == 2
