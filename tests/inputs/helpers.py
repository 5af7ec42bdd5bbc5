"""Assertions and data shared by the input tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from govrules.errors import InputError

Write = Callable[[str, str], Path]


class ExpectError:
    """Calls a loader expecting an `InputError`, and checks its exit status, place and words."""

    def __call__(
        self,
        call: Callable[[], Any],
        *,
        field: str,
        line: int | None,
        zh: Sequence[str],
        en: Sequence[str],
        column: int | None = None,
        error: type[InputError] = InputError,
    ) -> InputError:
        with pytest.raises(error) as caught:
            call()
        err = caught.value
        assert err.exit_code == 2
        assert err.location.field == field, err.render("en")
        assert err.location.line == line, err.render("en")
        if column is not None:
            assert err.location.column == column, err.render("en")
        zh_text, en_text = err.render("zh"), err.render("en")
        for word in zh:
            assert word in zh_text, zh_text
        for word in en:
            assert word in en_text, en_text
        if field:
            assert f"字段 {field}" in zh_text and f"field {field}" in en_text
        if line is not None:
            assert f":{line}" in en_text.splitlines()[0]
        return err


ORG_YAML = """\
district: 南昌市西湖区
people:
  - name: 张区长
    roles: [mayor, government_party_secretary]
  - name: 王副区长
    roles: [vice_mayor]
    fields: [教育, 卫生]
  - name: 赵主任
    roles: [office_director]
  - name: 钱副主任
    roles: [deputy_director]
    fields: [教育]
    backup: [孙副主任]
  - name: 孙副主任
    roles: [deputy_director]
    fields: [财政]
units:
  secretariat: 秘书股
"""
