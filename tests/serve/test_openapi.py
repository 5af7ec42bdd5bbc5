"""openapi.yaml is valid OpenAPI 3.0, and the server keeps it: every documented path, method
and status is served and every answer validates against its documented schema."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from ruamel.yaml import YAML
from starlette.testclient import TestClient
from tests.serve.conftest import example, example_text, service_of

from govrules import clock
from govrules.engine import MAX_TRACE
from govrules.resources import openapi_file

SPEC: dict[str, Any] = YAML(typ="safe").load(openapi_file().read_text(encoding="utf-8"))


def test_the_document_is_valid_openapi_3_0() -> None:
    assert SPEC["openapi"].startswith("3.0.")
    validate(SPEC)


def test_the_served_document_is_the_committed_one(client: TestClient) -> None:
    assert client.get("/openapi.yaml").text == openapi_file().read_text(encoding="utf-8")


def _schema_of(path: str, method: str, status: int, media: str) -> dict[str, Any] | None:
    response = SPEC["paths"][path][method]["responses"][str(status)]
    if "$ref" in response:
        response = SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    content = response.get("content", {})
    assert media in content, (path, method, status, media)
    schema: dict[str, Any] | None = content[media].get("schema")
    return schema


def _conforms(path: str, method: str, status: int, response: Any) -> None:
    assert response.status_code == status, (path, method, response.text[:300])
    media = response.headers["content-type"].split(";")[0]
    schema = _schema_of(path, method, status, media)
    if media == "application/json" and schema is not None:
        # The schema's refs resolve against the whole document.
        OAS30Validator({**schema, "components": SPEC["components"]}).validate(response.json())


def _doc() -> dict[str, Any]:
    return example("doc-outgoing.yaml")


def _huge() -> dict[str, Any]:
    doc = _doc()
    doc["trace"] = [doc["trace"][0]] * (MAX_TRACE + 1)
    return doc


def _busy(client: TestClient, call: Callable[[], Any]) -> Any:
    service = service_of(client)
    held = service.settings.threads + service.settings.queue
    service.metrics.inflight += held
    try:
        return call()
    finally:
        service.metrics.inflight -= held


BIG = b'{"document": "' + b"x" * 1_000_001 + b'"}'
BAD_DOC = {"document": {"document": {"kind": "outgoing"}}}
# One request for each documented (path, method, status).
POSTS: dict[str, dict[int, Any]] = {
    "/v1/route": {200: {"document": _doc(), "picture": True}, 400: BAD_DOC},
    "/v1/check": {200: {"document": example_text("doc-bad-order.yaml")}, 400: BAD_DOC},
    "/v1/leave": {
        200: {"plan": example("plan.yaml"), "suggest": True, "month": "2021-03"},
        400: {"plan": {"absences": [{"who": "无名氏"}]}},
    },
    "/v1/deadline": {200: {"start": "2021-09-30", "days": 3}, 400: {"start": "yesterday"}},
    "/v1/explain": {200: {"document": _doc(), "lang": "en"}, 400: BAD_DOC},
    "/v1/why-not": {
        200: {"document": _doc(), "order": "issue:张区长,propose:秘书股"},
        400: {},
    },
    "/v1/next": {200: {"document": _doc()}, 400: BAD_DOC},
}
LIMITED = {"/v1/route", "/v1/check", "/v1/explain", "/v1/why-not", "/v1/next", "/v1/leave"}
GETS: dict[str, dict[int, str]] = {
    "/v1/articles": {200: "/v1/articles?lang=en", 400: "/v1/articles?lang=fr"},
    "/v1/articles/{number}": {
        200: "/v1/articles/29",
        400: "/v1/articles/29?lang=de",
        404: "/v1/articles/0",
    },
    "/v1/examples": {200: "/v1/examples"},
    "/v1/examples/{name}": {200: "/v1/examples/plan.yaml", 404: "/v1/examples/..%2Forg.yaml"},
    "/healthz": {200: "/healthz"},
    "/metrics": {200: "/metrics"},
}


def _documented() -> set[tuple[str, str, int]]:
    return {
        (path, method, int(status))
        for path, item in SPEC["paths"].items()
        for method, operation in item.items()
        for status in operation["responses"]
    }


def test_every_documented_status_is_served_and_conforms(client: TestClient) -> None:
    covered: set[tuple[str, str, int]] = set()
    for path, cases in POSTS.items():
        for status, body in cases.items():
            _conforms(path, "post", status, client.post(path, json=body))
            covered.add((path, "post", status))
        _conforms(path, "post", 413, client.post(path, content=BIG))
        _conforms(path, "post", 503, _busy(client, partial(client.post, path, json=cases[200])))
        covered |= {(path, "post", 413), (path, "post", 503)}
        if path in LIMITED:
            # A solver limit: a trace too long to ground, or (a plan) no time to solve.
            if path == "/v1/leave":
                # Its own org: an answer kept from the same plan asked about the same org
                # object is given at once, rightly, however little time is left.
                fresh = {**cases[200], "org": example("org.yaml")}
                response = _hurried(client, partial(client.post, path, json=fresh))
                assert response.json()["error"]["code"] == "timeout", response.text[:300]
            else:
                response = client.post(path, json={"document": _huge()})
            _conforms(path, "post", 422, response)
            covered.add((path, "post", 422))
    for path, gets in GETS.items():
        for status, url in gets.items():
            _conforms(path, "get", status, client.get(url))
            covered.add((path, "get", status))
    assert covered == _documented()


class _LeapingClock:
    """A stand-in for `govrules.clock`'s `time`: each reading is a second after the last,
    so a question's first look at its budget finds a 0.01 s limit passed on any machine
    (a real timer made the status depend on speed: a fast CI machine answered in time)."""

    def __init__(self) -> None:
        self.now = time.monotonic()

    def monotonic(self) -> float:
        self.now += 1.0
        return self.now


def _hurried(client: TestClient, call: Callable[[], Any]) -> Any:
    """`call` with the least time limit and a clock that runs out before the work starts."""
    settings = service_of(client).settings
    saved, settings.timeout = settings.timeout, 0.01  # the least a timeout may be
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "time", _LeapingClock())
        try:
            return call()
        finally:
            settings.timeout = saved


@pytest.mark.parametrize("path", sorted(POSTS))
def test_unknown_keys_are_refused_as_documented(client: TestClient, path: str) -> None:
    """additionalProperties: false in the document, 400 on the wire."""
    _conforms(path, "post", 400, client.post(path, json={"nonsense": 1}))
