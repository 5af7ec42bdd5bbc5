"""Assertions and data shared by the input tests."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

import govrules
from govrules.errors import InputError
from govrules.inputs import Vocabulary, load_document, load_org, load_plan

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

DOC_YAML = """\
document:
  id: 西府文〔2021〕1号
  kind: outgoing
  in_name_of: district_government
  fields: [教育, 财政]
  received: 2021-10-08T09:00
trace:
  - {actor: 秘书股, action: propose, at: 2021-10-08T09:30, opinion: 拟请钱副主任审核}
  - {actor: 钱副主任, action: review, at: 2021-10-08 15:00, opinion: 同意}
"""

PLAN_YAML = """\
absences:
  - who: 钱副主任
    kind: vacation
    from: 2021-03-01
    to: 2021-03-05
    reported:
      - {to: 王副区长, on: 2021-02-25}
"""


@functools.cache
def bundled_words() -> Vocabulary:
    """The bundled policy's vocabulary: the words its inputs may use."""
    return govrules.load_policy().vocabulary


def load_doc_with(write: Write, org_file: Path, old: str, new: str) -> None:
    """Load DOC_YAML with one edit, against the organisation in `org_file`."""
    assert old in DOC_YAML
    load_document(
        write("doc.yaml", DOC_YAML.replace(old, new, 1)), load_org(org_file), bundled_words()
    )


def load_plan_with(write: Write, org_file: Path, old: str, new: str) -> None:
    """Load PLAN_YAML with one edit, against the organisation in `org_file`."""
    assert old in PLAN_YAML
    load_plan(
        write("plan.yaml", PLAN_YAML.replace(old, new, 1)), load_org(org_file), bundled_words()
    )
