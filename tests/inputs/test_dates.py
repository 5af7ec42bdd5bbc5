"""Dates and times: the forms accepted, and what a bad one is told."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from govrules.inputs import load_document, load_org

from .helpers import DOC_YAML, ExpectError, Write, load_doc_with, load_plan_with


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        ("2021-10-08T9", "应为日期时间", "expected a date and time such as 2021-10-08T09:00"),
        ("20211008", "数字 20211008", "the number 20211008"),
        ("2021-02-30T09:00", "不存在的日期或时刻", "no such date or time: 2021-02-30T09:00"),
        ("2021-10-08T24:00", "不存在的日期或时刻", "no such date or time"),
        # An offset that would take the instant before year 1 in China time: a clear
        # message, not an internal error.
        (
            '"0001-01-01T00:00+09:00"',
            "不存在的日期或时刻",
            "no such date or time: 0001-01-01T00:00+09:00",
        ),
    ],
)
def test_datetime(
    write: Write, org_file: Path, expect_error: ExpectError, value: str, zh: str, en: str
) -> None:
    expect_error(
        lambda: load_doc_with(write, org_file, "received: 2021-10-08T09:00", f"received: {value}"),
        field="document.received",
        line=6,
        zh=[zh],
        en=[en],
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-10-08", datetime(2021, 10, 8, 0, 0)),
        ("2021-10-08 09:00", datetime(2021, 10, 8, 9, 0)),
        ("2021-10-08T09:00:30", datetime(2021, 10, 8, 9, 0, 30)),
        ("2021-10-08T01:00:00Z", datetime(2021, 10, 8, 9, 0)),
        ('"2021-10-08T09:00+08:00"', datetime(2021, 10, 8, 9, 0)),
    ],
)
def test_datetime_forms(write: Write, org_file: Path, value: str, expected: datetime) -> None:
    text = DOC_YAML.replace("received: 2021-10-08T09:00", f"received: {value}")
    doc = load_document(write("doc.yaml", text), load_org(org_file))
    assert doc.document.received == expected


def test_date(write: Write, org_file: Path, expect_error: ExpectError) -> None:
    expect_error(
        lambda: load_plan_with(write, org_file, "to: 2021-03-05", "to: 2021-13-05"),
        field="absences[0].to",
        line=5,
        zh=["不存在的日期或时刻：2021-13-05"],
        en=["no such date or time: 2021-13-05"],
    )
    expect_error(
        lambda: load_plan_with(write, org_file, "to: 2021-03-05", "to: next friday"),
        field="absences[0].to",
        line=5,
        zh=["应为日期，格式如 2021-10-08", "'next friday'"],
        en=["expected a date such as 2021-10-08", "found 'next friday'"],
    )
