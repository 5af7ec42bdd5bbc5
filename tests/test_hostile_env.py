"""A hostile environment (issue 15, items 2-4): a cache directory someone else can write, a
policy folder with links out of it or misspelt keys, file names with line breaks. Each ends
in a correct answer or one clear message (exit 2): nothing planted runs, nothing outside
the policy is read or shown."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from govrules.cli.main import cli
from govrules.compiler import compile_policy, compile_sources
from govrules.engine import Policy
from govrules.errors import InputError, PolicyError
from govrules.resources import bundled_policy_dir

BUNDLED = bundled_policy_dir()
DOC = str(BUNDLED / "examples" / "doc-outgoing.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _policy_copy(tmp_path: Path, name: str = "policy") -> Path:
    target = tmp_path / name
    shutil.copytree(BUNDLED, target, ignore=shutil.ignore_patterns("examples", "tests"))
    return target


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache" / "govrules"
    monkeypatch.setenv("GOVRULES_CACHE", str(where))
    return where


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json")) if cache.is_dir() else []


def _compiled(cache: Path) -> list[Path]:
    """The entries of compiled programs (not the parsed policy text, `toml-…`)."""
    return [e for e in _entries(cache) if not e.name.startswith("toml-")]


# ---- the compiled-policy cache -------------------------------------------------------------


def test_the_cache_is_created_private_and_holds_json_not_pickle(cache: Path) -> None:
    first = compile_policy(BUNDLED)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE((cache / "key").stat().st_mode) == 0o600
    [entry] = _compiled(cache)
    assert not stat.S_IMODE(entry.stat().st_mode) & 0o077
    tag, _, body = entry.read_bytes().partition(b"\n")
    assert len(tag) == 64 and json.loads(body)["format"].startswith("govrules-cache")
    assert compile_policy(BUNDLED) == first  # served from the cache, equal to a compile


class _Planted:
    """Unpickling this writes a marker file: proof that a cache entry ran code."""

    marker = ""

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.write_text, (Path(self.marker), "ran"))


def test_a_planted_pickle_never_runs(cache: Path, tmp_path: Path) -> None:
    compile_policy(BUNDLED)
    [entry] = _compiled(cache)
    planted = _Planted()
    planted.marker = str(tmp_path / "ran")
    payload = pickle.dumps(planted)
    entry.with_suffix(".pickle").write_bytes(payload)  # the old cache's file name
    entry.write_bytes(payload)
    policy = Policy.load(BUNDLED)
    assert not (tmp_path / "ran").exists()
    assert policy.check(DOC).compliant


def test_a_tampered_entry_is_ignored_and_rebuilt(cache: Path) -> None:
    honest = compile_policy(BUNDLED)
    [entry] = _compiled(cache)
    tag, _, body = entry.read_bytes().partition(b"\n")
    evil = body.replace(b"#show", b"#script (python) import os #end. #show", 1)
    assert evil != body
    entry.write_bytes(tag + b"\n" + evil)  # the tag no longer matches
    again = compile_policy(BUNDLED)
    assert again == honest and "#script" not in again.solver_program
    assert b"#script" not in entry.read_bytes()  # rewritten with the honest program


@pytest.mark.parametrize(
    "garbage",
    [b"", b"\x00\xff" * 100, b"x\n{", b"0" * 64 + b"\n[]"],
    ids=["empty", "binary", "broken", "wrong-tag"],
)
def test_a_corrupt_entry_is_rebuilt_silently(cache: Path, garbage: bytes) -> None:
    honest = compile_policy(BUNDLED)
    [entry] = _compiled(cache)
    entry.write_bytes(garbage)
    assert compile_policy(BUNDLED) == honest
    code, out, err = run("route", DOC, "--format", "json")
    assert code == 0 and "Traceback" not in err and json.loads(out)["order_count"] > 0


def test_the_cache_keeps_at_most_its_bound_the_latest_written(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each version names its entries afresh: past `MAX_ENTRIES`, a write removes those
    written longest ago, never the key, and what is kept reads back."""
    from govrules import cache as cache_module
    from govrules.cache import read_entry, write_entry

    monkeypatch.setattr(cache_module, "MAX_ENTRIES", 10)
    for i in range(25):
        write_entry(f"entry-{i:02d}", (i,))
        os.utime(cache / f"entry-{i:02d}.json", ns=(10**18 + i, 10**18 + i))
        assert len(_entries(cache)) <= 10
    kept = [e.stem for e in _entries(cache)]
    assert kept == [f"entry-{i:02d}" for i in range(25 - len(kept), 25)]  # the latest
    assert len(kept) >= 8
    assert (cache / "key").exists()
    assert all(read_entry(k, ()) == (int(k[-2:]),) for k in kept)
    assert read_entry("entry-00", ()) is None


def test_pruning_the_cache_removes_entries_only(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`GOVRULES_CACHE` may name a folder holding a user's own JSON: past the bound, only
    files that are entries are counted and removed, never a user's file, nor a link or
    what it points to."""
    from govrules import cache as cache_module
    from govrules.cache import write_entry

    monkeypatch.setattr(cache_module, "MAX_ENTRIES", 10)
    write_entry("first", (0,))  # the folder and its key
    mine = [cache / f"doc-{i:02d}.json" for i in range(30)]
    for i, path in enumerate(mine):
        path.write_text(json.dumps({"mine": i}), encoding="utf-8")
        os.utime(path, ns=(i, i))  # older than any entry
    outside = tmp_path / "outside.json"
    outside.write_text("0" * 64 + "\n{}", encoding="utf-8")
    (cache / "link.json").symlink_to(outside)
    (cache / "loop.json").symlink_to(cache / "loop.json")
    for i in range(25):
        write_entry(f"entry-{i:02d}", (i,))
    assert [json.loads(p.read_text(encoding="utf-8")) for p in mine] == [
        {"mine": i} for i in range(30)
    ]
    assert outside.exists() and (cache / "link.json").is_symlink()
    entries = [e for e in _entries(cache) if e.name.startswith(("entry-", "first"))]
    assert 8 <= len(entries) <= 10  # pruned despite the foreign files and the loop


def test_a_cache_others_can_write_is_not_used(cache: Path) -> None:
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    compiled = compile_policy(BUNDLED)
    assert _entries(cache) == [] and not (cache / "key").exists()
    assert compile_policy(BUNDLED) == compiled


def test_a_key_others_can_read_disables_the_cache(cache: Path) -> None:
    compile_policy(BUNDLED)
    (cache / "key").chmod(0o644)
    for entry in _entries(cache):
        entry.unlink()
    compile_policy(BUNDLED)
    assert _entries(cache) == []  # nothing written with a key others may know


def test_a_cache_owned_by_someone_else_is_not_used(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    honest = compile_policy(BUNDLED)
    [entry] = _compiled(cache)
    entry.write_bytes(b"")  # would be rewritten, were the directory ours
    uid = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: uid + 1)
    assert compile_policy(BUNDLED) == honest
    assert entry.read_bytes() == b""


# ---- the policy folder ---------------------------------------------------------------------


def test_a_rule_file_linked_out_of_the_policy_is_refused_unread(tmp_path: Path) -> None:
    folder = _policy_copy(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("第1条 机密内容 SECRET-TOKEN。", encoding="utf-8")
    (folder / "rules" / "zz-link.rules").symlink_to(secret)
    with pytest.raises(PolicyError) as caught:
        Policy.load(folder, use_cache=False)
    assert caught.value.code == "symlink"
    code, out, err = run("route", DOC, "--policy", str(folder), "--lang", "en")
    assert code == 2 and out == ""
    assert "symbolic link" in err and "SECRET" not in err and "机密" not in err


@pytest.mark.parametrize("what", ["folder", "vocabulary", "policy.toml"])
def test_linked_folders_and_policy_files_are_refused(tmp_path: Path, what: str) -> None:
    folder = _policy_copy(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    if what == "folder":
        (outside / "x.rules").write_text("", encoding="utf-8")
        (folder / "rules" / "linked").symlink_to(outside, target_is_directory=True)
    else:
        name = "vocabulary.rules" if what == "vocabulary" else "policy.toml"
        shutil.move(folder / name, outside / name)
        (folder / name).symlink_to(outside / name)
    with pytest.raises(PolicyError) as caught:
        Policy.load(folder, use_cache=False)
    assert caught.value.code == "symlink"


@pytest.mark.parametrize(
    ("addition", "shown"),
    [('\nlicence = "x"\n', "licence"), ('\n[title]\nfr = "x"\n', "title.fr")],
)
def test_unknown_keys_in_policy_toml_are_refused(tmp_path: Path, addition: str, shown: str) -> None:
    folder = _policy_copy(tmp_path)
    toml = folder / "policy.toml"
    text = toml.read_text(encoding="utf-8")
    if addition.startswith("\n[title]"):
        text = text.replace("[title]\n", '[title]\nfr = "x"\n', 1)
    else:
        text = addition + text
    toml.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        Policy.load(folder, use_cache=False)
    message = caught.value.render("en")
    assert shown in message and "allowed keys" in message
    assert caught.value.location.file == str(toml)


# ---- file names ----------------------------------------------------------------------------


def test_a_path_never_reaches_the_program_text() -> None:
    """Provenance comments show the path escaped, and the solver's program is built without
    them: a newline in a rule file's name cannot end the comment."""
    text = (BUNDLED / "rules" / "a29-documents.rules").read_text(encoding="utf-8")
    vocabulary = (BUNDLED / "vocabulary.rules").read_text(encoding="utf-8")
    name = 'rules/x\n#include "/etc/passwd".\n#script (python) import os #end.\n.rules'
    review = (BUNDLED / "rules" / "a26-a28-review.rules").read_text(encoding="utf-8")
    # (article 29 uses the interpretations article 27 declares)
    compiled = compile_sources({"vocabulary.rules": vocabulary, "a26.rules": review, name: text})
    program = compiled.solver_program
    assert "#include" not in program and "#script" not in program and "passwd" not in program
    for line in compiled.emitted.text.splitlines():
        assert not line or line.startswith("%") or "#include" not in line
    assert "x\\n#include" in compiled.emitted.text  # shown, escaped, inside the comment


@pytest.mark.parametrize(
    ("bad", "char"),
    [("new\nline", "\n"), ("esc\x1b[2J", "\x1b"), ("csi\x9b", "\x9b"), ("sep\u2028", "\u2028")],
    ids=["newline", "escape", "csi", "separator"],
)
def test_control_characters_in_rule_file_names_are_refused(
    tmp_path: Path, bad: str, char: str
) -> None:
    folder = _policy_copy(tmp_path)
    (folder / "rules" / "a29-documents.rules").rename(folder / "rules" / f"{bad}.rules")
    with pytest.raises(InputError) as caught:
        Policy.load(folder, use_cache=False)
    assert caught.value.code == "bad_path"
    code, out, err = run("route", DOC, "--policy", str(folder), "--lang", "en")
    assert code == 2 and out == "" and "control character" in err
    assert char not in err.rstrip("\n")  # printed escaped, on one line
    assert len(err.strip().splitlines()) == 1


def test_control_characters_in_the_policy_folder_name_are_refused(tmp_path: Path) -> None:
    folder = _policy_copy(tmp_path, "pol\nicy")
    with pytest.raises(InputError) as caught:
        Policy.load(folder, use_cache=False)
    assert caught.value.code == "bad_path" and "pol\\nicy" in caught.value.render("en")
