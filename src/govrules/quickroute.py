"""A one-shot `govrules route` answered from its kit: no models, no compiled program.

A command-line route spends most of its start importing what it needs to read any input
and answer any question: pydantic and the input models, the compiled program's classes,
the command-line framework. Yet everything a route needs beyond the document itself is
fixed for a policy and an organisation: the organisation's facts, the program's slices,
the vocabulary's words and labels, the interpretations, the calendar's coverage. A full
`govrules route` keeps them in the compiled-policy cache as a *kit* (`route_kit`), named
by everything they depend on; the next `govrules route` with a kit reads the document,
checks it as the models would, and answers with the very functions a full route uses
(`asp.facts`, `asp.solve`, `document_answer`, `cli.render`).

It answers only what it is sure of, and otherwise says nothing, so that the full route
answers (`answer` returns None). It declines:

* any option but --format, --lang, --policy, --org and --limit, given once each;
* a document from standard input or a .json file, one the models would read with a
  change (a name with surrounding spaces), any key beyond the plain ones (conditions as
  keys, `values`, `consultations`), any value the models or the vocabulary would refuse,
  an actor not of the organisation;
* a policy, organisation, code or calendar that no kit was kept for
  (GOVRULES_CALENDAR_DIR set, say), a question shape no slice was kept for;
* an answer with a calendar note or too many steps to list, and any error.

A route with a finding reads the compiled program from the cache for the finding's words
(most routes have none, and skip it).

`tests/test_quickroute.py` holds the two routes byte-equal (standard output, standard
error, exit status) on generated documents, and checks every decline.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "KIT_FORMAT",
    "DefaultOrg",
    "RouteKit",
    "answer",
    "default_org_name",
    "kit_name",
    "policy_digest",
    "read_bounded",
]

KIT_FORMAT = "govrules-route-kit-3"
# A policy folder hashed for a kit's name: the files of its rules, vocabulary, text,
# articles and calendars, not its test cases, examples or readings (the example
# organisation is hashed as the organisation). Bounded: a bigger folder gets no kit.
# A `__pycache__` folder is hashed too: the compiler reads every rule file under rules/,
# one in a folder of that name included.
_SKIPPED = frozenset({"tests", "examples", "readings"})
_MAX_POLICY_FILES = 2_000
_MAX_POLICY_BYTES = 16_000_000
# Options a kit's route takes, each with a value; anything else is the full route's.
_OPTIONS = frozenset({"--format", "--lang", "--policy", "--org", "--limit"})
_LIMIT = re.compile(r"[0-9]{1,6}")
_COPIED = ("pydantic", "pydantic_core", "click", "yaml")
_DOCUMENT_KEYS = frozenset({"id", "kind", "in_name_of", "fields", "flags", "received", "drafter"})
_EVENT_KEYS = frozenset({"actor", "action", "at", "opinion", "acting_for"})


@dataclass(frozen=True)
class RouteKit:
    """What a route needs beyond its document, for one policy, organisation and code.

    Plain data, kept in the compiled-policy cache (JSON with an HMAC, never code)."""

    analysis: str  # the solver program's analysis entry: what its slices are named by
    compiled: str  # the compiled program's entry: read only for the words of a finding
    exact: tuple[tuple[str, int], ...]  # the program's exact input predicates
    common: tuple[tuple[str, tuple[str | int, ...]], ...]  # the organisation's facts
    present: tuple[tuple[str, int], ...]  # their predicates
    settings: tuple[tuple[str, bool], ...]  # every interpretation, as defaults set it
    in_force_from: str
    read_marks: tuple[str, ...]
    articles: tuple[tuple[str, int], ...]  # rule -> article
    # Every word of the vocabulary in declaration order: (kind, ident, zh, en, traits).
    words: tuple[tuple[str, str, str, str, tuple[str, ...]], ...]
    people: tuple[str, ...]
    units: tuple[tuple[str, str], ...]  # unit id -> display name
    covered: tuple[tuple[int, str], ...]  # calendar year -> last covered day
    max_trace: int
    max_order_limit: int


class _Decline(Exception):
    """The full route answers this one."""


# ---- names: what a kit depends on ------------------------------------------------------
class _Unhashable(Exception):
    """A link or special file, or too much to hash at every start: no kit."""


def _files(root: Path, skipped: frozenset[str], code: bool) -> Iterator[tuple[Path, int]]:
    """Every regular file under `root` with its size, in a fixed order, but for the folders
    `skipped` at its top (and Python's bytecode folders in `code`); `_Unhashable` at a
    symbolic link or a special file (never followed, never read)."""
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.is_symlink():
            raise _Unhashable
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in skipped and not (code and entry.name == "__pycache__"):
                yield from _files(Path(entry.path), frozenset(), code)
        elif entry.is_file(follow_symlinks=False):
            yield Path(entry.path), entry.stat(follow_symlinks=False).st_size
        else:
            raise _Unhashable


def _hash_files(digest: Any, root: Path, skipped: frozenset[str], code: bool = True) -> bool:
    """Hash the files under `root` (their names and bytes) into `digest`; False when they
    are too many or too big, or one is a link or special file."""
    count = size = 0
    try:
        for path, length in _files(root, skipped, code):
            count, size = count + 1, size + length
            if count > _MAX_POLICY_FILES or size > _MAX_POLICY_BYTES:
                return False
            data = path.read_bytes()
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(len(data).to_bytes(8, "big") + data)
    except (_Unhashable, OSError):
        return False
    return True


def _code_digest() -> bytes | None:
    """govrules' own files (code, kernel, grammar) and the versions of what answers with
    it: a changed line of any of them, a new clingo or calendar library, names another
    kit. None when they are too many to hash at every start."""
    import importlib.util

    import clingo

    from govrules.resources import data_root

    digest = hashlib.sha256(f"{KIT_FORMAT}\0{sys.version}\0{clingo.__version__}\0".encode())
    package = Path(__file__).resolve().parent
    trees = [(package, frozenset({"_data"})), (data_root() / "grammar", frozenset())]
    spec = importlib.util.find_spec("chinese_calendar")
    if spec is not None and spec.origin is not None:
        trees.append((Path(spec.origin).parent, frozenset()))
    for index, (root, skipped) in enumerate(trees):
        digest.update(f"\0tree {index}\0".encode())
        if not root.is_dir() or not _hash_files(digest, root, skipped):
            return None
    # The libraries whose reading the kit's route copies (pydantic's trimming and
    # patterns, click's options, PyYAML): an upgrade, which rewrites their files, names
    # another kit. Their files' names, sizes and times, not their bytes (too many).
    for name in _COPIED:
        found = importlib.util.find_spec(name)
        if found is None or found.origin is None:
            return None
        for entry in sorted(os.scandir(Path(found.origin).parent), key=lambda e: e.name):
            info = entry.stat(follow_symlinks=False)
            digest.update(f"{name}/{entry.name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.digest()


def policy_digest(directory: Path) -> str | None:
    """The code, a policy folder's place and its own files (not its tests or examples), or
    None when the folder is too big to hash at every start."""
    code = _code_digest()
    if code is None:
        return None
    # The folder's own place too: a kit (and the example organisation it names) serves the
    # folder it was made from, never a copy elsewhere with other examples.
    digest = hashlib.sha256(code + str(directory.resolve()).encode("utf-8", "surrogateescape"))
    if not _hash_files(digest, directory, _SKIPPED, code=False):
        return None
    return digest.hexdigest()


def read_bounded(path: str) -> bytes | None:
    """A regular file's bytes as the full route reads them (at most MAX_BYTES), or None."""
    from govrules.inputs.source import MAX_BYTES

    with open(path, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None  # a device or pipe: the full route says what it makes of it
        data = handle.read(MAX_BYTES + 1)
    return data if len(data) <= MAX_BYTES else None


def kit_name(policy: str, org: bytes) -> str:
    """The kit of a policy (its `policy_digest`) and an organisation file's bytes."""
    digest = hashlib.sha256(f"{policy}\0".encode())
    digest.update(org)
    return "route-kit-" + digest.hexdigest()[:40]


def default_org_name(policy: str) -> str:
    """The entry naming the example organisation of a policy (its `policy_digest`)."""
    return "route-kit-org-" + hashlib.sha256(policy.encode()).hexdigest()[:40]


@dataclass(frozen=True)
class DefaultOrg:
    """The example organisation file a policy declares, as the full route resolved it."""

    path: str


# ---- the command line ---------------------------------------------------------------------
class _Record:
    """A plain record: made at every start, so no dataclass (whose making runs code)."""

    __slots__: tuple[str, ...] = ()

    def __init__(self, **values: Any) -> None:
        if set(values) != set(self.__slots__):
            raise TypeError(f"{type(self).__name__} takes {sorted(self.__slots__)}")
        for name, value in values.items():
            setattr(self, name, value)


class _Asked(_Record):
    __slots__ = ("document", "fmt", "lang", "limit", "org", "policy")
    document: str
    fmt: str
    lang: str
    policy: str | None
    org: str | None
    limit: int


def _parse(argv: Sequence[str]) -> _Asked:
    """`route DOC` with the options a kit's route takes, each given once, else decline."""
    if not argv or argv[0] != "route":
        raise _Decline
    given: dict[str, str] = {}
    positional: list[str] = []
    rest = list(argv[1:])
    while rest:
        arg = rest.pop(0)
        name, eq, value = arg.partition("=")
        if name in _OPTIONS:
            if not eq:
                if not rest:
                    raise _Decline
                value = rest.pop(0)
            if name in given or not value or value.startswith("-"):
                raise _Decline
            given[name] = value
        elif arg.startswith("-"):
            raise _Decline  # another option, `-` (standard input) or `--`
        else:
            positional.append(arg)
    if len(positional) != 1:
        raise _Decline
    fmt, lang = given.get("--format", "text"), given.get("--lang", "zh")
    limit = given.get("--limit", "100")
    if fmt not in ("text", "json") or lang not in ("zh", "en") or not _LIMIT.fullmatch(limit):
        raise _Decline
    return _Asked(
        document=positional[0],
        fmt=fmt,
        lang=lang,
        policy=given.get("--policy"),
        org=given.get("--org"),
        limit=int(limit),
    )


# ---- the document, as the models and the vocabulary would read it ------------------------
class _Event(_Record):
    __slots__ = ("acting_for", "action", "actor", "at", "opinion")
    actor: str
    action: str
    at: datetime
    opinion: str | None
    acting_for: str | None


class _Header(_Record):
    __slots__ = (
        "consultations",
        "drafter",
        "fields",
        "flags",
        "id",
        "in_name_of",
        "kind",
        "received",
        "values",
    )
    id: str
    kind: str
    in_name_of: str | None
    fields: tuple[str, ...]
    flags: tuple[str, ...]
    received: datetime | None
    drafter: str | None
    values: tuple[tuple[str, str], ...]
    consultations: tuple[Any, ...]


class _Document(_Record):
    __slots__ = ("document", "trace")
    document: _Header
    trace: tuple[_Event, ...]


def _encodable(value: str) -> None:
    """Decline text that is not valid Unicode (a lone surrogate): the models refuse it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _Decline from None


class _Reader:
    """Checks a document as `inputs.models`, `inputs.checks` and `inputs.vocabulary` would,
    declining wherever they would refuse it, warn, or read a value otherwise than given."""

    def __init__(self, kit: RouteKit) -> None:
        from govrules.inputs.scalars import MAX_NAME, MAX_OPINION, NAME_PATTERN, OPINION_PATTERN

        self.kit = kit
        self._name = re.compile(NAME_PATTERN)
        self._opinion = re.compile(OPINION_PATTERN)
        self._max_name, self._max_opinion = MAX_NAME, MAX_OPINION
        self.people = frozenset(kit.people)
        units = dict(kit.units)
        self.actors = self.people | set(units) | set(units.values())

    def name(self, value: Any, optional: bool = False) -> Any:
        if value is None and optional:
            return None
        if type(value) is not str or not 1 <= len(value) <= self._max_name:
            raise _Decline
        if value[0].isspace() or value[-1].isspace() or not self._name.fullmatch(value):
            raise _Decline  # the models would trim it, or refuse it
        _encodable(value)
        return value

    def opinion(self, value: Any) -> str | None:
        if value is None:
            return None
        if type(value) is not str or len(value) > self._max_opinion:
            raise _Decline
        if value and (value[0].isspace() or value[-1].isspace()):
            raise _Decline
        if not self._opinion.fullmatch(value):
            raise _Decline
        _encodable(value)
        return value

    def names(self, value: Any) -> tuple[str, ...]:
        if type(value) is not list:
            raise _Decline
        return tuple(self.name(v) for v in value)

    @staticmethod
    def moment(value: Any, optional: bool = False) -> datetime | None:
        from govrules.inputs.scalars import ScalarError, parse_datetime

        if value is None and optional:
            return None
        try:
            return parse_datetime(value)
        except ScalarError:
            raise _Decline from None

    def word(self, kind: str, value: str) -> tuple[str, tuple[str, ...]]:
        """The identifier and traits of the word `value` names (`Vocabulary.find`)."""
        for k, ident, zh, en, traits in self.kit.words:
            if k == kind and value in (ident, zh, en):
                return ident, traits
        raise _Decline

    def document(self, data: Mapping[str, Any]) -> _Document:
        if set(data) - {"document", "trace"} or type(data.get("document")) is not dict:
            raise _Decline
        d: dict[str, Any] = data["document"]
        if set(d) - _DOCUMENT_KEYS or "id" not in d or "kind" not in d:
            raise _Decline
        trace = data.get("trace", [])
        if type(trace) is not list or len(trace) > self.kit.max_trace:
            raise _Decline
        fields = self.names(d.get("fields", []))
        kind = self.word("document", self.name(d["kind"]))[0]
        # Whether it takes a name of issue is looked up by its identifier, as
        # `Vocabulary.has_trait` does (a label equal to another word's identifier).
        named = "named" in self.word("document", kind)[1]
        in_name_of = self.name(d.get("in_name_of"), optional=True)
        if (in_name_of is not None) != named:
            raise _Decline  # a kind that takes no name of issue, or lacks one it needs
        if in_name_of is not None:
            in_name_of = self.word("name", in_name_of)[0]
        flags = set()
        for given in self.names(d.get("flags", [])):
            ident, traits = self.word("flag", given)
            if "several_fields" in traits:
                raise _Decline
            flags.add(ident)
        if len(set(fields)) > 1 and any(
            w[0] == "flag" and "several_fields" in w[4] for w in self.kit.words
        ):
            raise _Decline  # a condition the fields imply (none of the bundled policies')
        drafter = self.name(d.get("drafter"), optional=True)
        if drafter is not None and drafter not in self.actors:
            raise _Decline
        received = self.moment(d.get("received"), optional=True)
        header = _Header(
            id=self.name(d["id"]),
            kind=kind,
            in_name_of=in_name_of,
            fields=fields,
            flags=tuple(sorted(flags)),
            received=received,
            drafter=drafter,
            values=(),
            consultations=(),
        )
        return _Document(document=header, trace=tuple(self.event(e) for e in trace))

    def event(self, e: Any) -> _Event:
        if type(e) is not dict or set(e) - _EVENT_KEYS or not {"actor", "action", "at"} <= set(e):
            raise _Decline
        actor = self.name(e["actor"])
        acting_for = self.name(e.get("acting_for"), optional=True)
        if actor not in self.actors or (acting_for is not None and acting_for not in self.people):
            raise _Decline
        at = self.moment(e["at"])
        assert at is not None
        action = self.word("action", self.name(e["action"]))[0]
        opinion = self.opinion(e.get("opinion"))
        return _Event(actor=actor, action=action, at=at, opinion=opinion, acting_for=acting_for)


# ---- answering -----------------------------------------------------------------------------
class _Units:
    def __init__(self, units: Mapping[str, str]) -> None:
        self.units = units


def _kit(asked: _Asked) -> RouteKit:
    from govrules.cache import read_entry
    from govrules.errors import has_control

    if os.environ.get("GOVRULES_CALENDAR_DIR"):
        raise _Decline  # the calendar is read from a directory no kit names
    if any(has_control(p) for p in (asked.document, asked.org or "", asked.policy or "")):
        raise _Decline  # the full route refuses such a path, in its words
    if asked.policy is not None:
        directory = Path(asked.policy)
    else:
        from govrules.resources import bundled_policy_dir

        directory = bundled_policy_dir()
    if not directory.is_dir():
        raise _Decline
    digest = policy_digest(directory)
    if digest is None:
        raise _Decline
    org_path = asked.org
    if org_path is None:
        default = read_entry(default_org_name(digest), (DefaultOrg,))
        if not isinstance(default, DefaultOrg) or not isinstance(default.path, str):
            raise _Decline
        org_path = default.path
        if os.path.islink(org_path):
            raise _Decline  # the full route refuses an example organisation that is a link
    if org_path.lower().endswith(".json"):
        raise _Decline
    org = read_bounded(org_path)
    if org is None:
        raise _Decline
    kit = read_entry(kit_name(digest, org), (RouteKit,))
    if not isinstance(kit, RouteKit):
        raise _Decline
    return kit


def _route(asked: _Asked) -> Any:
    """The route's answer (`document_answer.RouteResult`), or _Decline."""
    from govrules import clock
    from govrules.asp.facts import Name, document_fact_values, fact_args, plain_atoms, text
    from govrules.asp.slice_names import KeptSlice, slice_key, slice_name
    from govrules.asp.solve import solve
    from govrules.cache import read_entry
    from govrules.calendar_note import nearest_to_end
    from govrules.document_answer import (
        MAX_ORDER_STEPS,
        RouteResult,
        listed_orders,
        read_shown,
    )
    from govrules.inputs.plain import MAX_DOCUMENT_VALUES
    from govrules.inputs.source import read_source
    from govrules.labels import Labels
    from govrules.results import InForce

    kit = _kit(asked)
    if asked.limit > kit.max_order_limit or asked.document.lower().endswith(".json"):
        raise _Decline
    if not stat.S_ISREG(os.stat(asked.document).st_mode):
        raise _Decline  # a pipe read here would be empty for the full route
    source = read_source(asked.document, "<document>", MAX_DOCUMENT_VALUES)
    doc = _Reader(kit).document(source.data)
    units = dict(kit.units)
    values = document_fact_values(doc, _Units(units), frozenset(kit.read_marks))
    values.append(("mode", (Name("route"),)))
    values.append(("enum_cap", (MAX_ORDER_STEPS,)))
    from clingo import Function, Number, String

    args = fact_args(values)
    facts = [Function(name, a) for name, a in args]
    exact_signatures = frozenset(kit.exact)
    exact = [f for f, (n, a) in zip(facts, args, strict=True) if (n, len(a)) in exact_signatures]
    settings = dict(kit.settings)
    switched = [k for k, v in settings.items() if v]
    present = set(kit.present) | {(n, len(a)) for n, a in args}
    key = slice_key(
        [*exact, *(Function("interp", [String(k)]) for k in switched)],
        present,
        None,
        exact_signatures,
    )
    kept = read_entry(slice_name(kit.analysis, key), (KeptSlice,))
    if not isinstance(kept, KeptSlice) or not isinstance(kept.source, str) or not kept.source:
        raise _Decline
    common = [
        Function(name, [Number(v) if isinstance(v, int) else text(v) for v in vs])
        for name, vs in kit.common
    ]
    timeout = clock.DEFAULT_TIMEOUT
    with clock.question(timeout):
        atoms = solve(kept.source, [*common, *facts], interpretations=switched, timeout=timeout)
        shown = read_shown(plain_atoms(atoms.atoms), dict(kit.articles))
        if shown.derived or shown.fired:
            raise _Decline  # an explanation's atoms: never shown by a route's slice
        findings = _findings(kit, shown.findings, doc) if shown.findings else []
        if asked.limit > 0 and len(shown.ids) > MAX_ORDER_STEPS:
            raise _Decline  # the full route refuses it, in its words
        header = doc.document
        dates = [d.date() for d in (header.received, *(e.at for e in doc.trace)) if d]
        covered = {year: date.fromisoformat(last) for year, last in kit.covered}
        if nearest_to_end(dates, lambda day: covered.get(day.year))[0] is not None:
            raise _Decline  # the answer owes a calendar note
        deadline = time.monotonic() + clock.remaining(timeout)
        orders, count = listed_orders(shown, asked.limit, asked.limit > 0, deadline)
    return RouteResult(
        findings=findings,
        in_force=InForce(date.fromisoformat(kit.in_force_from), tuple(sorted(set(dates)))),
        interpretations=settings,
        lang=asked.lang,
        document=header.id,
        steps=shown.steps,
        precedence=shown.precedence,
        orders=orders,
        order_count=count,
        articles=dict(kit.articles),
        labels=Labels.of(w[:4] for w in kit.words),
    )


def _findings(kit: RouteKit, found: list[tuple[Any, ...]], doc: _Document) -> list[Any]:
    """The findings of a route, worded from the compiled program (read from the cache only
    now: most routes have none), sorted as the full route sorts them."""
    from govrules.asp.facts import trace_order
    from govrules.cache import read_entry
    from govrules.compiler import Compiled, cached_classes
    from govrules.findings import Finding, build_finding

    compiled = read_entry(kit.compiled, cached_classes())
    if not isinstance(compiled, Compiled):
        raise _Decline
    positions = trace_order(doc)
    built = [
        build_finding(severity, article, rule, kind, tuple(args), compiled.program, positions)
        for severity, article, rule, kind, args in found
    ]
    return sorted(built, key=Finding.sort_key)


def _plain_stdout() -> bool:
    """Standard output is open and UTF-8: where it is not, the command-line framework
    rewraps it or fails in its own words, and the full route answers."""
    out = sys.stdout
    if out is None or getattr(out, "closed", True):
        return False
    encoding = str(getattr(out, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    return encoding == "utf8"


def answer(argv: Sequence[str]) -> int | None:
    """Answer `govrules ARGV` from its kit and give the exit status, or None (nothing
    written) for the full route to answer."""
    from govrules.errors import GovrulesError

    if not _plain_stdout():
        return None
    try:
        asked = _parse(argv)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = _route(asked)
        if caught:
            return None  # the full route words every warning as the CLI does
    except (_Decline, GovrulesError, OSError):
        return None
    except Exception:  # unforeseen: the full route answers (GOVRULES_DEBUG=1 shows it)
        if os.environ.get("GOVRULES_DEBUG"):
            raise
        return None
    try:
        if asked.fmt == "json":
            sys.stdout.write(result.to_json(asked.lang))
        else:
            from govrules.cli.render import print_route

            print_route(result, asked.lang, show_orders=True)  # exits 1 on a gone reader
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader has gone: exit 1 as the command-line framework does, with standard
        # output pointed at the null device so that nothing is flushed to the pipe again.
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        return 1
    except OSError:
        return None  # nothing was written (a full disk): the full route meets it, in its words
    return 0 if result.compliant else 1
