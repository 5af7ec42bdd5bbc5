"""The SVG pictures: what they show, byte-identical across runs, and `--svg FILE`."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from govrules.cli.main import cli
from govrules.engine import Policy
from govrules.pictures import leave_svg, route_svg
from govrules.resources import bundled_policy_dir

EX = bundled_policy_dir() / "examples"
SVG = "{http://www.w3.org/2000/svg}"


def _boxes(svg: str) -> dict[str, tuple[float, float]]:
    root = ET.fromstring(svg)
    return {
        g.attrib["data-step"]: (float(g[0].attrib["x"]), float(g[0].attrib["y"]))
        for g in root.iter(f"{SVG}g")
        if "data-step" in g.attrib
    }


def test_route_picture_puts_every_step_right_of_its_predecessors(policy: Policy) -> None:
    for name in ("doc-outgoing.yaml", "doc-incoming.yaml", "doc-office.yaml"):
        route = policy.route(EX / name).to_dict()
        svg = route_svg(route)
        boxes = _boxes(svg)
        assert set(boxes) == {s["id"] for s in route["steps"]}
        for edge in route["precedence"]:
            assert boxes[edge["before"]][0] < boxes[edge["after"]][0], edge
        assert svg == route_svg(policy.route(EX / name).to_dict())


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 7), st.data())
def test_layout_of_any_acyclic_precedence(size: int, data: st.DataObject) -> None:
    ids = [f"a{i}:p{i}" for i in range(size)]
    pairs = data.draw(
        st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=12)
    )
    edges = sorted({(ids[min(a, b)], ids[max(a, b)]) for a, b in pairs if a != b})
    route: dict[str, Any] = {
        "document": "<x&y>",
        "steps": [{"id": i, "actor": i, "action": i, "article": 1} for i in ids],
        "precedence": [{"before": a, "after": b} for a, b in edges],
    }
    svg = route_svg(route, "en")
    boxes = _boxes(svg)  # parses: the title's < and & are escaped
    assert len(set(boxes.values())) == size  # no two boxes on one place
    for a, b in edges:
        assert boxes[a][0] < boxes[b][0]


def test_leave_month_marks_clashes_acting_and_moves(policy: Policy) -> None:
    leave = policy.check_leave(EX / "plan.yaml").to_dict()
    changes = policy.suggest_leave(EX / "plan.yaml").to_dict()["changes"]
    absences = [
        {"who": "钱副主任", "from": "2021-03-01", "to": "2021-03-05"},
        {"who": "王副区长", "from": "2021-03-03", "to": "2021-03-04"},
    ]
    root = ET.fromstring(leave_svg(leave, absences, "2021-03", changes))
    days = {g.attrib["data-date"]: g for g in root.iter(f"{SVG}g") if "data-date" in g.attrib}
    clash = {d for d, g in days.items() if "clash" in g.attrib["class"]}
    assert clash == {"2021-03-03", "2021-03-04"}
    texts = {d: [t.text for t in g.iter(f"{SVG}text")] for d, g in days.items()}
    assert "孙副主任→钱副主任" in texts["2021-03-01"]
    assert "+钱副主任" in texts["2021-03-08"] and "+钱副主任" in texts["2021-03-12"]
    assert "+钱副主任" not in texts["2021-03-15"]
    assert len([d for d in days if d.startswith("2021-03")]) == 31


def test_svg_from_the_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "route.svg"
    result = runner.invoke(cli, ["route", str(EX / "doc-outgoing.yaml"), "--svg", str(out)])
    assert result.exit_code == 0
    first = out.read_bytes()
    runner.invoke(cli, ["route", str(EX / "doc-outgoing.yaml"), "--svg", str(out)])
    assert out.read_bytes() == first and len(_boxes(first.decode())) == 5
    month = tmp_path / "leave.svg"
    args = ["leave", str(EX / "plan.yaml"), "--suggest", "--svg", str(month)]
    assert runner.invoke(cli, [*args, "--month", "2021-03"]).exit_code == 0
    assert "+钱副主任" in month.read_text(encoding="utf-8")
    bad = runner.invoke(
        cli,
        [
            "leave",
            str(EX / "plan.yaml"),
            "--svg",
            str(tmp_path / "x.svg"),
            "--month",
            "2021-13",
            "--lang",
            "en",
        ],
    )
    assert bad.exit_code == 2 and "--month must be YYYY-MM" in bad.stderr
    assert not (tmp_path / "x.svg").exists()
