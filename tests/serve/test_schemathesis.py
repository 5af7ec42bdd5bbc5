"""schemathesis against the app through ASGI: requests generated from openapi.yaml (valid
and invalid), every answer checked against the document (status, media type, schema) and
no 500. Bounded: a few examples per operation, no shrinking past the first failure."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from govrules.serve.app import create_app

APP = create_app()
SCHEMA = schemathesis.openapi.from_asgi("/openapi.yaml", APP)


@pytest.fixture(scope="module", autouse=True)
def _tidy() -> Iterator[None]:
    """Leave the process as found: the generated cases leave much cyclic garbage, whose
    collection would otherwise land in a later test's timed solve."""
    yield
    APP.state.service.pool.shutdown()
    gc.collect()


@SCHEMA.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_server_keeps_its_openapi_document(case: Any) -> None:
    # A request can fit the schema and still be bad input (an actor not in the organisation,
    # an empty file): 400 is right there, so "valid data accepted" is not asked.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
