"""`govrules test`: run a policy's test cases, as `opa test` runs a bundle's tests."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from govrules.cli.main import cli
from govrules.cli.options import load
from govrules.errors import Bilingual, InputError
from govrules.policy_tests import CaseResult, case_files, load_cases, run_case


def _words(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


@cli.command("test")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option(
    "--policy",
    type=click.Path(path_type=Path),
    default=None,
    help="策略目录（默认：内置策略）/ policy directory",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
@click.option(
    "--run", "pattern", default=None, help="只运行名称含此文字的用例 / only cases named so"
)
def test(
    directory: Path | None, policy: Path | None, fmt: str, lang: str, pattern: str | None
) -> None:
    """运行策略测试用例 / run the policy's test cases (DIRECTORY: default its tests/)."""
    loaded = load(policy)
    folder = directory if directory is not None else loaded.directory
    files = case_files(folder)
    if not files:
        raise InputError(
            Bilingual(f"{folder} 中没有测试文件（*.yaml）", f"no test files (*.yaml) in {folder}"),
            code="no_tests",
        )
    cases = [case for path in files for case in load_cases(path)]  # all checked before running
    if pattern is not None:
        cases = [c for c in cases if pattern in c.name]
    results = [run_case(loaded, case) for case in cases]
    failed = [r for r in results if not r.passed]
    if fmt == "json":
        click.echo(json.dumps(_json(results), ensure_ascii=False, sort_keys=True, indent=2))
    else:
        _text(results, lang)
    sys.exit(1 if failed else 0)


def _json(results: list[CaseResult]) -> dict[str, object]:
    return {
        "passed": sum(r.passed for r in results),
        "failed": sum(not r.passed for r in results),
        "cases": [
            {
                "file": Path(r.case.file).name,
                "line": r.case.line,
                "name": r.case.name,
                "articles": list(r.case.articles),
                "passed": r.passed,
                "failures": list(r.failures),
            }
            for r in results
        ],
    }


def _text(results: list[CaseResult], lang: str) -> None:
    for r in results:
        where = f"{Path(r.case.file).name}:{r.case.line}"
        if r.passed:
            click.echo(f"PASS {where} {r.case.name}")
            continue
        click.echo(f"FAIL {where} {r.case.name}")
        for failure in r.failures:
            click.echo(f"     {failure}")
    passed = sum(r.passed for r in results)
    click.echo(
        _words(
            lang,
            f"通过 {passed} 个，失败 {len(results) - passed} 个，共 {len(results)} 个用例",
            f"{passed} passed, {len(results) - passed} failed, {len(results)} cases",
        )
    )
