"""Where the bundled policy and grammar live, installed or in a source checkout.

A wheel carries them under `govrules/_data/`; an editable install reads them from the
repository root, which is the same files.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_root() -> Path:
    """The folder holding `policy/` and `grammar/`."""
    packaged = _PACKAGE / "_data"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent.parent


def bundled_policy_dir() -> Path:
    return data_root() / "policy" / "xihu-office-2020"


def bundled_org_file() -> Path:
    """The example organisation the bundled policy declares (policy.toml `example_org`)."""
    import tomllib

    from govrules.policy_text import example_org_file

    directory = bundled_policy_dir()
    with (directory / "policy.toml").open("rb") as fh:
        declared = tomllib.load(fh).get("example_org")
    return example_org_file(directory, declared if isinstance(declared, str) else None)


def grammar_file() -> Path:
    return data_root() / "grammar" / "govrules.lark"


def openapi_file() -> Path:
    """The HTTP service's OpenAPI document (served at /openapi.yaml)."""
    return data_root() / "openapi.yaml"
