"""The compiler driver: rule files → parsed → resolved → ASP, cached by content hash.

Each stage is its own module (`lang.syntax`, `lang.resolve`, `lang.emit`) and reports
its own errors; this module only sequences them and keeps the result, so that a second
start with unchanged rule files does not parse or compile again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path

from govrules import __version__
from govrules.errors import Bilingual, Location, PolicyError
from govrules.lang import ir
from govrules.lang.emit import Emitted, emit
from govrules.resources import grammar_file

__all__ = ["Compiled", "compile_policy", "compile_sources", "policy_rule_files"]

_KERNEL = Path(__file__).resolve().parent / "kernel"
KERNEL_FILES = ("facts.lp", "route.lp", "leave.lp", "duties.lp", "show.lp")


@dataclass(frozen=True)
class Compiled:
    program: ir.Program
    emitted: Emitted
    kernel: str

    @property
    def solver_program(self) -> str:
        return self.kernel + "\n" + self.emitted.program


def kernel_text() -> str:
    return "\n".join((_KERNEL / name).read_text(encoding="utf-8") for name in KERNEL_FILES)


def kernel_part(name: str) -> str:
    """A kernel file added only for some questions (explanations, why-not)."""
    return "\n" + (_KERNEL / name).read_text(encoding="utf-8")


def policy_rule_files(directory: Path) -> list[Path]:
    """The vocabulary first, then every rule file under rules/, in path order."""
    files = []
    vocabulary = directory / "vocabulary.rules"
    if vocabulary.is_file():
        files.append(vocabulary)
    files += sorted((directory / "rules").rglob("*.rules"))
    if not files:
        raise PolicyError(
            Bilingual("策略目录中没有规则文件（*.rules）", "no rule files (*.rules) in the policy"),
            Location(str(directory)),
            code="no_rules",
        )
    return files


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PolicyError(
            Bilingual("规则文件不是 UTF-8 编码", "rule file is not UTF-8 text"),
            Location(str(path)),
            code="encoding",
        ) from None
    except OSError as err:
        raise PolicyError(
            Bilingual(
                f"无法读取规则文件：{err.strerror}", f"cannot read rule file: {err.strerror}"
            ),
            Location(str(path)),
            code="unreadable",
        ) from None


def compile_sources(sources: dict[str, str]) -> Compiled:
    """Compile named rule texts, in the order given; raises the first stage's errors."""
    from govrules.lang.resolve import resolve
    from govrules.lang.syntax import parse_rules

    files = [parse_rules(text, name) for name, text in sources.items()]
    program = resolve(files, sources)
    return Compiled(program, emit(program), kernel_text())


def _cache_dir() -> Path:
    configured = os.environ.get("GOVRULES_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "govrules"


def compile_policy(directory: Path, *, use_cache: bool = True) -> Compiled:
    paths = policy_rule_files(directory)
    sources = {p.relative_to(directory).as_posix(): _read(p) for p in paths}
    digest = hashlib.sha256(__version__.encode())
    for extra in (grammar_file(), *(_KERNEL / k for k in KERNEL_FILES)):
        digest.update(extra.read_bytes())
    # The compiler's own code: a changed stage must not serve a stale compiled program.
    for code in (Path(__file__), *sorted(Path(__file__).with_name("lang").glob("*.py"))):
        digest.update(code.read_bytes())
    for name, text in sources.items():
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    cache = _cache_dir() / f"{digest.hexdigest()}.pickle"
    if use_cache and cache.is_file():
        try:
            with cache.open("rb") as fh:
                cached = pickle.load(fh)
            if isinstance(cached, Compiled):
                return cached
        except Exception:  # a stale or truncated cache entry is simply rebuilt
            pass
    compiled = compile_sources(sources)
    if use_cache:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=cache.parent, delete=False) as tmp:
                pickle.dump(compiled, tmp)
            os.replace(tmp.name, cache)
        except OSError:
            pass  # a read-only home: compile every time
    return compiled
