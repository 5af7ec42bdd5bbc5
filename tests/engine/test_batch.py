"""Batches: `Policy.check_many` and `govrules batch` answer as one check at a time would,
in input order, deterministically; a bad document or line is reported, not fatal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML
from tests.engine.twins import moved

from govrules.cli.main import cli
from govrules.engine import CheckResult, Policy
from govrules.errors import GovrulesError, InputError
from govrules.resources import bundled_policy_dir

EX = bundled_policy_dir() / "examples"
DOCS = ["doc-incoming.yaml", "doc-bad-order.yaml", "doc-outgoing.yaml", "doc-office.yaml"]


def _doc(name: str, number: int) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load((EX / name).read_text(encoding="utf-8"))
    data["document"]["id"] = f"西府文〔2021〕{number}号"
    return data


def _docs(count: int) -> list[dict[str, Any]]:
    return [_doc(DOCS[i % len(DOCS)], i + 1) for i in range(count)]


def _json(item: CheckResult | GovrulesError) -> str:
    assert isinstance(item, CheckResult)
    return item.to_json("en")


def test_check_many_is_check_one_by_one_in_order(policy: Policy) -> None:
    docs = _docs(9)
    many = policy.check_many(docs, workers=1)
    assert [_json(r) for r in many] == [policy.check(d).to_json("en") for d in docs]
    assert [r.document for r in many if isinstance(r, CheckResult)] == [
        d["document"]["id"] for d in docs
    ]


def test_a_bad_document_is_returned_as_its_error(policy: Policy) -> None:
    docs: list[Any] = _docs(3)
    docs.insert(1, {"document": {"id": "x", "kind": "no_such_kind"}})
    many = policy.check_many(docs, workers=1)
    assert isinstance(many[1], InputError) and "kind" in many[1].render("en")
    assert [isinstance(r, CheckResult) for r in many] == [True, False, True, True]


def test_worker_processes_answer_the_same_in_the_same_order(policy: Policy) -> None:
    docs: list[Any] = _docs(230)  # above the size that starts worker processes
    docs[100] = {"document": {"id": "x", "kind": "no_such_kind"}}
    one = policy.check_many(docs, workers=1)
    two = policy.check_many(docs, workers=2)
    assert len(two) == len(docs)
    for a, b in zip(one, two, strict=True):
        if isinstance(a, GovrulesError):
            assert isinstance(b, type(a)) and a.render("en") == b.render("en")
        else:
            assert _json(a) == _json(b)
            assert isinstance(b, CheckResult) and b.labels is not None


def test_unknown_interpretation_is_refused_up_front(policy: Policy) -> None:
    with pytest.raises(GovrulesError):
        policy.check_many(_docs(1), interpretations={"no_such": True})


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "traces.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_batch_prints_one_line_per_trace_in_order(tmp_path: Path) -> None:
    docs = _docs(4)
    path = _write(tmp_path, [json.dumps(d, ensure_ascii=False, default=str) for d in docs])
    code, out, _ = _run("batch", str(path), "--lang", "en")
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 1  # the bundled examples contain violations on purpose
    assert [x["line"] for x in lines] == [1, 2, 3, 4]
    assert [x["result"]["document"] for x in lines] == [d["document"]["id"] for d in docs]
    check = _run("check", str(EX / DOCS[0]), "--format", "json", "--lang", "en")[1]
    first = json.loads(check)
    first["document"] = docs[0]["document"]["id"]
    assert lines[0]["result"] == first


def test_batch_reports_a_bad_line_with_its_number_and_goes_on(tmp_path: Path) -> None:
    good = json.dumps(_docs(1)[0], ensure_ascii=False, default=str)
    bad_kind = json.dumps({"document": {"id": "x", "kind": "nope"}})
    path = _write(tmp_path, [good, "{not json", "", bad_kind, "[1, 2]", good])
    code, out, err = _run("batch", str(path), "--lang", "en")
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 2
    assert [x["line"] for x in lines] == [1, 2, 4, 5, 6]
    assert "result" in lines[0] and "result" in lines[-1]
    assert lines[1]["error"]["code"] == "input.syntax"
    assert f"{path}:2" in err and f"{path}:4" in err and f"{path}:5" in err
    assert "Traceback" not in err


def test_batch_of_compliant_traces_exits_0_and_is_deterministic(tmp_path: Path) -> None:
    """Every line compliant (the outgoing example's full trace): exit 0, not 1."""
    lines = [
        json.dumps(_doc("doc-outgoing.yaml", n), ensure_ascii=False, default=str) for n in (1, 2, 3)
    ]
    code, out, err = _run("batch", str(_write(tmp_path, lines)))
    results = [json.loads(line)["result"] for line in out.splitlines()]
    assert len(results) == 3 and all(r["compliant"] and not r["findings"] for r in results)
    assert code == 0, err
    assert _run("batch", str(_write(tmp_path, lines)))[1] == out


def test_batch_of_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    code, out, err = _run("batch", str(tmp_path / "missing.jsonl"))
    assert code == 2 and out == "" and "missing.jsonl" in err


def _case_documents() -> list[dict[str, Any]]:
    yaml = YAML(typ="safe")
    found: list[dict[str, Any]] = []
    for case in sorted((bundled_policy_dir() / "tests").glob("*.yaml")):
        for item in (yaml.load(case.read_text(encoding="utf-8")) or {}).get("cases", []):
            for key in ("check", "route"):
                if isinstance(item.get(key), dict) and "document" in item[key]:
                    found.append(item[key])
    return found


@pytest.mark.parametrize("by_order_type", [True, False], ids=["order-types", "groups"])
def test_documents_grounded_together_answer_as_alone(by_order_type: bool) -> None:
    """Every policy test document, three times over (so that each kind of question makes
    a group grounded at once), answers in a batch exactly as it does alone, answered
    afresh. With order types, the batch grounds each order type once and answers the
    rest from it (`asp.ordertype`); without, it grounds groups of documents as they are."""
    batching = Policy.load()
    batching.reuse_groundings = by_order_type
    fresh = Policy.load()
    fresh.reuse_groundings = False
    docs = [d for d in _case_documents() for _ in range(3)]
    assert len(docs) > 30
    org = batching._org(None)
    many = batching.check_many(docs, org, workers=1)
    _assert_answered_as_alone(fresh, docs, many, org, {})
    kept = len(batching.answers(org))
    assert (kept > 0) == by_order_type


def test_new_order_types_grounded_together_answer_as_fresh_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The policy test documents, each with a twin a week later, checked by one policy twice:
    with every interpretation off, then on. From two new order types of one question on
    (the threshold lowered from 8), a batch grounds them together on a slice rewritten for
    the batch, with the organisation's dated facts carried per document; every answer
    equals a fresh check's, and the second batch does not reuse the first's program (its
    interpretations cut another slice)."""
    from govrules import checkpool

    monkeypatch.setattr(checkpool, "_REWRITE_MIN", 2)
    ranked_calls: list[frozenset[Any]] = []
    solve_group = checkpool._solve_group

    def spy(*args: Any, **kwargs: Any) -> Any:
        ranked_calls.append(args[7] if len(args) > 7 else kwargs.get("ranked", frozenset()))
        return solve_group(*args, **kwargs)

    monkeypatch.setattr(checkpool, "_solve_group", spy)
    batching = Policy.load()
    fresh = Policy.load()
    fresh.reuse_groundings = False
    org = batching._org(None)
    docs = [d for d in _case_documents() if d.get("trace")]
    docs = [d for doc in docs for d in (doc, moved(doc, 1))]
    names = [i.ident for i in batching.program.interpretations]
    for on in (False, True):
        settings = dict.fromkeys(names, on)
        many = batching.check_many(docs, org, interpretations=settings, workers=1)
        _assert_answered_as_alone(fresh, docs, many, org, settings)
    assert any(ranked_calls), "no batch of new order types was grounded together"


def _assert_answered_as_alone(
    fresh: Policy,
    docs: list[dict[str, Any]],
    many: list[CheckResult | GovrulesError],
    org: Any,
    settings: dict[str, bool],
) -> None:
    """Each batch answer (or error) is the one `fresh` gives the document alone."""
    for doc, item in zip(docs, many, strict=True):
        try:
            alone: CheckResult | GovrulesError = fresh.check(doc, org, interpretations=settings)
        except GovrulesError as err:
            alone = err
        if isinstance(alone, GovrulesError):
            assert isinstance(item, GovrulesError) and item.render("en") == alone.render("en")
        else:
            assert _json(item) == alone.to_json("en")


def test_this_process_and_a_worker_answer_as_one_process(tmp_path: Path) -> None:
    """`--workers 2`: this process checks on its thread beside one worker process, each
    chunk going to whichever side is free. The answers are the one-process answers, byte
    for byte and in input order, bad lines included."""
    import subprocess
    import sys

    lines = [json.dumps(d, ensure_ascii=False, default=str) for d in _docs(700)]
    for bad in (5, 200, 333, 699):  # one in some chunks, on either side
        lines[bad] = '{"document": 1'
    path = _write(tmp_path, lines)

    def run(workers: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "govrules", "batch", str(path), "--workers", workers],
            capture_output=True,
            timeout=300,
            check=False,
        )

    one, two = run("1"), run("2")
    assert one.returncode == two.returncode == 2
    assert one.stdout == two.stdout
    numbers = [json.loads(x)["line"] for x in two.stdout.decode("utf-8").splitlines()]
    assert numbers == list(range(1, 701))
    assert b"Traceback" not in two.stderr
