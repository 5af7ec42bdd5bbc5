"""The second bundled policy (党政机关公文处理工作条例, policy/party-gov-docs-2012) runs through
every verb of the command line in its own words: nothing of the first policy's vocabulary is
needed to route, check, test, measure, list, lint or analyse it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govrules
from govrules.cli.main import cli
from govrules.engine import Policy
from govrules.policy_tests import case_files, load_cases
from govrules.resources import bundled_policy_dir, data_root

DIR = data_root() / "policy" / "party-gov-docs-2012"
EX = DIR / "examples"
ORG = str(EX / "org.yaml")
# Until a policy names its own example organisation, every command is given --org.
WITH = ("--policy", str(DIR), "--org", ORG)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def as_json(*args: str) -> tuple[int, dict[str, object]]:
    code, out, err = run(*args, "--format", "json")
    assert out, err
    data = json.loads(out)
    assert isinstance(data, dict)
    return code, data


@pytest.fixture(scope="module")
def second() -> Policy:
    return Policy.load(DIR)


def test_its_vocabulary_shares_no_identifier_with_the_first_policy(second: Policy) -> None:
    first = {item.ident for item in Policy.load(bundled_policy_dir()).program.vocabulary}
    words = {item.ident for item in second.program.vocabulary}
    assert {"principal_head", "sign_off", "request", "joint", "general_office"} <= words
    assert words & first == set()


def test_route_names_its_steps_roles_and_articles_in_its_own_words() -> None:
    code, data = as_json("route", str(EX / "doc-notice.yaml"), *WITH)
    assert code == 0 and data["compliant"] is True
    steps = data["steps"]
    assert isinstance(steps, list)
    assert [(s["id"], s["role_label"], s["article"]) for s in steps] == [
        ("write_draft:省交通运输厅", "起草单位", 20),
        ("vet:省政府办公厅", "办公厅", 20),
        ("sign_off:any:organ_head", "机关负责人", 22),
        ("recheck:省政府办公厅秘书处", "文秘部门", 25),
        ("register:省政府办公厅秘书处", "文秘部门", 25),
        ("print:省政府办公厅秘书处", "文秘部门", 25),
        ("release:省政府办公厅秘书处", "文秘部门", 25),
    ]
    assert data["order_count"] == 1
    assert data["interpretations"] == {
        "authorised_organ_head_signs": True,
        "circling_is_consent": True,
        "deliberated_is_important": False,
        "deliberation_before_sign_off": True,
        "head_in_charge_signs": False,
    }


def test_a_request_is_signed_off_by_the_principal_head() -> None:
    _, data = as_json("route", str(EX / "doc-bad-order.yaml"), *WITH)
    steps = data["steps"]
    assert isinstance(steps, list)
    assert "sign_off:林省长" in [s["id"] for s in steps]


def test_sign_off_before_review_is_a_finding_of_article_20() -> None:
    code, data = as_json("check", str(EX / "doc-bad-order.yaml"), *WITH, "--lang", "en")
    assert code == 1 and data["compliant"] is False
    assert data["findings"] == [
        {
            "article": 20,
            "facts": {
                "entry": 2,
                "must_come_first": "vet:省政府办公厅",
                "step": "sign_off:林省长",
            },
            "kind": "out_of_order",
            "message": "out of order: 林省长 did 'sign off' (entry 2) before "
            "省政府办公厅 did 'review'",
            "rule": "a20.3",
            "severity": "violation",
        }
    ]


def test_the_zh_message_uses_the_policy_s_labels() -> None:
    code, out, _ = run("check", str(EX / "doc-bad-order.yaml"), *WITH)
    assert code == 1
    assert "违反 第20条 (a20.3): 顺序错误：林省长 签发（记录第 2 条）早于 省政府办公厅 审核" in out


@pytest.mark.parametrize(
    "name", ["doc-notice.yaml", "doc-incoming.yaml", "doc-returned.yaml", "doc-important.yaml"]
)
def test_compliant_examples_exit_0(name: str) -> None:
    code, data = as_json("check", str(EX / name), *WITH)
    assert code == 0 and data["compliant"] is True and data["findings"] == []


def test_an_interpretation_switched_off_changes_the_answer(tmp_path: Path) -> None:
    """A deputy head outside the document's field signs off a general notice."""
    doc = (EX / "doc-notice.yaml").read_text(encoding="utf-8").replace("周副省长", "何副省长")
    path = tmp_path / "doc.yaml"
    path.write_text(doc, encoding="utf-8")
    # By default any head of the organ signs off ("本机关负责人审批签发" names none).
    code, data = as_json("check", str(path), *WITH)
    assert code == 0 and data["findings"] == []
    code, data = as_json("check", str(path), *WITH, "-i", "head_in_charge_signs=on")
    assert code == 1
    findings = data["findings"]
    assert isinstance(findings, list)
    assert [(f["article"], f["kind"], f["facts"]["actor"]) for f in findings] == [
        (22, "missing_step", "周副省长")
    ]


def test_a_circled_sign_off_is_not_an_opinion(tmp_path: Path) -> None:
    doc = (EX / "doc-notice.yaml").read_text(encoding="utf-8")
    doc = doc.replace("opinion: 同意印发。周副省长 2024年3月6日", "opinion: 已阅")
    path = tmp_path / "doc.yaml"
    path.write_text(doc, encoding="utf-8")
    # By default a circled sign-off counts as consent (art. 22); switched off, it needs an opinion.
    code, data = as_json("check", str(path), *WITH)
    assert code == 0 and data["findings"] == []
    code, data = as_json("check", str(path), *WITH, "-i", "circling_is_consent=off")
    findings = data["findings"]
    assert isinstance(findings, list)
    assert code == 1 and [(f["article"], f["kind"]) for f in findings] == [(22, "opinion_missing")]


def test_a_word_of_the_first_policy_is_refused_with_the_second_s_words(tmp_path: Path) -> None:
    doc = (EX / "doc-notice.yaml").read_text(encoding="utf-8").replace("kind: 通知", "kind: 发文")
    path = tmp_path / "doc.yaml"
    path.write_text(doc, encoding="utf-8")
    code, out, err = run("check", str(path), *WITH)
    assert code == 2 and out == ""
    assert "发文" in err and "通知" in err and "Traceback" not in err


def test_govrules_test_passes_every_case() -> None:
    code, out, _ = run("test", "--policy", str(DIR))
    assert code == 0
    count = sum(len(load_cases(p)) for p in case_files(DIR))
    assert count >= 40 and f"通过 {count} 个，失败 0 个" in out


def test_every_encoded_article_has_a_compliant_and_a_violating_case() -> None:
    code, data = as_json("test", "--policy", str(DIR), "--coverage")
    assert code == 0
    coverage = data["coverage"]
    assert isinstance(coverage, dict)
    assert coverage["percent"] == 100.0
    articles = {a["article"]: a for a in coverage["articles"]}
    assert set(articles) == {19, 20, 21, 22, 24, 25}
    assert all(a["positive"] and a["negative"] for a in articles.values())
    assert data["failed"] == 0


def test_each_case_names_this_policy_s_organisation() -> None:
    """The runner reads the cases' own organisation (org:), not the first policy's: the
    example organisation, or a variant of it kept beside the independent reader's cases."""
    variants = set((DIR / "tests" / "readings" / "orgs").glob("*.yaml"))
    assert variants
    for path in case_files(DIR):
        for case in load_cases(path):
            assert case.org is not None
            assert case.org.resolve() == (EX / "org.yaml").resolve() or case.org in variants


def test_articles_say_which_texts_were_not_retrieved() -> None:
    code, data = as_json("articles", "--policy", str(DIR))
    assert code == 0 and data["document_number"] == "中办发〔2012〕14号"
    records = data["articles"]
    assert isinstance(records, list) and len(records) == 42
    status = {a["number"]: a["status"] for a in records}
    assert {n for n, s in status.items() if s == "encoded"} == {19, 20, 21, 22, 24, 25}
    assert {n for n, s in status.items() if s == "not_retrieved"} == {
        8,
        10,
        11,
        12,
        *range(27, 43),
    }
    assert all(a["text"] == "" for a in records if a["number"] >= 27)
    assert all(a["source"].startswith("http") for a in records if a["text"])
    code, out, _ = run("articles", "30", "--policy", str(DIR))
    assert code == 0 and "原文未取得" in out
    code, out, _ = run("articles", "30", "--policy", str(DIR), "--lang", "en")
    assert "text not retrieved" in out


def test_lint_warns_only_of_words_kept_for_inputs() -> None:
    """The document kinds of article 8 and the condition 涉密 are words an input may carry
    though no rule names them (UNEXPRESSED.md); nothing else is reported."""
    code, out, _ = run("lint", "--policy", str(DIR), "--format", "json")
    assert code == 0
    problems = json.loads(out)
    assert {(p["code"], p["severity"]) for p in problems} == {("unused-term", "warning")}
    assert len(problems) == 14 and any("涉密" in p["message"] for p in problems)


def test_analyze_is_clean_and_finds_a_cycle_written_into_a_copy(tmp_path: Path) -> None:
    code, data = as_json("analyze", "--policy", str(DIR))
    assert code == 0 and data["clean"] is True and data["rules_checked"] == 54
    copy = tmp_path / "p"
    shutil.copytree(DIR, copy)
    rules = copy / "rules" / "a24-a25-handling.rules"
    rules.write_text(
        rules.read_text(encoding="utf-8")
        + "  流程 发文办理 中 文秘部门 核发 先于 文秘部门 复核。\n",
        encoding="utf-8",
    )
    code, data = as_json("analyze", "--policy", str(copy))
    problems = data["problems"]
    assert isinstance(problems, list)
    assert code == 1 and "cycle" in {p["kind"] for p in problems}


def test_the_engine_names_none_of_its_identifiers(second: Policy) -> None:
    """Its identifiers that cannot be plain English words (with an underscore) are nowhere in
    the engine. (Its Chinese labels 报告, 意见, 请示 … are also ordinary words and keywords of
    the rule language, so they are not searched for.)"""
    idents = {item.ident for item in second.program.vocabulary if "_" in item.ident}
    assert {"principal_head", "sign_off", "general_office"} <= idents
    src = Path(govrules.__file__).resolve().parent
    found = [
        f"{path.name}: {ident}"
        for path in sorted(src.rglob("*"))
        if path.suffix in (".py", ".lp", ".lark") and "_data" not in path.parts
        for ident in sorted(idents)
        if re.search(rf"(?<!\w){re.escape(ident)}(?!\w)", path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_a_return_without_reasons_is_found_though_a_return_is_no_step(tmp_path: Path) -> None:
    """退回 is an action the general office is empowered to take, not a step of a procedure;
    article 21's 说明理由 (an explicit-opinion duty) still applies to it."""
    doc = (EX / "doc-returned.yaml").read_text(encoding="utf-8")
    doc = doc.replace("opinion: 第三部分经费来源不明确，请修改后重新报送}", "}")
    path = tmp_path / "doc.yaml"
    path.write_text(doc, encoding="utf-8")
    code, data = as_json("check", str(path), *WITH)
    findings = data["findings"]
    assert isinstance(findings, list)
    assert code == 1 and [(f["article"], f["kind"], f["facts"]["action"]) for f in findings] == [
        (21, "opinion_missing", "send_back")
    ]


def test_explain_in_english_quotes_the_chinese_text_when_there_is_no_english() -> None:
    code, out, _ = run("explain", str(EX / "doc-bad-order.yaml"), *WITH, "--lang", "en")
    assert code in (0, 1)  # (whether explain exits 1 on a violation is another branch's)
    assert "out of order: 林省长 did 'sign off' (entry 2)" in out
    assert "Article 20: 公文文稿簽發前,應當由發文機關辦公廳(室)進行審核。" in out


NOTICE_ENTRIES = [
    ("省交通运输厅", "起草", None),
    ("省政府办公厅", "审核", "呈周副省长签发"),
    ("周副省长", "签发", "同意印发"),
    ("省政府办公厅秘书处", "复核", None),
    ("省政府办公厅秘书处", "登记", None),
    ("省政府办公厅秘书处", "印制", None),
    ("省政府办公厅秘书处", "核发", None),
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.permutations(range(len(NOTICE_ENTRIES))))
def test_a_general_notice_complies_in_its_one_valid_order_only(
    second: Policy, order: list[int]
) -> None:
    """Route gives the notice one valid order (20, 22, 25 chain every step), so a trace
    complies exactly when it follows that order; any other order is out of order."""
    trace = []
    for hour, index in enumerate(order):
        actor, action, opinion = NOTICE_ENTRIES[index]
        entry = {"actor": actor, "action": action, "at": f"2024-03-04T{9 + hour:02d}:00"}
        if opinion is not None:
            entry["opinion"] = opinion
        trace.append(entry)
    document = {"id": "东政发〔2024〕7号", "kind": "通知", "drafter": "省交通运输厅"}
    data = {"document": {**document, "fields": ["交通"]}, "trace": trace}
    result = second.check(data, ORG).to_dict("zh")
    kinds = {f["kind"] for f in result["findings"]}
    in_order = list(order) == sorted(order)
    assert result["compliant"] is in_order
    assert kinds <= {"out_of_order", "after_issue"} and (in_order or "out_of_order" in kinds)
