"""The command line: verbs, JSON output, exit statuses, one message and no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from govrules.cli.main import cli
from govrules.resources import bundled_policy_dir

EX = bundled_policy_dir() / "examples"


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_articles_6_and_39() -> None:
    code, out, _ = run("articles", "6")
    assert code == 0 and "担任区政府新闻发言人" in out
    code, out, _ = run("articles", "39")
    assert "副主任不和分管副区长同时休假" in out and "a39.1" in out


def test_articles_json_lists_45_with_chapter_and_status() -> None:
    code, out, _ = run("articles", "--format", "json")
    data = json.loads(out)
    assert code == 0 and len(data["articles"]) == 45
    assert {"chapter", "status", "rules"} <= set(data["articles"][0])
    assert {a["number"]: a["status"] for a in data["articles"]}[29] == "encoded"


def test_restorations_are_shown_on_request() -> None:
    _, out, _ = run("articles", "3", "--show-restorations")
    assert "⟦区⟧" in out


@pytest.mark.parametrize(
    ("start", "expected"), [("2021-10-08", "2021-10-09"), ("2021-09-30", "2021-10-08")]
)
def test_deadline_on_the_official_calendar(start: str, expected: str) -> None:
    code, out, _ = run("deadline", start, "--days", "1", "--format", "json")
    assert code == 0 and json.loads(out)["due"] == expected


def test_deadline_for_a_year_without_data_is_refused() -> None:
    code, _, err = run("deadline", "2027-06-01", "--lang", "en")
    assert code == 2 and "2027" in err and "--calendar" in err


def test_route_json_is_stable_and_complete() -> None:
    first = run("route", str(EX / "doc-outgoing.yaml"), "--format", "json")
    second = run("route", str(EX / "doc-outgoing.yaml"), "--format", "json")
    assert first == second and first[0] == 0
    data = json.loads(first[1])
    assert data["order_count"] == len(data["orders"]) == 2
    assert {"id", "actor", "role", "action", "article"} <= set(data["steps"][0])


def test_check_exits_1_on_a_violation() -> None:
    code, out, _ = run("check", str(EX / "doc-bad-order.yaml"), "--format", "json", "--lang", "en")
    assert code == 1
    finding = json.loads(out)["findings"][0]
    assert finding["article"] == 29 and finding["severity"] == "violation"
    assert "out of order" in finding["message"]


def test_leave_reads_standard_input() -> None:
    plan = (EX / "plan.yaml").read_text(encoding="utf-8")
    code, out, _ = run("leave", "-", "--format", "json", input=plan)
    assert code == 1 and json.loads(out)["findings"]


def test_interpretation_switch_and_bad_switch() -> None:
    code, out, _ = run(
        "route", str(EX / "doc-outgoing.yaml"), "--format", "json", "-i", "vice_mayor_first=on"
    )
    assert code == 0 and json.loads(out)["order_count"] == 1
    code, _, err = run("route", str(EX / "doc-outgoing.yaml"), "-i", "nonsense=on")
    assert code == 2 and "nonsense" in err
    code, _, err = run("route", str(EX / "doc-outgoing.yaml"), "-i", "vice_mayor_first")
    assert code == 2 and err.startswith("govrules: ") and "名称=on" in err


def test_bad_input_is_one_message_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "doc.yaml"
    bad.write_text("document:\n  id: x\n  kind: outgoin\n", encoding="utf-8")
    code, out, err = run("route", str(bad), "--lang", "en")
    assert code == 2 and out == ""
    assert f"{bad}:3" in err and "kind" in err and "Traceback" not in err


def test_compile_shows_provenance() -> None:
    rules = bundled_policy_dir() / "rules" / "a39-leave.rules"
    code, out, _ = run("compile", str(rules))
    assert code == 0 and "article 39" in out and 'together_kind("a39.3","vacation")' in out


def test_installed_command_runs_as_a_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "govrules", "deadline", "2021-10-08"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("2021-10-09")


def test_bundled_rule_files_are_canonically_formatted() -> None:
    fixtures = Path(__file__).parent / "fixtures" / "en"
    files = [str(p) for p in sorted(bundled_policy_dir().rglob("*.rules"))]
    files += [str(p) for p in sorted(fixtures.glob("*.rules"))]
    code, _, err = run("fmt", "--check", *files)
    assert code == 0, err


def test_fmt_translates_keywords_and_terms() -> None:
    rules = bundled_policy_dir() / "rules" / "a39-leave.rules"
    code, out, _ = run("fmt", "--to", "en", str(rules))
    assert code == 0
    assert (
        "forbid deputy_director and their vice_mayor_in_charge at the same time on vacation." in out
    )


def test_test_runs_the_bundled_cases() -> None:
    code, out, _ = run("test", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["failed"] == 0 and data["passed"] == len(data["cases"]) > 40


def test_test_exits_1_with_a_readable_difference(tmp_path: Path) -> None:
    (tmp_path / "wrong.yaml").write_text(
        "cases:\n"
        "  - name: 期望错误\n"
        "    articles: [29]\n"
        "    route: {document: {id: x, kind: outgoing, in_name_of: office, fields: [教育]}}\n"
        "    expect: {order_count: 3}\n",
        encoding="utf-8",
    )
    code, out, _ = run("test", str(tmp_path), "--lang", "en")
    assert code == 1
    assert "FAIL wrong.yaml:2 期望错误" in out and "order_count: expected 3, got 1" in out
    assert "0 passed, 1 failed" in out


def test_test_refuses_a_malformed_case_file_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("cases:\n  - name: x\n    articles: [29]\n")
    code, _, err = run("test", str(tmp_path), "--lang", "en")
    assert code == 2 and "bad.yaml:2:5" in err and "exactly one input" in err
    code, _, err = run("test", str(tmp_path))
    assert code == 2 and "恰有一个输入" in err


def test_explain_a_step_and_refuse_an_unknown_subject() -> None:
    doc = str(EX / "doc-outgoing.yaml")
    code, out, _ = run("explain", doc, "--what", "review:钱副主任", "--format", "json")
    data = json.loads(out)
    assert code == 0 and [e["id"] for e in data["explanations"]] == ["review:钱副主任"]
    assert {r["rule"] for r in data["explanations"][0]["because"]} == {"a29.1", "a14.1"}
    code, _, err = run("explain", doc, "--what", "sign:孙副主任")
    assert code == 2 and "sign:孙副主任" in err


def test_explain_exits_1_on_a_violation_like_check() -> None:
    code, out, _ = run("explain", str(EX / "doc-bad-order.yaml"))
    assert code == 1 and "为什么 1:" in out
    code, out, _ = run("explain", str(EX / "doc-bad-order.yaml"), "--format", "json")
    assert code == 1 and json.loads(out)["compliant"] is False
    code, _, _ = run("explain", str(EX / "doc-outgoing.yaml"))
    assert code == 0


def test_a_missing_calendar_year_points_to_govrules_schema_not_a_repository_path() -> None:
    for lang in ("zh", "en"):
        code, _, err = run("deadline", "2031-06-01", "--lang", lang)
        assert code == 2 and "govrules schema calendar" in err and "schemas/" not in err


def test_check_explain_prints_why_for_each_finding() -> None:
    code, out, _ = run("check", str(EX / "doc-bad-order.yaml"), "--explain")
    assert code == 1
    assert "为什么 1:" in out and "第 2 步（review:钱副主任）之后才是第 3 步（sign:赵主任）" in out


def test_route_why_not_explains_an_impossible_order() -> None:
    doc = str(EX / "doc-outgoing.yaml")
    code, out, _ = run("route", doc, "--why-not", "sign:赵主任 → review:钱副主任")
    assert code == 1 and "答：不能" in out and "review:钱副主任 → sign:赵主任  (a29.1)" in out
    code, out, _ = run("route", doc, "--why-not", "sign:赵主任,sign:王副区长", "--format", "json")
    assert code == 0 and json.loads(out)["possible"] is True
    code, _, err = run("route", doc, "--why-not", "sign:nobody,review:钱副主任")
    assert code == 2 and "sign:nobody" in err


def test_check_why_not_lists_minimal_reasons() -> None:
    code, out, _ = run("check", str(EX / "doc-bad-order.yaml"), "--why-not", "--format", "json")
    data = json.loads(out)
    assert code == 1 and [r["rules"][0]["rule"] for r in data["reasons"]] == ["a29.1"]


def test_test_coverage_reports_every_rule_and_a_threshold(tmp_path: Path) -> None:
    code, out, _ = run("test", "--coverage", "--format", "json")
    data = json.loads(out)["coverage"]
    assert code == 0
    assert data["rules_total"] == sum(len(a["rules"]) for a in data["articles"])
    by_article = {a["article"]: a for a in data["articles"]}
    assert by_article[29]["percent"] == 100.0 and by_article[29]["positive"]
    assert by_article[29]["negative"]
    # One case exercising only article 15: most rules are then uncovered, and a threshold fails.
    (tmp_path / "one.yaml").write_text(
        "cases:\n"
        "  - name: 收文拟办\n"
        "    articles: [15]\n"
        "    route: {document: {id: x, kind: incoming, fields: [教育]}}\n"
        "    expect: {steps: ['propose:钱副主任']}\n",
        encoding="utf-8",
    )
    code, out, err = run("test", str(tmp_path), "--coverage", "--threshold", "90")
    assert code == 1 and "低于要求的 90%" in err
    assert "未覆盖：a29.1" in out and "第15条" in out


def test_leave_explain_and_why_not() -> None:
    plan = str(EX / "plan.yaml")
    code, out, _ = run("leave", plan, "--explain", "--lang", "en")
    assert code == 1 and "Why 1:" in out and "absence 1: 钱副主任" in out
    code, out, _ = run("leave", plan, "--why-not", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["question"] == "plan" and not data["possible"]
    assert sorted(r["rules"][0]["rule"] for r in data["reasons"]) == ["a39.1", "a39.3"]


def test_schema_is_the_policy_s_words() -> None:
    code, out, _ = run("schema", "document")
    assert code == 0
    root = Path(__file__).resolve().parents[1]
    assert out == (root / "schemas" / "document.schema.json").read_text(encoding="utf-8")
    document = json.loads(out)["$defs"]["Document"]["properties"]
    assert "发文" in document["kind"]["enum"] and document["secret"]["type"] == "boolean"
    code, _, err = run("schema", "documents")
    assert code == 2 and "documents" in err
