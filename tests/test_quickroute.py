"""A route answered from its kit (`quickroute`) is the full route's answer, byte for byte.

Differential: every document is routed by the full command line first (which keeps the
kit and the question's slice), then by the kit's path; where the kit's path answers,
standard output, standard error and the exit status must be the full route's. Documents
are generated from each bundled policy's own vocabulary and organisation, valid and not,
so that the kit's path must decline exactly where the models, the vocabulary or the
organisation would refuse, warn or read a value otherwise than it is written.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from govrules import quickroute
from govrules.cli.main import cli
from govrules.engine import Policy
from govrules.resources import bundled_policy_dir

ROOT = Path(__file__).resolve().parent.parent
XIHU = bundled_policy_dir()
SECOND = ROOT / "policy" / "party-gov-docs-2012"
Outcome = tuple[int | None, str, str]


@pytest.fixture(scope="module", autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache of this module's own: kits kept here are the ones these tests made."""
    where = tmp_path_factory.mktemp("quickroute") / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVRULES_CACHE", str(where))
        patch.setenv("GOVRULES_DEBUG", "1")  # a bug of the kit's path fails, not declines
        patch.delenv("GOVRULES_CALENDAR_DIR", raising=False)
        yield where


class _Captured:
    """Standard output and error as a terminal-less UTF-8 stream, as when redirected."""

    def __init__(self) -> None:
        self.out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
        self.err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")

    def text(self, stream: io.TextIOWrapper) -> str:
        stream.flush()
        buffer = stream.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getvalue().decode("utf-8")


def _full(argv: list[str]) -> Outcome:
    seen = _Captured()
    code: Any = 0
    with redirect_stdout(seen.out), redirect_stderr(seen.err):
        try:
            cli.main(args=argv, prog_name="govrules")
        except SystemExit as done:
            code = done.code
    return code, seen.text(seen.out), seen.text(seen.err)


def _quick(argv: list[str]) -> Outcome:
    seen = _Captured()
    with redirect_stdout(seen.out), redirect_stderr(seen.err):
        code = quickroute.answer(argv)
    return code, seen.text(seen.out), seen.text(seen.err)


def _both(argv: list[str]) -> tuple[Outcome, Outcome]:
    """The full route (which keeps what the kit's path needs), then the kit's."""
    full = _full(argv)
    return full, _quick(argv)


def _agree(argv: list[str]) -> bool:
    """The kit's path answered exactly as the full route, or declined (False)."""
    full, quick = _both(argv)
    if quick[0] is None:
        assert quick[1:] == ("", ""), "a decline writes nothing"
        return False
    assert quick == full, argv
    return True


# ---- every example ---------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "text"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_examples_of_both_policies_are_answered_from_their_kits(fmt: str, lang: str) -> None:
    answered = set()
    for folder in (XIHU, SECOND):
        for doc in sorted((folder / "examples").glob("doc-*.yaml")):
            for limit in ("0", "1", "100"):
                argv = ["route", str(doc), "--policy", str(folder), "--format", fmt]
                argv += ["--lang", lang, "--limit", limit]
                if _agree(argv):
                    answered.add(doc.name)
    # The compliant examples of both policies take the kit's path (the others have a
    # finding, whose words come from the compiled program, and are declined).
    assert {"doc-outgoing.yaml", "doc-notice.yaml"} <= answered


def test_the_bundled_policy_and_its_example_organisation_are_the_defaults() -> None:
    doc = str(XIHU / "examples" / "doc-outgoing.yaml")
    assert _agree(["route", doc])
    org = str(XIHU / "examples" / "org.yaml")
    assert _agree(["route", doc, "--org", org, "--format=json"])


# ---- generated documents ---------------------------------------------------------------
def _world(folder: Path) -> dict[str, Any]:
    policy = Policy.load(folder)
    org = yaml.safe_load((folder / "examples" / "org.yaml").read_text(encoding="utf-8"))
    units = org.get("units") or {}

    def spellings(kind: str, keep: Any = lambda w: True) -> list[str]:
        words = [w for w in policy.vocabulary.words(kind) if keep(w)]
        return [s for w in words for s in (w.ident, w.label_zh, w.label_en)]

    named = [w for w in policy.vocabulary.words("document") if "named" in w.traits]
    return {
        "people": [p["name"] for p in org["people"]],
        "units": [*units, *units.values()],
        "fields": sorted({f for p in org["people"] for f in p.get("fields", [])}),
        "named": [s for w in named for s in (w.ident, w.label_zh, w.label_en)],
        "unnamed": spellings("document", lambda w: "named" not in w.traits),
        "names": spellings("name"),
        "flags": spellings("flag", lambda w: "several_fields" not in w.traits),
        "all flags": spellings("flag"),
        "actions": spellings("action"),
    }


_WORLDS = {folder: _world(folder) for folder in (XIHU, SECOND)}
# Values the models refuse, trim, or the organisation or vocabulary does not know.
_ODD = ["无此人", " 前导空格", "末尾空格 ", "a\u3000", "tab\there", "", 7, None, True]
_MOMENTS = st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2026, 6, 30)).map(
    lambda d: d.strftime("%Y-%m-%dT%H:%M")
)
_ODD_MOMENTS = [
    "2021-10-08 09:30:00",
    "2021-10-08",
    "2021-10-08T09:00+08:00",
    "2021-10-08T01:00Z",
    "2021-13-01T09:00",
    "20211008",
    "2026-12-30T09:00",
    20211008,
]


@st.composite
def _documents(draw: st.DrawFn, folder: Path) -> dict[str, Any]:
    """A document of the policy's words and the organisation's people, units and fields;
    half of them then changed in one place to a value the models, vocabulary or
    organisation would refuse, trim or warn about (`_ODDITIES`)."""
    world = _WORLDS[folder]
    actors = world["people"] + world["units"]
    named = bool(world["named"]) and draw(st.booleans())
    document: dict[str, Any] = {
        "id": draw(st.sampled_from(["文〔2021〕1号", "X-1", "东政发〔2024〕7号"])),
        "kind": draw(st.sampled_from(world["named"] if named else world["unnamed"])),
    }
    if named:
        document["in_name_of"] = draw(st.sampled_from(world["names"]))
    if draw(st.integers(0, 3)):
        fields = st.sampled_from(world["fields"])
        document["fields"] = draw(st.lists(fields, min_size=1, max_size=3))
    if world["flags"] and draw(st.integers(0, 3)) == 0:
        document["flags"] = draw(st.lists(st.sampled_from(world["flags"]), max_size=2))
    if draw(st.booleans()):
        document["received"] = draw(_MOMENTS)
    if world["units"] and draw(st.booleans()):
        document["drafter"] = draw(st.sampled_from(world["units"]))
    trace = []
    for _ in range(draw(st.integers(0, 5))):
        entry: dict[str, Any] = {
            "actor": draw(st.sampled_from(actors)),
            "action": draw(st.sampled_from(world["actions"])),
            "at": draw(_MOMENTS),
        }
        if draw(st.booleans()):
            entry["opinion"] = draw(st.sampled_from(["同意", "已阅", "", "同意。\n请办", "ok"]))
        if draw(st.integers(0, 5)) == 0:
            entry["acting_for"] = draw(st.sampled_from(world["people"]))
        trace.append(entry)
    out: dict[str, Any] = {"document": document, "trace": trace}
    if draw(st.booleans()):
        where, key, values = draw(st.sampled_from(_ODDITIES))
        value = draw(st.sampled_from(values(world)))
        if where == "document":
            document[key] = value
        elif where == "drop":
            document.pop(key, None)
        else:
            if not trace:
                trace.append(
                    {"actor": actors[0], "action": world["actions"][0], "at": "2021-10-08"}
                )
            trace[draw(st.integers(0, len(trace) - 1))][key] = value
    if not trace and draw(st.booleans()):
        del out["trace"]
    return out


# One place to change, and what to put there: each is something the kit's path must
# decline (or read exactly as the models do).
_ODDITIES: list[tuple[str, str, Any]] = [
    ("document", "id", lambda w: _ODD),
    ("document", "kind", lambda w: [*_ODD, "no-such-kind"]),
    ("document", "in_name_of", lambda w: [*w["names"], *_ODD] or _ODD),
    ("drop", "in_name_of", lambda w: [None]),
    ("document", "fields", lambda w: ["教育", [" 教育"], [7], None, ["无此领域"]]),
    ("document", "flags", lambda w: [[f] for f in w["all flags"]] or [["x"]]),
    ("document", "received", lambda w: _ODD_MOMENTS),
    ("document", "drafter", lambda w: [*w["people"][:1], *_ODD]),
    ("document", "secret", lambda w: [True, "是"]),
    ("document", "values", lambda w: [[["a", "b"]]]),
    ("document", "consultations", lambda w: [[]]),
    ("entry", "actor", lambda w: _ODD),
    ("entry", "action", lambda w: [*_ODD, "no-such-action"]),
    ("entry", "at", lambda w: _ODD_MOMENTS),
    ("entry", "opinion", lambda w: [" 同意", "同意 ", "a\x1b", 7, "x" * 2001]),
    ("entry", "acting_for", lambda w: [*w["units"][:1], *_ODD]),
    ("entry", "extra", lambda w: ["x"]),
]


_SCRATCH = Path(tempfile.mkdtemp(prefix="govrules-quickroute-"))


@pytest.fixture(scope="module", autouse=True)
def _scratch() -> Iterator[None]:
    yield
    shutil.rmtree(_SCRATCH, ignore_errors=True)


@pytest.mark.parametrize("folder", [XIHU, SECOND], ids=["xihu", "second"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_generated_document_is_routed_by_its_kit_exactly_as_in_full(
    folder: Path, data: st.DataObject
) -> None:
    doc = data.draw(_documents(folder))
    fmt = data.draw(st.sampled_from(["json", "text"]))
    path = _SCRATCH / f"{os.getpid()}-{abs(hash(json.dumps(doc, sort_keys=True)))}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    argv = ["route", str(path), "--policy", str(folder), "--format", fmt]
    event("answered from the kit" if _agree(argv) else "declined")


# ---- what the kit's path declines ---------------------------------------------------------
def _outgoing(tmp_path: Path, change: Any = None) -> str:
    doc = yaml.safe_load((XIHU / "examples" / "doc-outgoing.yaml").read_text(encoding="utf-8"))
    if change is not None:
        change(doc)
    path = tmp_path / "doc.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "extra",
    [
        ["-i", "director_first=off"],
        ["--explain"],
        ["--timeout", "5"],
        ["--format", "json", "--format", "text"],
        ["--limit", "-1"],
        ["--limit", "100001"],
        ["--why-not", "a:b"],
        ["--svg", "x.svg"],
        ["--help"],
        ["extra-positional"],
    ],
)
def test_an_option_the_kit_does_not_know_is_left_to_the_full_route(
    tmp_path: Path, extra: list[str]
) -> None:
    doc = _outgoing(tmp_path)
    assert _agree(["route", doc])  # the kit is kept
    assert _quick(["route", doc, *extra]) == (None, "", "")


def _away(key: str, value: Any) -> Any:
    def change(doc: dict[str, Any]) -> None:
        doc["document"][key] = value

    return change


def _first_entry(key: str, value: Any) -> Any:
    def change(doc: dict[str, Any]) -> None:
        doc["trace"][0][key] = value

    return change


@pytest.mark.parametrize(
    "change",
    [
        _away("id", " 西府文〔2021〕12号"),  # the models trim it
        _away("kind", "no-such-kind"),
        _away("in_name_of", None),  # an outgoing document needs one
        _away("secret", True),  # a condition as a key
        _away("consultations", []),
        _away("received", "2021-10-08T25:00"),
        _away("fields", "教育"),  # not a list
        _first_entry("actor", "无此人"),
        _first_entry("action", "no-such-action"),
        _first_entry("acting_for", "秘书股"),  # a unit, not a person
        _first_entry("opinion", "同意 "),
        _first_entry("at", "2026-12-30T09:00"),  # near the calendar's end: a note is owed
    ],
)
def test_a_document_the_models_would_refuse_or_read_otherwise_is_declined(
    tmp_path: Path, change: Any
) -> None:
    assert _agree(["route", _outgoing(tmp_path)])
    doc = _outgoing(tmp_path, change)
    full, quick = _both(["route", doc])
    assert quick == (None, "", "")
    assert full[0] in (0, 1, 2)


def test_standard_input_and_json_documents_are_left_to_the_full_route(tmp_path: Path) -> None:
    doc = _outgoing(tmp_path)
    assert _agree(["route", doc])
    as_json = tmp_path / "doc.json"
    as_json.write_text(json.dumps(yaml.safe_load(Path(doc).read_text("utf-8"))), "utf-8")
    assert _both(["route", str(as_json)])[1] == (None, "", "")
    assert _quick(["route", "-"]) == (None, "", "")


def test_a_calendar_directory_in_the_environment_leaves_the_route_to_the_full_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _outgoing(tmp_path)
    assert _agree(["route", doc])
    (tmp_path / "calendars").mkdir()
    monkeypatch.setenv("GOVRULES_CALENDAR_DIR", str(tmp_path / "calendars"))
    assert _quick(["route", doc]) == (None, "", "")


# ---- what a kit depends on ---------------------------------------------------------------
def test_a_changed_policy_or_organisation_file_is_never_answered_from_the_old_kit(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "policy"
    shutil.copytree(XIHU, folder, ignore=shutil.ignore_patterns("tests"))
    doc = str(folder / "examples" / "doc-outgoing.yaml")
    argv = ["route", doc, "--policy", str(folder), "--format", "json", "--lang", "en"]
    assert _agree(argv)
    # A unit's English label changes in the vocabulary: the old kit would name it the old way.
    vocabulary = folder / "vocabulary.rules"
    text = vocabulary.read_text(encoding="utf-8")
    assert "“the secretariat”" in text
    vocabulary.write_text(text.replace("“the secretariat”", "“the general office”"), "utf-8")
    assert _quick(argv) == (None, "", "")
    full, quick = _both(argv)
    assert "the general office" in full[1] and quick == full
    # The organisation file changes by one byte: its kit is another.
    org = folder / "examples" / "org.yaml"
    org.write_text(org.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _quick(argv) == (None, "", "")
    assert _agree(argv)


def test_a_tampered_kit_is_not_used(own_cache: Path, tmp_path: Path) -> None:
    doc = _outgoing(tmp_path)
    assert _agree(["route", doc])
    kits = sorted(own_cache.glob("route-kit-*.json"))
    assert kits
    for kit in kits:
        data = kit.read_bytes()
        kit.write_bytes(data.replace("秘书股".encode(), "秘书科".encode()))
    assert _quick(["route", doc]) == (None, "", "")
    assert _agree(["route", doc])  # the full route keeps a good one again


# ---- the command itself ------------------------------------------------------------------
_PROBE = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
sys.argv = ["govrules", *sys.argv[1:]]
from govrules.cli.start import main
main()
"""


def test_the_command_answers_from_the_kit_without_the_models_or_the_program(
    own_cache: Path,
) -> None:
    doc = str(XIHU / "examples" / "doc-outgoing.yaml")
    env = {**os.environ, "GOVRULES_CACHE": str(own_cache)}
    off = {**env, "GOVRULES_ROUTE_KIT": "off"}

    def run(environ: dict[str, str]) -> tuple[int, str, set[str]]:
        done = subprocess.run(
            [sys.executable, "-c", _PROBE, "route", doc, "--format", "json"],
            capture_output=True,
            text=True,
            env=environ,
            check=False,
        )
        modules = set(json.loads(done.stderr.strip().splitlines()[-1]))
        return done.returncode, done.stdout, modules

    full = run(off)  # keeps the kit
    quick = run(env)
    assert quick[:2] == full[:2] and quick[0] == 0
    heavy = {"pydantic", "click", "govrules.lang.ir", "govrules.inputs.models", "govrules.routing"}
    assert not heavy & quick[2], sorted(heavy & quick[2])
    assert heavy <= full[2]


def test_a_policy_folder_with_a_link_gets_no_kit(tmp_path: Path) -> None:
    """A folder is hashed without following links: one with a link is never kept."""
    folder = tmp_path / "policy"
    shutil.copytree(XIHU, folder, ignore=shutil.ignore_patterns("tests"))
    (tmp_path / "notes.txt").write_text("outside the folder", encoding="utf-8")
    (folder / "notes.txt").symlink_to(tmp_path / "notes.txt")
    doc = str(folder / "examples" / "doc-outgoing.yaml")
    argv = ["route", doc, "--policy", str(folder)]
    assert _full(argv)[0] == 0
    assert _quick(argv) == (None, "", "")


def test_an_organisation_that_is_a_device_is_never_read_whole(tmp_path: Path) -> None:
    doc = _outgoing(tmp_path)
    assert _agree(["route", doc])
    assert _quick(["route", doc, "--org", "/dev/zero"]) == (None, "", "")


# ---- found by an independent review: each once answered otherwise than the full route ----
def test_a_copy_of_a_policy_elsewhere_never_takes_the_first_folders_example_organisation(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "p1", tmp_path / "p2"
    for folder in (first, second):
        shutil.copytree(XIHU, folder, ignore=shutil.ignore_patterns("tests"))
    org = second / "examples" / "org.yaml"
    org.write_text(org.read_text("utf-8").replace("秘书股", "文书股"), "utf-8")
    doc = str(XIHU / "examples" / "doc-outgoing.yaml")
    assert _agree(["route", doc, "--policy", str(first)])
    assert _quick(["route", doc, "--policy", str(second)]) == (None, "", "")
    # Its own example has no 秘书股, the document's first actor: the full route refuses it.
    full, quick = _both(["route", doc, "--policy", str(second)])
    assert full[0] == 2 and "秘书股" in full[2] and quick == (None, "", "")


def test_paths_the_full_route_refuses_are_left_to_it(tmp_path: Path) -> None:
    folder = tmp_path / "P\nX"
    shutil.copytree(XIHU, folder, ignore=shutil.ignore_patterns("tests"))
    doc = str(XIHU / "examples" / "doc-outgoing.yaml")
    org = str(XIHU / "examples" / "org.yaml")
    argv = ["route", doc, "--policy", str(folder), "--org", org]
    assert _full(argv)[0] == 2
    assert _quick(argv) == (None, "", "")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("opinion: 同意}", 'opinion: "同\\ud800意"}'),
        ("id: 西府文〔2021〕12号", 'id: "西府\\ud800文"'),
    ],
)
def test_text_that_is_not_valid_unicode_is_declined(tmp_path: Path, old: str, new: str) -> None:
    text = (XIHU / "examples" / "doc-outgoing.yaml").read_text(encoding="utf-8")
    assert old in text
    doc = tmp_path / "doc.yaml"
    doc.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert _agree(["route", str(XIHU / "examples" / "doc-outgoing.yaml")])
    full, quick = _both(["route", str(doc)])
    assert full[0] == 2 and quick == (None, "", "")


def test_a_document_from_a_pipe_is_not_read_before_the_full_route_reads_it(
    tmp_path: Path,
) -> None:
    doc = str(XIHU / "examples" / "doc-outgoing.yaml")
    assert _agree(["route", doc])
    fifo = tmp_path / "doc.yaml"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(Path(doc).read_bytes()), daemon=True)
    writer.start()
    assert _quick(["route", str(fifo)]) == (None, "", "")
    full = _full(["route", str(fifo)])
    writer.join(timeout=10)
    assert full[0] == 0 and full[1] == _full(["route", doc])[1]


@pytest.mark.parametrize(
    ("shell", "extra"),
    [
        ("{cmd} --format json >/dev/full", {}),
        ("{cmd} >/dev/full", {}),
        ("{cmd} --format json | true", {}),
        ("{cmd} >&-", {}),
        ("{cmd} --format json", {"PYTHONIOENCODING": "ascii"}),
        ("{cmd}", {"PYTHONIOENCODING": "ascii"}),
    ],
)
def test_standard_output_that_fails_or_is_not_utf8_ends_as_the_full_route_does(
    own_cache: Path, shell: str, extra: dict[str, str]
) -> None:
    doc = XIHU / "examples" / "doc-outgoing.yaml"
    cmd = f"{sys.executable} -m govrules route {doc}"
    env = {**os.environ, "GOVRULES_CACHE": str(own_cache), **extra}
    env.pop("GOVRULES_DEBUG", None)

    def run(kit: str) -> tuple[int, bytes, bytes]:
        done = subprocess.run(
            ["bash", "-c", shell.format(cmd=cmd) + "; exit ${PIPESTATUS[0]}"],
            capture_output=True,
            env={**env, "GOVRULES_ROUTE_KIT": kit},
            check=False,
        )
        return done.returncode, done.stdout, done.stderr

    full = run("off")  # keeps the kit
    assert run("on") == full


def test_a_rule_file_in_any_folder_under_rules_names_the_kit(tmp_path: Path) -> None:
    """The compiler reads every rule file under rules/, one in a folder called __pycache__
    too: editing it must never leave the old kit (and its program) in use."""
    folder = tmp_path / "policy"
    shutil.copytree(XIHU, folder, ignore=shutil.ignore_patterns("tests"))
    hidden = folder / "rules" / "__pycache__"
    hidden.mkdir()
    rules = hidden / "a29-documents.rules"
    (folder / "rules" / "a29-documents.rules").rename(rules)
    doc = str(folder / "examples" / "doc-outgoing.yaml")
    argv = ["route", doc, "--policy", str(folder), "--format", "json"]
    before = _full(argv)
    assert _agree(argv)
    text = rules.read_text(encoding="utf-8")
    assert "分管副主任 审核" in text
    rules.write_text(text.replace("分管副主任 审核", "主任 审核"), encoding="utf-8")
    assert _quick(argv) == (None, "", "")
    after = _full(argv)
    assert after != before and _agree(argv)
