"""Which files of a policy directory may be read: its own, by safe names.

A policy directory can come from anywhere (a shared checkout, an archive), and its file
names end up in messages and, as provenance, beside the compiled program. So a file that
is a symbolic link, or that lies outside the directory, is refused without being read
(nothing of its target is ever shown), and a path holding a control character (a newline,
an escape) is refused before anything prints or records it.
"""

from __future__ import annotations

import os
from pathlib import Path

from govrules.errors import Bilingual, InputError, Location, PolicyError, has_control, printable

__all__ = ["checked_file", "policy_root", "rule_files_under"]


def _refuse_control(path: Path) -> None:
    if has_control(str(path)):
        raise InputError(
            Bilingual(
                "路径含有控制字符（换行、转义等），不予读取；请重命名该文件或目录",
                "the path holds a control character (a line break, an escape); rename "
                "the file or folder",
            ),
            Location(printable(str(path))),
            code="bad_path",
        )


def _symlink(path: Path) -> PolicyError:
    return PolicyError(
        Bilingual(
            "策略文件是符号链接，不予跟随；请放入文件本身",
            "a policy file is a symbolic link, which is not followed; put the file itself there",
        ),
        Location(str(path)),
        code="symlink",
    )


def checked_file(directory: Path, path: Path) -> Path:
    """`path` (inside `directory`) when it is safe to read: no control character in its
    name, no symbolic link on the way from `directory` to it, and inside `directory` once
    resolved. A missing file passes (the reader reports it)."""
    _refuse_control(path)
    relative = path.relative_to(directory)
    step = directory
    for part in relative.parts:
        step = step / part
        if step.is_symlink():
            raise _symlink(step)
    if path.exists() and not path.resolve().is_relative_to(directory.resolve()):
        raise PolicyError(
            Bilingual("策略文件位于策略目录之外", "a policy file lies outside the policy folder"),
            Location(str(path)),
            code="outside_policy",
        )
    return path


def rule_files_under(directory: Path, folder: Path) -> list[Path]:
    """Every `*.rules` file below `folder`, in path order, each checked; a symbolic link
    to a folder or a rule file is refused rather than followed or skipped."""
    if not folder.exists() and not folder.is_symlink():
        return []
    checked_file(directory, folder)
    found = []
    for root, dirs, files in os.walk(folder):  # does not descend into linked folders
        for name in sorted(dirs) + sorted(files):
            path = Path(root) / name
            if path.is_symlink() and (name.endswith(".rules") or path.is_dir()):
                raise _symlink(path)
            if name.endswith(".rules") and name in files:
                found.append(checked_file(directory, path))
    return sorted(found)


def policy_root(path: Path) -> Path | None:
    """The policy folder `path` belongs to: the nearest folder, from `path` itself upwards,
    that holds a policy.toml; None when there is none (a file outside any policy)."""
    start = path.absolute()
    for folder in (start, *start.parents):
        if (folder / "policy.toml").is_file():
            return folder
    return None
