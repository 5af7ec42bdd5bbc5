"""`govrules test`: run a policy's test cases, as `opa test` runs a bundle's tests."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from govrules.cli.main import cli
from govrules.cli.options import load, output_options, policy_option
from govrules.coverage import Coverage, measure
from govrules.errors import Bilingual, InputError
from govrules.policy_tests import CaseResult, case_files, load_cases, run_case, unknown_rules


def _words(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


@cli.command("test")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@policy_option
@output_options
@click.option(
    "--run", "pattern", default=None, help="只运行名称含此文字的用例 / only cases named so"
)
@click.option(
    "--coverage", is_flag=True, help="报告规则与条文的覆盖率 / report rule and article coverage"
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 100),
    default=None,
    help="规则覆盖率低于此百分比则失败 / fail when rule coverage is below this percentage",
)
def test(
    directory: Path | None,
    policy: Path | None,
    fmt: str,
    lang: str,
    pattern: str | None,
    coverage: bool,
    threshold: float | None,
) -> None:
    """运行策略测试用例 / run the policy's test cases (DIRECTORY: default its tests/).

    DIRECTORY may be a policy folder (its tests/ are run) or a folder of cases inside one;
    the policy tested is the one it belongs to unless --policy says otherwise."""
    if policy is None and directory is not None:
        from govrules.policy_files import policy_root

        policy = policy_root(directory) if directory.is_dir() else None
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
    stale = unknown_rules(cases, {r.ident for r in loaded.program.rules})
    warnings = [
        _words(
            lang,
            f"警告：{Path(c.file).name}:{c.line} {c.name} 期望的规则 {rule} 已不存在",
            f"warning: {Path(c.file).name}:{c.line} {c.name} expects rule {rule}, "
            "which no longer exists",
        )
        for c, rule in stale
    ]
    for warning in warnings:
        click.echo(warning, err=True)
    measuring = coverage or threshold is not None
    results = [run_case(loaded, case, coverage=measuring) for case in cases]
    failed = [r for r in results if not r.passed]
    measured = measure(loaded.program, results) if measuring else None
    if fmt == "json":
        data = _json(results)
        data["warnings"] = warnings
        if measured is not None:
            data["coverage"] = measured.to_dict()
        click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2))
    else:
        _text(results, lang)
        if measured is not None:
            _coverage_text(measured, lang)
    below = threshold is not None and measured is not None and measured.percent < threshold
    if below and measured is not None:
        click.echo(
            _words(
                lang,
                f"规则覆盖率 {measured.percent:.1f}% 低于要求的 {threshold:g}%",
                f"rule coverage {measured.percent:.1f}% is below the threshold {threshold:g}%",
            ),
            err=True,
        )
    sys.exit(1 if failed or below else 0)


def _coverage_text(measured: Coverage, lang: str) -> None:
    click.echo(_words(lang, "覆盖率（按条文）：", "Coverage by article:"))
    for a in measured.articles:
        ways = ("+" if a.positive else "·") + ("-" if a.negative else "·" if a.can_fail else " ")
        covered = sum(r.covered for r in a.rules)
        head = _words(lang, f"第{a.article}条", f"article {a.article}")
        click.echo(
            f"  {head:<10} {a.percent:5.1f}%  {covered}/{len(a.rules)} "
            + _words(
                lang, f"规则，{len(a.cases)} 个用例 {ways}", f"rules, {len(a.cases)} cases {ways}"
            )
        )
        for r in a.rules:
            if not r.covered:
                click.echo(
                    "    "
                    + _words(
                        lang,
                        f"未覆盖：{r.rule}（{r.source}）",
                        f"not covered: {r.rule} ({r.source})",
                    )
                )
    total = len(measured.rules)
    covered = sum(r.covered for r in measured.rules)
    click.echo(
        _words(
            lang,
            f"规则覆盖率 {measured.percent:.1f}%（{covered}/{total}）；+ 有合规用例，- 有违规用例",
            f"rule coverage {measured.percent:.1f}% ({covered}/{total}); "
            "+ a compliant case, - a violating case",
        )
    )


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
