"""A `Policy` shared by threads (issue 15, items 1 and 16): the CI run of the stress (10 runs
x 4 threads x 50 calls, in a child process so that a crash in clingo fails the test rather
than the test run), and the frozen organisation a policy caches by identity."""

from __future__ import annotations

import gc
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from govrules.engine import Policy
from govrules.inputs import load_org
from govrules.resources import bundled_policy_dir

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = bundled_policy_dir() / "examples"
STRESS = ["--runs", "10", "--threads", "4", "--calls", "50"]


def test_one_policy_answers_four_threads_exactly_as_one() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.engine.thread_stress", *STRESS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["calls"] == 2000 and summary["failures"] == 0


def test_a_loaded_organisation_cannot_change_under_a_policy() -> None:
    org = load_org(EXAMPLES / "org.yaml")
    with pytest.raises(TypeError):
        org.units["secretariat"] = "别的股"
    with pytest.raises(TypeError):
        org.units.update({"x": "y"})
    with pytest.raises(TypeError):
        del org.units["secretariat"]
    copy = pickle.loads(pickle.dumps(org))  # check_many sends it to worker processes
    assert copy == org and hash(copy) == hash(org)
    assert org.model_dump()["units"] == dict(org.units)


def test_a_new_organisation_never_gets_a_dead_ones_cached_answer(policy: Policy) -> None:
    """The policy caches per organisation object; objects made and dropped one after
    another (CPython reuses their addresses) each get the answer for their own content."""
    data = (EXAMPLES / "org.yaml").read_text(encoding="utf-8")
    doc = EXAMPLES / "doc-incoming.yaml"
    answers: dict[int, str] = {}
    for n in range(6):
        # Health (卫生) moves from 王副区长 to 刘副区长 in every other organisation.
        text = (
            data
            if n % 2
            else data.replace("[教育, 卫生]", "[教育]").replace("城管]", "城管, 卫生]")
        )
        org = load_org(_yaml(text))
        result = policy.check(doc, org)
        answers.setdefault(n % 2, result.to_json())
        assert result.to_json() == answers[n % 2], n
        del org, result
        gc.collect()
    assert answers[0] != answers[1]


def _yaml(text: str) -> dict[str, object]:
    from ruamel.yaml import YAML

    loaded = YAML(typ="safe").load(text)
    assert isinstance(loaded, dict)
    return loaded
