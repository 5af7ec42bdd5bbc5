"""Program slicing drops only rules that cannot matter: every answer equals the answer of
the whole program, for every example, policy test input and interpretation setting."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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


def test_a_first_question_takes_the_slice_an_earlier_process_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """A policy's first question is cut from the slices kept in the compiled-policy cache
    (`KeptSlices`), without parsing the program, once an earlier process has kept its
    slice; every example answers exactly as the whole program does (a policy that keeps
    nothing), in the first process, which cuts and keeps the slice, and in later ones."""
    from govrules.asp import slicing

    monkeypatch.setenv("GOVRULES_CACHE", str(tmp_path / "cache"))
    yaml = YAML(typ="safe")
    questions = [
        (call, yaml.load(path.read_text(encoding="utf-8")))
        for path in sorted(EX.glob("doc-*.yaml"))
        for call in ("route", "check")
    ]
    questions.append(("check_leave", yaml.load((EX / "plan.yaml").read_text(encoding="utf-8"))))

    def first_answer(call: str, data: Any, **load: Any) -> str:
        fresh = Policy.load(bundled_policy_dir(), **load)  # as a new process would
        answer = str(getattr(fresh, call)(data).to_json("en"))
        parsed.append(fresh._sliced is not None)
        return answer

    parsed: list[bool] = []
    whole = [first_answer(call, data, use_cache=False) for call, data in questions]
    assert not any(parsed)  # a policy that keeps nothing answers its first from the text
    parsed.clear()
    cutting = [first_answer(call, data) for call, data in questions]
    assert parsed[0] and cutting == whole  # the first process parses, cuts and keeps
    assert list((tmp_path / "cache").glob("slice-*.json"))
    parsed.clear()
    kept = [first_answer(call, data) for call, data in questions]
    assert kept == whole
    assert not any(parsed), parsed  # later processes parse nothing

    # Only first questions keep their slices: a process answering many keeps one.
    for path in (tmp_path / "cache").glob("slice-*.json"):
        path.unlink()
    one = Policy.load(bundled_policy_dir())
    for call, data in questions:
        getattr(one, call)(data)
    assert len(list((tmp_path / "cache").glob("slice-*.json"))) == 1

    # A question whose slice no process kept is cut from the program parsed here.
    monkeypatch.setattr(slicing, "slice_name", lambda name, key: f"slice-{'0' * 40}")
    parsed.clear()
    assert first_answer(*questions[0]) == whole[0] and parsed == [True]


def test_nothing_is_parsed_for_a_slice_that_cannot_be_kept_or_is_not_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """A first question parses the program only to keep its slice: not when the cache
    cannot be used (here a directory others may write to), and not for an explanation,
    which grounds the whole program with its explaining kernel."""
    doc = YAML(typ="safe").load((EX / "doc-outgoing.yaml").read_text(encoding="utf-8"))
    monkeypatch.setenv("GOVRULES_CACHE", str(tmp_path / "usable"))
    explained = Policy.load(bundled_policy_dir())
    explained.route(doc, explain=True)
    assert explained._sliced is None
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("GOVRULES_CACHE", str(shared))
    unkept = Policy.load(bundled_policy_dir())
    answer = unkept.route(doc).to_json("en")
    assert unkept._sliced is None and not list(shared.iterdir())
    assert answer == Policy.load(bundled_policy_dir(), use_cache=False).route(doc).to_json("en")


ROOT = bundled_policy_dir().parent


@pytest.mark.parametrize("name", ["xihu-office-2020", "party-gov-docs-2012"])
@given(data=st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_who_the_rules_relate_is_the_same_from_the_goal_slice(name: str, data: Any) -> None:
    """Who the rules relate (related/3, what a plan's grounding joins absences over) is
    asked of the program cut to that goal, without constraints, once the program is parsed
    or the organisation is big: the same triples as the whole program gives, for generated
    organisations of either bundled policy."""
    from govrules import policy_core
    from govrules.inputs import load_org

    policy = _POLICIES.setdefault(name, Policy.load(ROOT / name))
    roles = sorted(i.ident for i in policy.program.vocabulary if i.kind == "role")
    fields = ["教育", "财政", "城建"]
    count = data.draw(st.integers(2, 9))
    names = [f"p{i}" for i in range(count)]
    people = []
    for person in names:
        entry: dict[str, Any] = {
            "name": person,
            "roles": data.draw(
                st.lists(st.sampled_from(roles), min_size=1, max_size=2, unique=True)
            ),
            "fields": data.draw(st.lists(st.sampled_from(fields), max_size=2, unique=True)),
        }
        others = [n for n in names if n != person]
        if data.draw(st.booleans()):
            entry["reports_to"] = data.draw(
                st.lists(st.sampled_from(others), max_size=2, unique=True)
            )
        entry["backup"] = data.draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
        people.append(entry)
    try:
        org = load_org({"district": "测试区", "people": people})
    except Exception:  # an organisation the inputs refuse is no question for the rules
        return
    whole_from = policy_core.SLICE_RELATED_FROM
    saved = policy._sliced
    try:
        policy._sliced = None
        policy_core.SLICE_RELATED_FROM = 10**9
        whole = policy._derive_related(org, 10.0)
        policy._sliced = saved
        policy_core.SLICE_RELATED_FROM = 0
        sliced = policy._derive_related(org, 10.0)
    finally:
        policy._sliced = saved
        policy_core.SLICE_RELATED_FROM = whole_from
    assert sliced == whole


_POLICIES: dict[str, Policy] = {}
