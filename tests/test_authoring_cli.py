"""Authoring on the author's own policy: `init` scaffolds one that passes its tests at once,
`test DIR` / `compile FILE` / `lint FILE` find the policy a path belongs to, `--policy`
without `--org` takes the policy's declared example organisation or says one is needed,
and `test` warns on expectations naming a rule that no longer exists."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from govrules.cli.main import cli
from govrules.engine import Policy
from govrules.resources import bundled_org_file, bundled_policy_dir


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("init") / "new-policy"
    code, out, err = run("init", str(folder))
    assert code == 0, err
    assert str(folder / "policy.toml") in out
    return folder


def test_init_passes_its_own_tests_at_once(scaffolded: Path) -> None:
    code, out, err = run("test", str(scaffolded), "--format", "json")
    data = json.loads(out)
    assert code == 0, err
    assert data["passed"] == 2 and data["failed"] == 0 and data["warnings"] == []
    code, out, _ = run("test", str(scaffolded / "tests"), "--lang", "en")  # a folder of cases
    assert code == 0 and "2 passed, 0 failed" in out


def test_init_scaffold_has_its_own_words_and_lints_clean(scaffolded: Path) -> None:
    own = Policy.load(scaffolded, use_cache=False).program
    bundled = Policy.load(bundled_policy_dir()).program
    words = {(i.ident, i.label_zh) for i in own.vocabulary}
    xihu = {w for i in bundled.vocabulary for w in (i.ident, i.label_zh)}
    assert words and not {w for pair in words for w in pair} & xihu
    assert [r.ident for r in own.rules] == ["a1.1"]
    code, out, _ = run("lint", "--policy", str(scaffolded), "--lang", "en")
    assert code == 0 and out.strip() == "No problems."
    layout = sorted(p.relative_to(scaffolded).as_posix() for p in scaffolded.rglob("*"))
    assert {"policy.toml", "articles.toml", "vocabulary.rules", "examples/org.yaml"} <= set(layout)
    assert [p for p in layout if p.startswith("tests/")] == ["tests/a01-requests.yaml"]


def test_route_and_check_on_the_scaffold_use_its_example_org(scaffolded: Path) -> None:
    doc = str(scaffolded / "examples" / "doc-request.yaml")
    code, out, err = run("route", doc, "--policy", str(scaffolded), "--format", "json")
    assert code == 0, err
    steps = [s["id"] for s in json.loads(out)["steps"]]
    assert len(steps) == 2 and all(":" in s for s in steps)
    code, out, err = run("check", doc, "--policy", str(scaffolded), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["compliant"] is True


def test_init_refuses_a_non_empty_folder_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    code, _, err = run("init", str(tmp_path), "--lang", "en")
    assert code == 2 and "not empty" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, _ = run("init", str(empty))
    assert code == 0 and (empty / "policy.toml").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".govrules-init")]


def test_policy_without_a_declared_example_org_needs_org(scaffolded: Path, tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(scaffolded, folder)
    toml = folder / "policy.toml"
    toml.write_text(
        re.sub(r"(?m)^example_org = .*\n", "", toml.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    doc = str(folder / "examples" / "doc-request.yaml")
    code, _, err = run("route", doc, "--policy", str(folder), "--lang", "en")
    assert code == 2 and "--org" in err and "example_org" in err
    assert "Traceback" not in err
    org = str(folder / "examples" / "org.yaml")
    code, _, err = run("route", doc, "--policy", str(folder), "--org", org)
    assert code == 0, err


def test_the_bundled_policy_declares_its_example_org() -> None:
    policy = Policy.load(bundled_policy_dir())
    assert policy.text.example_org is not None
    assert policy.example_org() == bundled_org_file()
    assert bundled_org_file().is_file()


def test_compile_and_lint_find_the_policy_a_file_belongs_to(scaffolded: Path) -> None:
    rules = str(scaffolded / "rules" / "a01-requests.rules")
    code, out, err = run("compile", rules)
    assert code == 0, err
    assert 'rule("a1.1",1,violation).' in out
    code, out, _ = run("lint", rules, "--lang", "en")
    assert code == 0 and out.strip() == "No problems."


def test_test_warns_on_an_expectation_naming_a_missing_rule(
    scaffolded: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "p"
    shutil.copytree(scaffolded, folder)
    rules = folder / "rules" / "a01-requests.rules"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("规则 a1.1：", "规则 a1.renamed："),
        encoding="utf-8",
    )
    code, out, err = run("test", str(folder), "--lang", "en")
    assert code == 1  # the violating case still expects a1.1
    assert "expects rule a1.1, which no longer exists" in err
    code, out, _ = run("test", str(folder), "--format", "json")
    [warning] = json.loads(out)["warnings"]
    assert "a1.1" in warning and "已不存在" in warning


def test_no_source_file_names_an_organisation_file() -> None:
    """The default organisation is what a policy declares, never a path written in code."""
    src = Path(bundled_org_file.__code__.co_filename).parent
    named = [p for p in src.rglob("*.py") if "org.yaml" in p.read_text(encoding="utf-8")]
    assert named == []
