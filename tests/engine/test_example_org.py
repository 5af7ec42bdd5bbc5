"""A question that names no organisation takes the policy's example organisation: the same
model object while its file is unchanged (so what is kept per organisation is found), and
the file read again once its bytes change."""

from __future__ import annotations

import shutil
from pathlib import Path

import govrules
from govrules.resources import bundled_policy_dir


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "policy"
    shutil.copytree(bundled_policy_dir(), folder)
    return folder


def test_the_example_organisation_is_one_object_until_its_file_changes(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    policy = govrules.load_policy(folder)
    doc = folder / "examples" / "doc-outgoing.yaml"
    first = policy._org(None)
    assert policy._org(None) is first
    before = policy.check(doc)
    assert policy._org(None) is first and policy.check(doc).to_dict() == before.to_dict()

    org_file = policy.example_org()
    text = org_file.read_text(encoding="utf-8")
    # 王副区长 signs this document as the vice-mayor in charge of 教育; without that field
    # nobody is in charge of it, and the answer changes.
    wang = "  - name: 王副区长\n    roles: [vice_mayor]\n    fields: [教育, 卫生]\n"
    assert wang in text
    org_file.write_text(text.replace(wang, wang.replace("[教育, 卫生]", "[卫生]")), "utf-8")
    changed = policy._org(None)
    assert changed is not first
    assert [p.fields for p in changed.people if p.name == "王副区长"] == [("卫生",)]
    after = policy.check(doc)
    assert after.to_dict() != before.to_dict()

    org_file.write_text(text, encoding="utf-8")  # back as it was: read again, answers again
    assert policy._org(None) is not changed
    assert policy.check(doc).to_dict() == before.to_dict()
