"""Peers on one decision: a deputy director and the vice-mayor in charge on vacation together
(article 39), on at least one shared working day (the bundled policy's day model). The same
rule in Rego (run by regopy, the rego-cpp interpreter) and in plain Python, over the same
organisation and plan as plain data (dates as ISO text, which compare as dates) and the
year's working days (the calendar is data for every peer, as for govrules)."""

from __future__ import annotations

from typing import Any

REGO = """
package leave

vice_roles := {"vice_mayor", "executive_vice_mayor"}

vice_by_field[f] := names {
    input.people[_].fields[_] = f
    names := {p.name | p := input.people[_]; r := p.roles[_]; vice_roles[r]; p.fields[_] == f}
}

by_field := {[p.name, v] |
    p := input.people[_]
    p.roles[_] == "deputy_director"
    count(object.get(p, "reports_to", [])) == 0
    f := p.fields[_]
    v := vice_by_field[f][_]
    v != p.name
}

by_report := {[p.name, v] |
    p := input.people[_]
    p.roles[_] == "deputy_director"
    v := p.reports_to[_]
}

in_charge := by_field | by_report

vacations[name] := spans {
    name := input.absences[_].who
    spans := [[i, a.from, a.to] | a := input.absences[i]; a.who == name; a.kind == "vacation"]
}

shares_a_workday(lo, hi) if {
    w := input.workdays[_]
    lo <= w
    w <= hi
}

clash := {[x, a, y, b] |
    pair := in_charge[_]
    x := pair[0]
    y := pair[1]
    va := vacations[x][_]
    vb := vacations[y][_]
    va[1] <= vb[2]
    vb[1] <= va[2]
    shares_a_workday(max([va[1], vb[1]]), min([va[2], vb[2]]))
    a := va[0]
    b := vb[0]
}

clashes := count(clash)
"""


def python_clashes(org: dict[str, Any], plan: dict[str, Any], workdays: list[str]) -> int:
    """The same rule in plain Python: index vice-mayors by field, vacations by person;
    `workdays` sorted ISO dates."""
    from bisect import bisect_left

    vice_by_field: dict[str, set[str]] = {}
    for p in org["people"]:
        if {"vice_mayor", "executive_vice_mayor"} & set(p["roles"]):
            for f in p.get("fields", ()):
                vice_by_field.setdefault(f, set()).add(p["name"])
    vacations: dict[str, list[tuple[int, str, str]]] = {}
    for i, a in enumerate(plan["absences"]):
        if a["kind"] == "vacation":
            vacations.setdefault(a["who"], []).append((i, a["from"], a["to"]))
    found = 0
    for p in org["people"]:
        if "deputy_director" not in p["roles"]:
            continue
        own = vacations.get(p["name"])
        if not own:
            continue
        if p.get("reports_to"):
            chiefs = set(p["reports_to"])
        else:
            chiefs = set().union(*(vice_by_field.get(f, set()) for f in p.get("fields", ())))
        chiefs.discard(p["name"])
        for chief in chiefs:
            for _, f1, t1 in own:
                for _, f2, t2 in vacations.get(chief, ()):
                    lo, hi = max(f1, f2), min(t1, t2)
                    at = bisect_left(workdays, lo)
                    if lo <= hi and at < len(workdays) and workdays[at] <= hi:
                        found += 1
    return found


def rego_clashes(org: dict[str, Any], plan: dict[str, Any], workdays: list[str]) -> int:
    """Load the module and the input, then query: all of it timed, as a peer's decision."""
    import json

    import regopy

    rego = regopy.Interpreter()
    rego.add_module("leave", REGO)
    data = {"people": org["people"], "absences": plan["absences"], "workdays": workdays}
    rego.set_input_term(json.dumps(data, ensure_ascii=False))
    output = json.loads(str(rego.query("data.leave.clashes")))
    return int(output["expressions"][0])
