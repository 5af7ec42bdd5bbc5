"""The decision service over HTTP: the CLI's answers, its error contract, load shedding."""

from __future__ import annotations

import json
from typing import Any

from starlette.testclient import TestClient
from tests.serve.conftest import example, example_text, service_of

from govrules.engine import MAX_TRACE, Policy


def _without_envelope(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k not in ("decision_id", "policy_revision")}


def test_route_is_the_cli_answer_plus_id_and_revision(client: TestClient, policy: Policy) -> None:
    doc = example("doc-outgoing.yaml")
    answer = client.post("/v1/route", json={"document": doc}).json()
    assert _without_envelope(answer) == json.loads(policy.route(doc).to_json())
    assert len(answer["decision_id"]) == 32
    assert answer["policy_revision"].startswith("xihu-office-2020@")
    again = client.post("/v1/route", json={"document": doc}).json()
    assert again["decision_id"] != answer["decision_id"]
    assert again["policy_revision"] == answer["policy_revision"]


def test_check_in_english_and_from_pasted_yaml(client: TestClient, policy: Policy) -> None:
    text = example_text("doc-bad-order.yaml")
    answer = client.post("/v1/check", json={"document": text, "lang": "en"}).json()
    expected = json.loads(policy.check(example("doc-bad-order.yaml"), lang="en").to_json())
    assert _without_envelope(answer) == expected
    assert answer["compliant"] is False
    assert [f["kind"] for f in answer["findings"]] == ["out_of_order"]


def test_bad_input_is_400_with_the_json_path(client: TestClient) -> None:
    doc = example("doc-bad-order.yaml")
    doc["trace"][2]["actor"] = "无名氏"
    response = client.post("/v1/check", json={"document": doc, "lang": "en"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["kind"] == "input"
    assert error["path"] == "document.trace[2].actor"
    assert "无名氏" in error["message"] and "neither a person" in error["message"]


def test_bad_pasted_yaml_names_line_and_column(client: TestClient) -> None:
    text = example_text("doc-bad-order.yaml").replace(
        "{actor: 钱副主任, action: review", "{actor: 无名氏, action: review"
    )
    error = client.post("/v1/check", json={"document": text}).json()["error"]
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "无名氏" in t)
    assert (error["path"], error["line"]) == ("document.trace[2].actor", line)
    assert error["message"].startswith(f"document:{line}:")
    assert "字段 trace[2].actor" in error["message"]


def test_request_shape_is_checked_before_any_work(client: TestClient) -> None:
    doc = example("doc-outgoing.yaml")
    cases = [
        ({"document": doc, "limt": 3}, "limt", "request.unknown_key"),
        ({"document": doc, "limit": True}, "limit", "request.type"),
        ({"document": [1]}, "document", "request.type"),
        ({}, "document", "request.missing"),
        ({"document": doc, "lang": "fr"}, "lang", "request.lang"),
    ]
    for body, path, code in cases:
        response = client.post("/v1/route", json=body)
        assert response.status_code == 400, body
        assert (response.json()["error"]["path"], response.json()["error"]["code"]) == (path, code)
    not_json = client.post("/v1/route", content=b"{", headers={"content-type": "application/json"})
    assert not_json.status_code == 400 and not_json.json()["error"]["code"] == "request.json"
    listed = client.post("/v1/route", json=[doc])
    assert listed.json()["error"]["code"] == "request.not_object"


def test_solver_limit_is_422_not_400(client: TestClient) -> None:
    doc = example("doc-outgoing.yaml")
    entry = doc["trace"][0]
    doc["trace"] = [entry] * (MAX_TRACE + 1)
    response = client.post("/v1/check", json={"document": doc})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["kind"], error["code"]) == ("solver_limit", "input_too_large")


def test_unknown_path_method_and_size(client: TestClient) -> None:
    assert client.get("/v2/route").status_code == 404
    assert client.get("/v2/route").json()["error"]["code"] == "not_found"
    assert client.get("/v1/route").status_code == 405
    big = b'{"document": "' + b"x" * 1_000_001 + b'"}'
    response = client.post("/v1/route", content=big)
    assert response.status_code == 413
    assert response.json()["error"]["kind"] == "too_large"


def test_full_queue_sheds_with_503_and_retry_after(client: TestClient) -> None:
    service = service_of(client)
    held = service.settings.threads + service.settings.queue
    service.metrics.inflight += held
    try:
        response = client.post("/v1/route", json={"document": example("doc-outgoing.yaml")})
    finally:
        service.metrics.inflight -= held
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["error"]["kind"] == "overloaded"
    assert client.post("/v1/route", json={"document": example("doc-outgoing.yaml")}).is_success


def test_leave_deadline_explain_why_not(client: TestClient, policy: Policy) -> None:
    plan = example("plan.yaml")
    leave = client.post("/v1/leave", json={"plan": plan, "suggest": True}).json()
    assert _without_envelope(leave) == json.loads(policy.check_leave(plan).to_json()) | {
        "suggestion": json.loads(policy.suggest_leave(plan).to_json())
    }
    due = client.post("/v1/deadline", json={"start": "2021-09-30", "days": 1}).json()
    assert due["due"] == policy.due_date("2021-09-30", 1).isoformat() == "2021-10-08"
    bad_day = client.post("/v1/deadline", json={"start": "2021-02-30"})
    assert bad_day.status_code == 400 and bad_day.json()["error"]["path"] == "start"
    doc = example("doc-bad-order.yaml")
    explained = client.post("/v1/explain", json={"document": doc}).json()
    assert any(e["subject"] == "finding" for e in explained["explanations"])
    one = client.post("/v1/explain", json={"document": doc, "what": ["review:钱副主任"]}).json()
    assert [e["id"] for e in one["explanations"]] == ["review:钱副主任"]
    none = client.post("/v1/explain", json={"document": doc, "what": ["sign:无名"]})
    assert none.status_code == 400 and none.json()["error"]["path"] == "what"
    order = ["issue:张区长", "propose:秘书股"]
    why = client.post("/v1/why-not", json={"document": doc, "order": order}).json()
    assert why == why | json.loads(policy.why_not_order(doc, order).to_json())
    trace = client.post("/v1/why-not", json={"document": doc}).json()
    assert _without_envelope(trace) == json.loads(policy.why_not_trace(doc).to_json())
    both = client.post("/v1/why-not", json={"document": doc, "plan": plan})
    assert both.status_code == 400


def test_articles_health_and_metrics(client: TestClient, policy: Policy) -> None:
    listed = client.get("/v1/articles").json()
    assert [a["number"] for a in listed["articles"]] == [a.number for a in policy.text.articles]
    one = client.get("/v1/articles/39").json()
    assert one["number"] == 39 and "副主任" in one["text"]
    assert client.get("/v1/articles/999").status_code == 404
    assert client.get("/healthz").json()["status"] == "ok"
    client.post("/v1/route", json={"document": example("doc-outgoing.yaml")})
    text = client.get("/metrics").text
    assert 'govrules_decisions_total{outcome="compliant"' in text
    assert 'govrules_decision_seconds_bucket{le="+Inf"' in text
    assert 'govrules_errors_total{kind="input"' in text
