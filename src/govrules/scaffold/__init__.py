"""`govrules init`: a new policy folder that passes its own tests at once.

The template is a small policy of its own (one article: a request is written by a clerk,
then endorsed by the head of the unit), with its own words, none of the bundled policy's;
its files are package data beside this module, copied as they are.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from govrules.errors import Bilingual, InputError, Location, printable

__all__ = ["TEMPLATE_FILES", "scaffold"]

_TEMPLATE = Path(__file__).resolve().parent / "template"

# Every file of the template, relative to the new policy folder, in path order.
TEMPLATE_FILES = tuple(
    sorted(p.relative_to(_TEMPLATE).as_posix() for p in _TEMPLATE.rglob("*") if p.is_file())
)


def scaffold(directory: Path) -> list[Path]:
    """Write the template into `directory` (missing or empty); refuse anything else, and
    write nothing half: the files go to a temporary folder beside it, moved in at the end."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InputError(
            Bilingual(
                "目标目录已存在且不为空；govrules init 只写入新的或空的目录",
                "the folder exists and is not empty; govrules init writes only into a new "
                "or empty folder",
            ),
            Location(printable(str(directory))),
            code="not_empty",
        )
    parent = directory.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".govrules-init-", dir=parent))
        try:
            for name in TEMPLATE_FILES:
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(_TEMPLATE / name, target)
            staging.chmod(0o755)
            if directory.exists():
                directory.rmdir()  # empty, checked above
            os.replace(staging, directory)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    except OSError as err:
        raise InputError(
            Bilingual(
                f"无法创建策略目录：{err.strerror}", f"cannot create the folder: {err.strerror}"
            ),
            Location(printable(str(directory))),
            code="unwritable",
        ) from None
    return [directory / name for name in TEMPLATE_FILES]
