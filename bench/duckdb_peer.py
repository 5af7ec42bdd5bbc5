"""DuckDB as a peer on the leave audit: article 39's clashes, missing and late reports.

    python -m bench.duckdb_peer [--sizes 2000 20000 100000] [--out bench/RESULTS.md]

The same audit govrules answers with `check_leave` (the bundled policy, its default
interpretations: working days count, a report dated the first working day is in advance),
written by hand in SQL over the same organisation and plan (bench.gen) as plain data. The
SQL names the bundled policy's roles: it is a peer for one policy, as the floor is, not a
second engine. Both are timed from plain Python data to findings (DuckDB's time includes
writing the data as JSON lines and reading it in, as an embedder without Arrow or pandas
would); the answers are compared as sets of (rule, absence, person, other) tuples and
must be equal, or the row says they differ. Not a test: no figure fails anything.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench import gen, sections
from govrules.errors import GovrulesError

NAME = "bench.duckdb_peer"
ROOT = Path(__file__).resolve().parent.parent

# Article 39 as the bundled policy words it (rules a39.1, a39.2, a39.3), over tables
# people(name, role), fields(name, field), reports_to(name, whom), absences(idx, who, kind,
# f, t), reports(idx, whom, d) and workdays(d), dates as DATE.
SQL = """
CREATE TEMP TABLE first_work AS
  SELECT a.idx, coalesce(min(w.d), any_value(a.f)) AS fw
  FROM absences a LEFT JOIN workdays w ON w.d BETWEEN a.f AND a.t
  GROUP BY a.idx;
CREATE TEMP TABLE in_charge AS   -- 甲 的 分管副区长 (rules a13.1, a13.2)
  SELECT DISTINCT d.name AS deputy, v.name AS vice
  FROM people d JOIN fields df ON df.name = d.name
  JOIN fields vf ON vf.field = df.field
  JOIN people v ON v.name = vf.name AND v.role IN ('vice_mayor', 'executive_vice_mayor')
  WHERE d.role = 'deputy_director' AND d.name NOT IN (SELECT name FROM reports_to)
  UNION
  SELECT DISTINCT d.name, r.whom FROM people d JOIN reports_to r ON r.name = d.name
  WHERE d.role = 'deputy_director';
CREATE TEMP TABLE owed AS
  SELECT DISTINCT 'a39.1' AS rule, a.idx, a.who, q.name AS whom
  FROM absences a JOIN people p ON p.name = a.who AND p.role = 'office_director'
  JOIN people q ON q.role IN ('mayor', 'executive_vice_mayor')
  WHERE a.kind IN ('business_trip', 'vacation', 'sick', 'personal')
  UNION
  SELECT DISTINCT 'a39.2', a.idx, a.who, w.whom
  FROM absences a JOIN people p ON p.name = a.who AND p.role = 'deputy_director'
  JOIN (SELECT deputy, vice AS whom FROM in_charge
        UNION SELECT d.name, o.name FROM people d, people o
        WHERE d.role = 'deputy_director' AND o.role = 'office_director') w ON w.deputy = a.who
  WHERE a.kind IN ('business_trip', 'vacation', 'sick', 'personal');
SELECT o.rule, 'report_missing' AS kind, o.idx, o.who, o.whom
  FROM owed o
  WHERE o.whom <> o.who AND NOT EXISTS
    (SELECT 1 FROM reports r WHERE r.idx = o.idx AND r.whom = o.whom)
UNION ALL
SELECT o.rule, 'report_late', o.idx, o.who, o.whom
  FROM owed o JOIN first_work fw ON fw.idx = o.idx
  WHERE o.whom <> o.who
    AND EXISTS (SELECT 1 FROM reports r WHERE r.idx = o.idx AND r.whom = o.whom)
    AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.idx = o.idx AND r.whom = o.whom
                    AND r.d <= fw.fw)
UNION ALL
SELECT 'a39.3', 'absent_together', a.idx, a.who, b.who || '#' || b.idx
  FROM in_charge c
  JOIN absences a ON a.who = c.deputy AND a.kind = 'vacation'
  JOIN absences b ON b.who = c.vice AND b.kind = 'vacation'
  WHERE a.f <= b.t AND b.f <= a.t AND EXISTS
    (SELECT 1 FROM workdays w WHERE w.d BETWEEN greatest(a.f, b.f) AND least(a.t, b.t))
"""

Finding = tuple[str, str, int, str, str]


def _tables(org: dict[str, Any], plan: dict[str, Any], workdays: list[date]) -> dict[str, Any]:
    people = [{"name": p["name"], "role": r} for p in org["people"] for r in p["roles"]]
    fields = [{"name": p["name"], "field": f} for p in org["people"] for f in p.get("fields", ())]
    reports_to = [
        {"name": p["name"], "whom": w} for p in org["people"] for w in p.get("reports_to", ())
    ]
    absences, reports = [], []
    for idx, a in enumerate(plan["absences"], start=1):  # numbered as answers show them
        absences.append({"idx": idx, "who": a["who"], "kind": a["kind"], "f": a["from"]})
        absences[-1]["t"] = a["to"]
        for r in a.get("reported", ()):
            reports.append({"idx": idx, "whom": r["to"], "d": r["on"]})
    return {
        "people": people,
        "fields": fields,
        "reports_to": reports_to,
        "absences": absences,
        "reports": reports,
        "workdays": [{"d": d.isoformat()} for d in workdays],
    }


COLUMNS = {
    "people": "name VARCHAR, role VARCHAR",
    "fields": "name VARCHAR, field VARCHAR",
    "reports_to": "name VARCHAR, whom VARCHAR",
    "absences": "idx INTEGER, who VARCHAR, kind VARCHAR, f DATE, t DATE",
    "reports": "idx INTEGER, whom VARCHAR, d DATE",
    "workdays": "d DATE",
}


def duckdb_audit(org: dict[str, Any], plan: dict[str, Any], workdays: list[date]) -> set[Finding]:
    """The audit in DuckDB, from plain data: written out as JSON lines, read in, queried."""
    import duckdb

    tables = _tables(org, plan, workdays)
    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as tmp:
        for name, rows in tables.items():
            path = Path(tmp) / f"{name}.jsonl"
            with path.open("w", encoding="utf-8") as out:
                for row in rows:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            columns = ", ".join(
                f"'{c.split()[0]}': '{c.split()[1]}'" for c in COLUMNS[name].split(", ")
            )
            con.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_json('{path}', "
                f"format = 'newline_delimited', columns = {{{columns}}})"
                if rows
                else f"CREATE TABLE {name} ({COLUMNS[name]})"
            )
        *setup, query = [s for s in SQL.split(";") if s.strip()]
        for statement in setup:
            con.execute(statement)
        found = {(r[0], r[1], int(r[2]), r[3], r[4]) for r in con.execute(query).fetchall()}
    con.close()
    return found


def govrules_findings(result: Any) -> set[Finding]:
    """check_leave's article-39 findings in the peer's shape."""
    out: set[Finding] = set()
    for f in result.findings:
        facts = f.facts
        if f.kind in ("report_missing", "report_late"):
            out.add((f.rule, f.kind, int(facts["absence"]), facts["person"], facts["recipient"]))
        elif f.kind == "absent_together":
            other = f"{facts['other']}#{facts['other_absence']}"
            out.add((f.rule, f.kind, int(facts["absence"]), facts["person"], other))
    return out


def row(size: int, policy: Any) -> dict[str, Any]:
    org = gen.organisation(size)
    plan = gen.year_plan(org)
    workdays = gen.workdays(policy, plan)  # the calendar is data for both: not timed
    started = time.perf_counter()
    theirs = duckdb_audit(org, plan, workdays)
    peer = time.perf_counter() - started
    base = {"people": size, "absences": len(plan["absences"]), "duckdb": peer}
    started = time.perf_counter()
    try:
        result = policy.check_leave(plan, org=org, timeout=600)
    except GovrulesError as refused:  # past an input bound: DuckDB's figure stands alone
        return base | {"refused": refused.message("en"), "findings": len(theirs)}
    ours = time.perf_counter() - started
    mine = govrules_findings(result)
    return base | {
        "govrules": ours,
        "ratio": ours / peer,
        "findings": len(mine),
        "same": mine == theirs,
        "only_govrules": len(mine - theirs),
        "only_duckdb": len(theirs - mine),
    }


def render(rows: list[dict[str, Any]]) -> str:
    when, load = sections.stamp()
    lines = [
        "## 8. DuckDB as a peer on the leave audit (`python -m bench.duckdb_peer`)",
        "",
        f"Measured {when}; load average at the end {load}. Article 39 (clashes, missing and "
        "late reports) for a year of the generated organisation: govrules `check_leave` end "
        "to end from plain data (it also builds the acting table of article 25), against the "
        "same audit in hand-written SQL in DuckDB, from the same plain data written as JSON "
        "lines and read in. Answers compared as sets of findings.",
        "",
        "| people | absences | govrules s | DuckDB s | govrules / DuckDB | findings "
        "| same answers |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        if "refused" in r:
            lines.append(
                f"| {r['people']:,} | {r['absences']:,} | refused: {r['refused']} "
                f"| {r['duckdb']:.2f} | - | {r['findings']:,} (DuckDB) | - |"
            )
            continue
        same = "yes" if r["same"] else f"**no** (+{r['only_govrules']} / -{r['only_duckdb']})"
        lines.append(
            f"| {r['people']:,} | {r['absences']:,} | {r['govrules']:.2f} | {r['duckdb']:.2f} "
            f"| {r['ratio']:.1f}x | {r['findings']:,} | {same} |"
        )
    return sections.section(NAME, lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000, 100000])
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    import govrules

    policy = govrules.load_policy()
    for size in (20, 600):  # warm both slices, as bench.audit does
        warm = gen.organisation(size, seed=7)
        policy.check_leave(gen.year_plan(warm, seed=8), org=warm, timeout=600)
    rows = []
    for size in args.sizes:
        rows.append(row(size, policy))
        print(json.dumps(rows[-1], sort_keys=True), flush=True)
    section = render(rows)
    sections.replace(Path(args.out), NAME, section)
    print(section)


if __name__ == "__main__":
    main()
