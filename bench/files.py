"""The auditor's path (issue 16): a year's plan and its organisation as files, checked by
`govrules leave PLAN --org ORG` as a whole process. `python -m bench.files [--sizes N …]
[--out bench/RESULTS.md]` writes its section of RESULTS.md (and prints it).

The same plan and organisation (bench.gen) are written as block-and-flow YAML, as a person
or an export writes them, and as JSON; each file is run in its own process, the formats
interleaved, and the answers compared byte for byte. YAML is read by libyaml
(`inputs/libyaml_reader`); before it, ruamel read every file at about 0.1 ms a value.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from bench import gen, sections

NAME = "bench.files"
ROOT = Path(__file__).resolve().parent.parent


def _write(folder: Path, people: int) -> dict[str, tuple[Path, Path]]:
    org = gen.organisation(people)
    plan = gen.year_plan(org)
    files: dict[str, tuple[Path, Path]] = {}
    for fmt in ("yaml", "json"):
        paths = (folder / f"plan-{people}.{fmt}", folder / f"org-{people}.{fmt}")
        for path, data in zip(paths, (plan, org), strict=True):
            if fmt == "yaml":
                text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            else:
                text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            path.write_text(text, encoding="utf-8")
        files[fmt] = paths
    return files


def _run(plan: Path, org: Path) -> dict[str, Any]:
    """One `govrules leave` as a process: wall seconds, exit status, its own peak RSS (from
    wait4, not the children's running maximum) and its answer."""
    command = [sys.executable, "-m", "govrules", "leave", str(plan), "--org", str(org)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            [*command, "--format", "json", "--timeout", "600"], stdout=out, stderr=err
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "seconds": seconds,
            "code": child.returncode,
            "rss_mib": usage.ru_maxrss / 1024,
            "out": out.read(),
            "error": err.read().decode("utf-8", "replace").strip().splitlines()[-1:],
        }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args(argv)
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for people in args.sizes:
            files = _write(Path(tmp), people)
            best: dict[str, dict[str, Any]] = {}
            for _ in range(args.runs):
                for fmt, (plan, org) in files.items():
                    got = _run(plan, org)
                    if fmt not in best or got["seconds"] < best[fmt]["seconds"]:
                        best[fmt] = got
            y, j = best["yaml"], best["json"]
            size = sum(p.stat().st_size for p in files["yaml"]) / 2**20
            absences = len(json.loads(files["json"][0].read_text(encoding="utf-8"))["absences"])
            codes = [
                str(got["code"]) if got["code"] in (0, 1) else f"{got['code']}: {got['error']}"
                for got in (y, j)
            ]
            rows.append(
                f"| {people} | {absences} | {size:.1f} | {y['seconds']:.2f} | {codes[0]} | "
                f"{y['rss_mib']:.0f} | {j['seconds']:.2f} | {codes[1]} | "
                f"{y['out'] == j['out'] and y['code'] == j['code']} |"
            )
            for fmt, got in best.items():
                if got["code"] not in (0, 1):
                    print(f"{people} {fmt}: exit {got['code']}: {got['error']}", file=sys.stderr)
    when, load = sections.stamp()
    lines = [
        "## 10. The auditor's path: a year's plan as files (`python -m bench.files`)",
        "",
        f"Measured {when}; {os.cpu_count()} cores; load average at the end {load}. "
        "`govrules leave PLAN --org ORG --format json` as a whole process, compiled-policy "
        f"cache warm, best of {args.runs} runs, YAML and JSON interleaved. Exit 1 is the "
        "expected answer: the generated year has findings. *Same answer*: the YAML run's "
        "output is byte-identical to the JSON run's.",
        "",
        "| people | absences | YAML MiB | YAML s | exit | peak RSS MiB (YAML) | JSON s | exit | "
        "same answer |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        *rows,
    ]
    section = sections.section(NAME, lines)
    sections.replace(Path(args.out), NAME, section)
    print(section)


if __name__ == "__main__":
    main()
