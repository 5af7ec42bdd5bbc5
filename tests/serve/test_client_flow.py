"""A client written from openapi.yaml alone (as a Java OA system would generate one): plain
HTTP calls to a real uvicorn on loopback, following a document through its approval."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from tests.serve.conftest import example, live_server


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with live_server() as url:
        yield url


def test_a_document_walked_to_completion_by_next(base: str) -> None:
    with httpx.Client(base_url=base, timeout=30) as http:
        assert http.get("/healthz").json()["status"] == "ok"
        assert "doc-outgoing.yaml" in http.get("/v1/examples").json()["examples"]
        text = http.get("/v1/examples/doc-outgoing.yaml").text
        route = http.post("/v1/route", json={"document": text}).json()
        document = example("doc-outgoing.yaml")
        document["trace"] = []
        for _ in range(len(route["steps"]) + 1):  # bounded: one step per round
            answer = http.post("/v1/next", json={"document": document}).json()
            if answer["complete"]:
                break
            step = answer["next"][0]
            hour = 10 + len(document["trace"])
            document["trace"].append(
                {
                    "actor": step["actor"],
                    "action": step["action"],
                    "at": f"2021-10-08T{hour}:00",
                    "opinion": "同意",
                }
            )
        assert answer["complete"] is True
        assert len(document["trace"]) == len(route["steps"])
        checked = http.post("/v1/check", json={"document": document, "lang": "en"}).json()
        assert checked["compliant"] is True, checked["findings"]
        article = http.get(f"/v1/articles/{route['steps'][0]['article']}").json()
        assert article["number"] == route["steps"][0]["article"]


def test_errors_over_the_wire(base: str) -> None:
    with httpx.Client(base_url=base, timeout=30) as http:
        doc = example("doc-outgoing.yaml")
        doc["trace"][1]["action"] = "dance"
        response = http.post("/v1/check", json={"document": doc})
        assert response.status_code == 400
        assert response.json()["error"]["path"] == "document.trace[1].action"
        assert http.post("/v1/nope", json={}).status_code == 404
        size = http.post("/v1/route", content=b"[" * 2_000_000)
        assert size.status_code == 413


def test_concurrent_clients_are_answered_or_shed(base: str) -> None:
    """32 clients at once on a pool of 2 threads and a queue of 16: each gets an answer or a
    prompt 503 with Retry-After; none hangs."""
    import concurrent.futures

    doc = example("doc-outgoing.yaml")

    def call(_: int) -> tuple[int, str | None]:
        with httpx.Client(base_url=base, timeout=60) as http:
            r = http.post("/v1/route", json={"document": doc, "limit": 100})
            return r.status_code, r.headers.get("retry-after")

    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        results = list(pool.map(call, range(64)))
    assert {s for s, _ in results} <= {200, 503}
    assert all(h == "1" for s, h in results if s == 503)
    assert sum(s == 200 for s, _ in results) >= 18
