"""The compiled-policy cache: entries that cannot run code, that only their owner wrote.

A cache directory can be shared or planted (a CI cache, /tmp, a shared home), and the
compiled program is ASP text that clingo would run, `#script` included. So:

* an entry is JSON (data only: strings, numbers, lists and a fixed set of dataclasses
  named by the caller), never pickle;
* it carries an HMAC-SHA256 of its bytes, keyed by a random key kept in the directory in a
  file only its owner can read (0600); an entry whose tag does not match is ignored;
* the directory is created private (0700); a directory, key or entry owned by someone else
  or writable by others is not used at all (every start compiles instead);
* anything unreadable, corrupt or stale is rebuilt silently, never a traceback;
* it holds at most `MAX_ENTRIES` entries: each version of govrules, clingo or a policy
  names its entries afresh, so a long-lived cache would otherwise only grow. Past it, a
  write removes the entries written longest ago (an entry still in use is written again
  the next time it is needed).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["MAX_ENTRIES", "cache_dir", "code_entry_name", "read_entry", "usable", "write_entry"]

_KEY_FILE = "key"
_FORMAT = "govrules-cache-1"
MAX_ENTRIES = 1_000
_PRUNED_TO = 0.8  # of MAX_ENTRIES: a write past the bound does not prune on every write


def code_entry_name(prefix: str, code: str | Path, *parts: str) -> str:
    """The name of the entry the module `code` (its file) makes from `parts` (a program's
    text, its facts' kinds): named by them, that module's code and the versions of
    govrules and clingo (its parser), so that a changed maker never serves an old entry."""
    import clingo

    from govrules.version import __version__

    digest = hashlib.sha256(f"{__version__}\0{clingo.__version__}\0".encode())
    digest.update(Path(code).read_bytes())
    for part in parts:
        digest.update(part.encode() + b"\0")
    return f"{prefix}-{digest.hexdigest()[:40]}"


def cache_dir() -> Path:
    configured = os.environ.get("GOVRULES_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "govrules"


def _private(info: os.stat_result, *, secret: bool = False) -> bool:
    """Owned by this user, and writable (or, for a secret, readable) by no one else."""
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    others = 0o077 if secret else 0o022
    return not info.st_mode & others


def _directory(create: bool) -> Path | None:
    """The cache directory when it is safe to use, created 0700 when asked and missing."""
    path = cache_dir()
    try:
        if create and not path.exists():
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or not _private(info):
        return None
    return path


def _key(directory: Path, create: bool) -> bytes | None:
    path = directory / _KEY_FILE
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        if not create:
            return None
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return _key(directory, create=False)  # another process made it first
        except OSError:
            return None
        import secrets  # only when a key is made

        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
        return _key(directory, create=False)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return None
        if not _private(os.fstat(fh.fileno()), secret=True):
            return None
        key = fh.read(64)
    return key if len(key) == 32 else None


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"@": type(value).__name__, "=": fields}
    if isinstance(value, tuple):
        return {"()": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"{}": [[k, _encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


class _Corrupt(Exception):
    pass


# What `_decode` needs of a class an entry may hold: the class and its fields' names.
_Classes = dict[str, tuple[type, frozenset[str]]]


def _decode(value: Any, classes: _Classes) -> Any:
    kind = type(value)
    if kind is list:
        return [_decode(v, classes) for v in value]
    if kind is not dict:
        return value
    if len(value) == 1:
        if "()" in value:
            return tuple([_decode(v, classes) for v in value["()"]])
        if "{}" in value:
            return {str(k): _decode(v, classes) for k, v in value["{}"]}
    body = value.get("=")
    if len(value) != 2 or type(body) is not dict:
        raise _Corrupt
    found = classes.get(value.get("@"))
    if found is None or not body.keys() <= found[1]:
        raise _Corrupt
    return found[0](**{k: _decode(v, classes) for k, v in body.items()})


def usable() -> bool:
    """Whether entries can be kept here (the directory and its key are safe, or can be
    made): a caller that would work only to fill the cache asks first."""
    directory = _directory(create=True)
    return directory is not None and _key(directory, create=True) is not None


def read_entry(name: str, classes: Iterable[type]) -> Any | None:
    """The cached value called `name`, or None (missing, foreign, tampered or corrupt)."""
    directory = _directory(create=False)
    key = _key(directory, create=False) if directory is not None else None
    if directory is None or key is None:
        return None
    try:
        fd = os.open(directory / f"{name}.json", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not stat.S_ISREG(info.st_mode) or not _private(info):
                return None
            data = fh.read()
        tag, _, body = data.partition(b"\n")
        expected = hmac.new(key, body, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(tag, expected):
            return None
        document = json.loads(body)
        if document.get("format") != _FORMAT or document.get("name") != name:
            return None
        known = {c.__name__: (c, frozenset(f.name for f in dataclasses.fields(c))) for c in classes}
        return _decode(document["value"], known)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, _Corrupt, RecursionError):
        return None


def write_entry(name: str, value: Any) -> None:
    """Keep `value` under `name`; silently nothing when the cache cannot be used."""
    directory = _directory(create=True)
    key = _key(directory, create=True) if directory is not None else None
    if directory is None or key is None:
        return
    body = json.dumps(
        {"format": _FORMAT, "name": name, "value": _encode(value)},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    tag = hmac.new(key, body, hashlib.sha256).hexdigest().encode()
    import tempfile  # only when an entry is written

    tmp: str | None = None
    try:
        with tempfile.NamedTemporaryFile("wb", dir=directory, delete=False) as fh:
            tmp = fh.name
            fh.write(tag + b"\n" + body)
        os.replace(tmp, directory / f"{name}.json")
        tmp = None
    except OSError:
        pass  # a full or read-only disk: compile every time
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _prune(directory)


def _prune(directory: Path) -> None:
    """At most `MAX_ENTRIES` entries: past it, those written longest ago are removed (down
    to `_PRUNED_TO` of it). Only files that are entries are counted or removed: regular
    files of this user, not links, that open with an entry's tag line (the directory may
    be one a user chose, holding JSON of their own). Processes pruning at once only
    remove what is there; an entry removed under a reader is a miss, rebuilt."""
    try:
        with os.scandir(directory) as found:
            named = [e for e in found if e.name.endswith(".json")]
    except OSError:
        return
    if len(named) <= MAX_ENTRIES:
        return
    aged: list[tuple[int, str, str]] = []
    for entry in named:
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and _private(info) and _is_entry(entry.path):
                aged.append((info.st_mtime_ns, entry.name, entry.path))
    if len(aged) <= MAX_ENTRIES:
        return
    aged.sort()
    for _, _, path in aged[: len(aged) - int(MAX_ENTRIES * _PRUNED_TO)]:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _is_entry(path: str) -> bool:
    """Whether the file opens as an entry does: its tag, 64 hexadecimal digits, a line."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        head = fh.read(65)
    return len(head) == 65 and head[64:] == b"\n" and all(c in _HEX for c in head[:64])


_HEX = frozenset(b"0123456789abcdef")
