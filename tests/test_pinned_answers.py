"""Pins the bundled policies' answers byte for byte across changes to the engine's layout.

Every example of both bundled policies is asked through the CLI (route, check, explain;
leave, --suggest, --explain, --why-not; batch) with --format json in zh and en, and every
policy test case through the API (its whole answer as JSON, zh and en; explanations are
pinned on the examples, where they are asked through the CLI).
The answers are compared with tests/pinned/answers.json; a changed answer must be a fix
someone names, never an accident of refactoring. To re-record after a named fix:

    GOVRULES_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_pinned_answers.py

and read the diff before committing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from click.testing import CliRunner

from govrules.cli.main import cli
from govrules.engine import Policy
from govrules.errors import GovrulesError
from govrules.policy_tests import Case, ask_document, case_files, load_cases

ROOT = Path(__file__).resolve().parent.parent
PINNED = Path(__file__).parent / "pinned" / "answers.json"
POLICIES = sorted(p for p in (ROOT / "policy").iterdir() if (p / "policy.toml").is_file())
LANGS = ("zh", "en")


def _cli(*args: str) -> str:
    """What the CLI writes to standard output, after its exit status."""
    result = CliRunner().invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    # Answers that name the files asked about name them absolutely: pinned relative to the
    # checkout, so that a clone elsewhere answers the same.
    return f"exit {result.exit_code}\n{result.stdout}".replace(str(ROOT), "<checkout>")


def _example_questions(policy: Path) -> Iterator[tuple[str, list[str]]]:
    examples = policy / "examples"
    where = ["--policy", str(policy)]
    for path in sorted(examples.glob("*.yaml")):
        name = f"{policy.name}/examples/{path.name}"
        head = path.read_text(encoding="utf-8")
        if path.name.startswith("org"):
            continue
        if "document:" in head:
            verbs = [["route"], ["check"], ["explain"], ["check", "--why-not"]]
        elif "absences:" in head:
            verbs = [["leave"], ["leave", "--suggest"], ["leave", "--explain"]]
            verbs.append(["leave", "--why-not"])
        else:
            continue
        for verb in verbs:
            for lang in LANGS:
                key = f"{name} {' '.join(verb)} --lang {lang}"
                yield key, [verb[0], str(path), *verb[1:], *where, "--lang", lang]
    for path in sorted(examples.glob("*.jsonl")):
        for lang in LANGS:
            key = f"{policy.name}/examples/{path.name} batch --lang {lang}"
            yield key, ["batch", str(path), *where, "--lang", lang]


def _case_answer(policy: Policy, case: Case) -> dict[str, str]:
    """The case's whole answer as the API's JSON, in each language (or its error)."""
    org = case.org
    try:
        if case.verb == "leave":
            found = policy.check_leave(case.data, org, interpretations=case.interpretations)
            out = {lang: found.to_json(lang) for lang in LANGS}
            if case.suggest:
                suggestion = policy.suggest_leave(
                    case.data, org, interpretations=case.interpretations
                )
                out.update({f"suggest {lang}": suggestion.to_json(lang) for lang in LANGS})
            return out
        result = ask_document(policy, case)
        return {lang: result.to_json(lang) for lang in LANGS}
    except GovrulesError as err:
        return {lang: f"error {err.code}: {err.render(lang)}" for lang in LANGS}


def answers() -> dict[str, str]:
    """Every pinned question with today's answer."""
    out: dict[str, str] = {}
    for directory in POLICIES:
        for key, args in _example_questions(directory):
            out[key] = _cli(*args)
        policy = Policy.load(directory)
        for path in case_files(directory / "tests"):
            for number, case in enumerate(load_cases(path)):
                where = f"{directory.name}/tests/{path.name}#{number} {case.verb}"
                for lang, text in _case_answer(policy, case).items():
                    out[f"{where} {lang}"] = text
    return out


def _dump(data: dict[str, str]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def test_every_bundled_answer_is_as_pinned() -> None:
    found = answers()
    text = _dump(found)
    if os.environ.get("GOVRULES_UPDATE_GOLDEN") == "1":
        PINNED.parent.mkdir(exist_ok=True)
        PINNED.write_text(text, encoding="utf-8")
    pinned: dict[str, str] = json.loads(PINNED.read_text(encoding="utf-8"))
    missing = sorted(set(pinned) - set(found))
    added = sorted(set(found) - set(pinned))
    changed = sorted(k for k in set(pinned) & set(found) if pinned[k] != found[k])
    assert not (missing or added or changed), (
        f"answers differ from {PINNED.name}: changed {changed[:10]}, "
        f"no longer asked {missing[:10]}, new {added[:10]}"
    )
    assert text == PINNED.read_text(encoding="utf-8")
    # The pin covers what it says: both policies, every verb, both languages.
    assert {k.split("/")[0] for k in found} == {p.name for p in POLICIES}
    assert any(" leave --suggest --lang en" in k for k in found)
    assert any(" explain --lang en" in k for k in found)
