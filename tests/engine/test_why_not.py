"""Why not: minimal sets of rules behind an impossible order, a wrong trace, a wrong plan."""

from __future__ import annotations

import pytest
from clingo import Function, String

from govrules.asp.cores import minimal_cores
from govrules.compiler import kernel_part
from govrules.engine import Policy
from govrules.errors import InputError
from govrules.resources import bundled_policy_dir
from govrules.whynot import parse_order

EX = bundled_policy_dir() / "examples"
CROSS = {
    "document": {
        "id": "x",
        "kind": "outgoing",
        "in_name_of": "district_government",
        "fields": ["教育", "财政"],
    }
}


def _cores(answer: object) -> list[list[str]]:
    return [[r.ident for r in reason.rules] for reason in answer.reasons]  # type: ignore[attr-defined]


def test_the_director_cannot_sign_before_the_review(policy: Policy) -> None:
    answer = policy.why_not_order(EX / "doc-outgoing.yaml", ["sign:赵主任", "review:钱副主任"])
    assert not answer.possible and answer.witness == []
    assert _cores(answer) == [["a29.1"]]
    assert answer.reasons[0].precedence == (("review:钱副主任", "sign:赵主任", "a29.1"),)


def test_a_possible_order_comes_with_a_witness(policy: Policy) -> None:
    answer = policy.why_not_order(EX / "doc-outgoing.yaml", ["sign:赵主任", "sign:王副区长"])
    assert answer.possible and answer.reasons == []
    witness = answer.witness
    assert witness.index("sign:赵主任") < witness.index("sign:王副区长")
    assert sorted(witness) == sorted(s.id for s in policy.route(EX / "doc-outgoing.yaml").steps)


def test_an_interpretation_is_the_reason_when_it_is_switched_on(policy: Policy) -> None:
    answer = policy.why_not_order(
        EX / "doc-outgoing.yaml",
        ["sign:赵主任", "sign:王副区长"],
        interpretations={"vice_mayor_first": True},
    )
    assert _cores(answer) == [["a29.2"]]
    assert answer.reasons[0].rules[0].guard == ("vice_mayor_first", True)


def test_a_chain_across_rules_is_one_minimal_reason(policy: Policy) -> None:
    answer = policy.why_not_order(CROSS, ["sign:赵主任", "opine:孙副主任"])
    assert _cores(answer) == [["a26.10", "a26.4"]]
    assert answer.reasons[0].precedence == (
        ("opine:孙副主任", "review:李副区长", "a26.4"),
        ("review:李副区长", "sign:赵主任", "a26.10"),
    )


def test_independent_reasons_are_each_reported(policy: Policy) -> None:
    answer = policy.why_not_order(CROSS, ["issue:张区长", "propose:秘书股"])
    assert _cores(answer) == [["a29.1"], ["a26.11", "a26.4", "a26.9"]]


def test_each_reason_is_minimal(policy: Policy) -> None:
    """With only a reason's rules holding the order is ruled out; drop any one and it is not."""
    order = ["sign:赵主任", "opine:孙副主任"]
    [reason] = policy.why_not_order(CROSS, order).reasons
    names = [r.ident for r in reason.rules]
    steps = {s.id: s for s in policy.route(CROSS).steps}
    _, _, settings, facts = policy.document_question(CROSS, None, "route", None)
    facts += [Function("interp", [String(k)]) for k, on in settings.items() if on]
    pair = Function("", [String(steps[order[0]].action), String(steps[order[0]].actor)])
    later = Function("", [String(steps[order[1]].action), String(steps[order[1]].actor)])
    facts.append(Function("want_before", [pair, later]))
    program = policy.compiled.solver_program + kernel_part("whynot.lp")

    every = [r.ident for r in policy.program.rules]

    def ruled_out(holding: list[str]) -> bool:
        answer = minimal_cores(
            program, facts, every, externals=[Function("enumerate")], hold=holding
        )
        return bool(answer.cores)

    assert ruled_out(names)
    for name in names:
        assert not ruled_out([n for n in names if n != name]), name
    routed = policy.route(CROSS, limit=10_000)
    assert not [o for o in routed.orders if o.index(order[0]) < o.index(order[1])]


@pytest.mark.parametrize(
    ("order", "message"),
    [(["sign:孙副主任", "review:钱副主任"], "不是本公文的步骤"), (["sign:赵主任"], "至少两个")],
)
def test_a_bad_order_question_is_refused(policy: Policy, order: list[str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        policy.why_not_order(EX / "doc-outgoing.yaml", order)
    assert message in caught.value.message.zh


def test_order_text_accepts_arrows_commas_and_spaces() -> None:
    assert parse_order("sign:赵主任 → review:钱副主任") == ["sign:赵主任", "review:钱副主任"]
    assert parse_order("a:x,b:y > c:z，d:w") == ["a:x", "b:y", "c:z", "d:w"]


def test_a_wrong_trace_names_the_rules_it_breaks(policy: Policy) -> None:
    answer = policy.why_not_trace(EX / "doc-incoming.yaml")
    assert not answer.possible and _cores(answer) == [["a26.1"]]
    assert [f.kind for f in answer.reasons[0].findings] == ["opinion_missing"]
    assert policy.why_not_trace(EX / "doc-outgoing.yaml").possible


def test_a_wrong_plan_names_the_rules_it_breaks(policy: Policy) -> None:
    answer = policy.why_not_plan(EX / "plan.yaml")
    assert not answer.possible
    assert sorted(_cores(answer)) == [["a39.1"], ["a39.3"]]
    kinds = {f.kind for reason in answer.reasons for f in reason.findings}
    assert kinds == {"absent_together", "report_missing"}
