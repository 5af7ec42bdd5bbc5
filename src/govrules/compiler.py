"""The compiler driver: rule files → parsed → resolved → ASP, cached by content hash.

Each stage is its own module (`lang.syntax`, `lang.resolve`, `lang.emit`) and reports
its own errors; this module only sequences them and keeps the result, so that a second
start with unchanged rule files does not parse or compile again.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from govrules.cache import read_entry, write_entry
from govrules.errors import Bilingual, Location, PolicyError
from govrules.lang import ir
from govrules.lang.emit import Emitted, emit
from govrules.policy_files import checked_file, rule_files_under
from govrules.policy_text import article_labels
from govrules.resources import grammar_file
from govrules.version import __version__

__all__ = [
    "Compiled",
    "cached_classes",
    "compile_policy",
    "compile_sources",
    "compiled_entry",
    "policy_rule_files",
]

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
    vocabulary = checked_file(directory, directory / "vocabulary.rules")
    if vocabulary.is_file():
        files.append(vocabulary)
    files += rule_files_under(directory, directory / "rules")
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


def compile_sources(sources: dict[str, str], labels: Mapping[int, str] | None = None) -> Compiled:
    """Compile named rule texts, in the order given; raises the first stage's errors.
    `labels` are the policy's article labels (number → label, from articles.toml)."""
    from govrules.lang.resolve import resolve
    from govrules.lang.syntax import parse_rules

    files = [parse_rules(text, name) for name, text in sources.items()]
    program = resolve(files, sources, labels)
    return Compiled(program, emit(program), kernel_text())


def cached_classes() -> list[type]:
    """What a cache entry may hold: the compiled policy and the IR's dataclasses."""
    found = [Compiled, Emitted]
    found += [v for v in vars(ir).values() if dataclasses.is_dataclass(v) and isinstance(v, type)]
    return found


def _entry(directory: Path, use_cache: bool) -> tuple[str, dict[str, str], Mapping[int, str]]:
    """The cache entry of a policy's compiled program (named by everything it is compiled
    from), with its rule texts and article labels."""
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
    labels = article_labels(directory, use_cache=use_cache)
    for number, label in sorted(labels.items()):
        digest.update(f"{number}\0{label}\0".encode())
    return digest.hexdigest(), sources, labels


def compiled_entry(directory: Path) -> str:
    """The name under which the program of the policy in `directory` is cached."""
    return _entry(directory, use_cache=True)[0]


def compile_policy(directory: Path, *, use_cache: bool = True) -> Compiled:
    name, sources, labels = _entry(directory, use_cache)
    if use_cache:
        cached = read_entry(name, cached_classes())
        if isinstance(cached, Compiled):
            return cached
    compiled = compile_sources(sources, labels)
    if use_cache:
        write_entry(name, compiled)
    return compiled
