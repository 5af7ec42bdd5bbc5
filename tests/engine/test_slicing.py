"""Program slicing drops only rules that cannot matter: every answer equals the answer of
the whole program, for every example, policy test input and interpretation setting."""

from __future__ import annotations

from typing import Any

import pytest
from ruamel.yaml import YAML

from govrules.engine import Policy
from govrules.resources import bundled_policy_dir

EX = bundled_policy_dir() / "examples"
CASES = sorted((bundled_policy_dir() / "tests").glob("*.yaml"))


def _answers(policy: Policy, sliced: bool, call: str, data: Any, **kw: Any) -> str:
    from govrules.asp import solve as solve_module

    original = solve_module.solve
    calls: list[Any] = []

    def whole(program: Any, facts: Any, **options: Any) -> Any:
        calls.append(program)
        if not isinstance(program, str):
            program = policy.compiled.solver_program
            options.pop("exact", None)
            options.pop("present", None)
        return original(program, facts, **options)

    import govrules.presence as presence
    import govrules.routing as routing

    reusing = policy.reuse_groundings
    if not sliced:
        policy.reuse_groundings = False  # a reused grounding is sliced too
        for module in (routing, presence):
            setattr(module, "solve", whole)  # noqa: B010
    try:
        answer = str(getattr(policy, call)(data, **kw).to_json("en"))
        assert sliced or calls, "the whole program was not used"
        return answer
    finally:
        policy.reuse_groundings = reusing
        for module in (routing, presence):
            setattr(module, "solve", original)  # noqa: B010


def _inputs() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    yaml = YAML(typ="safe")
    for path in sorted(EX.glob("doc-*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        found += [("route", data), ("check", data)]
    found.append(("check_leave", yaml.load((EX / "plan.yaml").read_text(encoding="utf-8"))))
    calls = {"route": "route", "check": "check", "leave": "check_leave"}
    for case in CASES:
        for item in (yaml.load(case.read_text(encoding="utf-8")) or {}).get("cases", []):
            for key, call in calls.items():
                if isinstance(item.get(key), dict):
                    found.append((call, item[key]))
    return found


INPUTS = _inputs()


@pytest.mark.parametrize("setting", [False, True])
def test_sliced_answers_equal_whole_program_answers(policy: Policy, setting: bool) -> None:
    policy._asked = True  # the first question of a policy is answered unsliced
    names = [i.ident for i in policy.program.interpretations]
    settings = dict.fromkeys(names, setting)
    assert len(INPUTS) > 8
    compared = 0
    for call, data in INPUTS:
        try:
            sliced = _answers(policy, True, call, data, interpretations=settings)
        except Exception as err:  # an input a case expects to be refused: refused alike
            with pytest.raises(type(err)):
                _answers(policy, False, call, data, interpretations=settings)
            continue
        assert sliced == _answers(policy, False, call, data, interpretations=settings)
        compared += 1
    assert compared > 8


def test_a_cached_analysis_is_the_analysis(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, policy: Policy
) -> None:
    """What slicing learns by walking the parsed program is kept in the compiled-policy
    cache: a program read back from it is not walked again and slices exactly as one
    walked afresh; another text, or a policy loaded with `use_cache=False`, is walked."""
    from clingo.ast import parse_string

    from govrules.asp import slicing

    monkeypatch.setenv("GOVRULES_CACHE", str(tmp_path / "cache"))
    text = policy.compiled.solver_program
    walked = slicing.SlicedProgram(text)  # walks, and writes the entry
    assert list((tmp_path / "cache").glob("slicing-*.json"))
    statements: list[Any] = []
    parse_string(text, statements.append)
    fresh = slicing.analyse(statements)
    walks: list[str] = []
    analyse = slicing.analyse

    def counted(found: list[Any]) -> slicing.Analysis:
        walks.append("walk")
        return analyse(found)

    monkeypatch.setattr(slicing, "analyse", counted)
    read = slicing.SlicedProgram(text)
    assert walks == []  # read from the cache, not walked
    assert read._rules == walked._rules == list(fresh.rules)
    assert read._shown == walked._shown and read._facts == walked._facts
    assert read.exact == walked.exact
    some = policy.sliced.program([], None).facts[:1]
    for exact, present in [([], None), (some, None), (some, frozenset({("doc_kind", 1)}))]:
        assert read.program(exact, present).text == walked.program(exact, present).text
    slicing.SlicedProgram(text + "\nextra_fact_for_the_test(1).\n")
    assert walks == ["walk"]  # another text: walked, for its own entry
    slicing.SlicedProgram(text, use_cache=False)
    assert walks == ["walk", "walk"]
