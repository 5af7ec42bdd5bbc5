"""The same input gives byte-identical JSON: in one process, and across processes whose
string hashing differs (PYTHONHASHSEED), so no set or dict order leaks into an answer."""

from __future__ import annotations

import os
import subprocess
import sys

from govrules.engine import Policy
from govrules.resources import bundled_policy_dir

EX = bundled_policy_dir() / "examples"

# Every answer kind, including an order listing cut by --limit (which orders are listed must
# not depend on the process) and names that are ASP text.
SCRIPT = r"""
import json, sys
from govrules.engine import Policy
ex = sys.argv[1]
p = Policy.load()
people = [{"name": n, "roles": r, "fields": f} for n, r, f in [
    ("主任", ["office_director"], []), ("区长", ["mayor"], []),
    ("x). #show y.", ["deputy_director"], ["F0"]), ("副区长", ["vice_mayor"], ["F0"])]]
people += [{"name": f"协办{i}", "roles": ["deputy_director"], "fields": [f"F{i}"]}
           for i in range(1, 9)]
org = {"district": "d", "people": people, "units": {"secretariat": "秘书股"}}
doc = {"document": {"id": "1", "kind": "outgoing", "in_name_of": "district_government",
                    "fields": [f"F{i}" for i in range(9)]}}
out = [
    p.route(doc, org, limit=5).to_json("en"),
    p.route(f"{ex}/doc-outgoing.yaml").to_json(),
    p.check(f"{ex}/doc-incoming.yaml").to_json("en"),
    p.check(f"{ex}/doc-bad-order.yaml", explain=True).to_json(),
    p.check_leave(f"{ex}/plan.yaml").to_json("en"),
]
sys.stdout.write("\n=====\n".join(out))
"""


def _answers(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(EX)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout


def test_byte_identical_across_processes_with_different_hash_seeds() -> None:
    first, second = _answers("1"), _answers("4242")
    assert first.count("=====") == 4
    assert '"orders_listed": 5' in first
    assert first == second


def test_byte_identical_within_a_process(policy: Policy) -> None:
    def answers() -> list[str]:
        return [
            policy.route(EX / "doc-outgoing.yaml").to_json(),
            policy.check(EX / "doc-incoming.yaml").to_json("en"),
            policy.check_leave(EX / "plan.yaml").to_json(),
        ]

    assert answers() == answers()


def test_the_cli_json_is_the_api_json(policy: Policy) -> None:
    from click.testing import CliRunner

    from govrules.cli.main import cli

    result = CliRunner().invoke(cli, ["check", str(EX / "doc-incoming.yaml"), "--format", "json"])
    assert result.stdout == policy.check(EX / "doc-incoming.yaml").to_json("zh")
