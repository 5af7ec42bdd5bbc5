"""Decision logs: one JSON line per decision, names and leave details masked by default."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient
from tests.serve.conftest import example

import govrules
from govrules.serve.app import Settings, create_app

NAMES = [p.name for p in govrules.load_org().people]


def _run(log: Path, unmasked: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    app = create_app(Settings(decision_log=str(log), log_unmasked=unmasked))
    answers = []
    with TestClient(app) as client:
        bad = example("doc-bad-order.yaml")
        answers.append(client.post("/v1/check", json={"document": bad}).json())
        answers.append(client.post("/v1/check", json={"document": bad}).json())
        answers.append(client.post("/v1/leave", json={"plan": example("plan.yaml")}).json())
        wrong = example("doc-outgoing.yaml")
        wrong["trace"][0]["actor"] = "无名氏"
        answers.append(client.post("/v1/route", json={"document": wrong}).json())
    text = log.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()], answers, text


def test_masked_by_default(tmp_path: Path) -> None:
    records, answers, text = _run(tmp_path / "d.jsonl", unmasked=False)
    assert [r["decision_id"] for r in records] == [a["decision_id"] for a in answers]
    assert [r["verb"] for r in records] == ["check", "check", "leave", "route"]
    assert [r["status"] for r in records] == [200, 200, 200, 400]
    for record in records:
        assert record["masked"] is True
        assert record["policy_revision"] == answers[0]["policy_revision"]
        assert len(record["input_sha256"]) == 64
        assert "time" in record
    assert records[0]["input_sha256"] == records[1]["input_sha256"]
    assert records[0]["input_sha256"] != records[2]["input_sha256"]
    assert records[0]["result"]["compliant"] is False
    assert records[0]["result"]["findings"] == [
        {"kind": "out_of_order", "article": 29, "rule": "a29.1", "severity": "violation"}
    ]
    assert records[2]["result"]["acting_count"] == len(answers[2]["acting"])
    assert records[3]["error"] == {
        "kind": "input",
        "code": answers[3]["error"]["code"],
        "path": "document.trace[0].actor",
    }
    # No name of the organisation, nor the unknown one, nor a date of an absence.
    for name in [*NAMES, "无名氏", "2021-03-01"]:
        assert name not in text


def test_unmasked_on_request(tmp_path: Path) -> None:
    records, _, text = _run(tmp_path / "d.jsonl", unmasked=True)
    assert all(r["masked"] is False for r in records)
    assert "赵主任" in text and "无名氏" in text
    assert records[0]["request"]["document"]["trace"][1]["actor"] == "赵主任"
    assert records[3]["error"]["message"].startswith("<document>")
