"""POST /v1/next: for a document in progress, the steps that may come next and who takes them."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient
from tests.serve.conftest import example

from govrules.engine import Policy
from govrules.nextsteps import next_steps

DOCS = ["doc-outgoing.yaml", "doc-office.yaml", "doc-incoming.yaml", "doc-bad-order.yaml"]


def _entry(step: str) -> dict[str, str]:
    action, actor = step.split(":", 1)
    return {"actor": actor, "action": action, "at": "2021-11-02T09:00"}


def test_every_prefix_of_every_valid_order(client: TestClient, policy: Policy) -> None:
    """Walking any valid order, the next step of the order is always offered, nothing with
    an unfinished predecessor is, and the document is complete exactly at the end."""
    for name in DOCS:
        doc = example(name)
        route = policy.route(doc).to_dict()
        before = {(e["before"], e["after"]) for e in route["precedence"]}
        assert route["orders"], name
        for order in route["orders"]:
            for i in range(len(order) + 1):
                doc["trace"] = [_entry(s) for s in order[:i]]
                answer = client.post("/v1/next", json={"document": doc}).json()
                offered = [s["id"] for s in answer["next"]]
                done = {d["step"] for d in answer["done"]}
                assert done == set(order[:i])
                assert answer["complete"] is (i == len(order))
                if i < len(order):
                    assert order[i] in offered
                for step in offered:
                    assert step not in done
                    assert all(a in done for a, b in before if b == step)
                for item in answer["waiting"]:
                    assert item["waiting_for"] and not set(item["waiting_for"]) <= done
                assert answer["early"] == [] and answer["unplanned"] == []


def test_who_performs_the_next_steps(client: TestClient) -> None:
    doc = example("doc-outgoing.yaml")
    doc["trace"] = doc["trace"][:2]
    answer = client.post("/v1/next", json={"document": doc, "lang": "en"}).json()
    assert {(s["actor"], s["action"], s["article"]) for s in answer["next"]} == {
        ("王副区长", "sign", 29),
        ("赵主任", "sign", 29),
    }
    assert answer["waiting"] == [
        {"step": "issue:张区长", "waiting_for": ["sign:王副区长", "sign:赵主任"]}
    ]
    assert all(s["action_label"] == "sign" or s["action_label"] for s in answer["next"])


def test_returns_opinions_and_early_steps(client: TestClient) -> None:
    incoming = example("doc-incoming.yaml")
    answer = client.post("/v1/next", json={"document": incoming}).json()
    unplanned = {(u["actor"], u["action"]) for u in answer["unplanned"]}
    assert unplanned == {("钱副主任", "return")}  # a return is no step of the route
    bad = example("doc-bad-order.yaml")
    bad["trace"] = bad["trace"][:2]  # the director signed before the deputy reviewed
    answer = client.post("/v1/next", json={"document": bad}).json()
    assert answer["early"] == [
        {"step": "sign:赵主任", "entry": 1, "must_come_first": "review:钱副主任"}
    ]
    assert "review:钱副主任" in [s["id"] for s in answer["next"]]


def test_next_steps_is_a_function_of_the_route() -> None:
    route: dict[str, Any] = {
        "document": "d",
        "steps": [{"id": "a:x"}, {"id": "b:y"}, {"id": "c:z"}],
        "precedence": [{"before": "a:x", "after": "c:z"}, {"before": "b:y", "after": "c:z"}],
    }
    assert [s["id"] for s in next_steps(route, [])["next"]] == ["a:x", "b:y"]
    after_a = next_steps(route, [("x", "a")])
    assert [s["id"] for s in after_a["next"]] == ["b:y"]
    assert after_a["waiting"] == [{"step": "c:z", "waiting_for": ["b:y"]}]
    assert next_steps(route, [("x", "a"), ("y", "b"), ("z", "c")])["complete"] is True
