"""Fixtures of the input tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import ORG_YAML, ExpectError, Write


@pytest.fixture
def expect_error() -> ExpectError:
    return ExpectError()


@pytest.fixture
def write(tmp_path: Path) -> Write:
    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def org_file(write: Write) -> Path:
    return write("org.yaml", ORG_YAML)
