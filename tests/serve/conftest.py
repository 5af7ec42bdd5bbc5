"""The service under test: one app (one policy load) for the module, and the examples as JSON."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import pytest
from ruamel.yaml import YAML
from starlette.applications import Starlette
from starlette.testclient import TestClient

from govrules.resources import bundled_policy_dir
from govrules.serve.app import Settings, create_app

EXAMPLES = bundled_policy_dir() / "examples"


def example(name: str) -> dict[str, Any]:
    """An example file as the JSON an OA system would send (dates as ISO text)."""
    data = YAML(typ="safe").load((EXAMPLES / name).read_text(encoding="utf-8"))
    loaded: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return loaded


def example_text(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    log = Path(tmp_path_factory.mktemp("log")) / "decisions.jsonl"
    app = create_app(Settings(decision_log=str(log)))
    with TestClient(app) as c:
        yield c


def service_of(client: TestClient) -> Any:
    """The app's Service (its settings, metrics, decision log)."""
    return cast(Starlette, client.app).state.service


@contextmanager
def live_server(settings: Settings | None = None) -> Iterator[str]:
    """A real uvicorn on 127.0.0.1 and a free port, in a thread; yields its base URL."""
    import uvicorn

    config = uvicorn.Config(
        create_app(settings or Settings()), host="127.0.0.1", port=0, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
