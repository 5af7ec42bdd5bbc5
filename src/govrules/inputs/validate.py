"""Validating parsed data against a model, reporting the first problem in the file.

pydantic reports every problem in the order of the model; a user fixes a file top to
bottom, so the problems are sorted by their position and the first one is reported, with
the count of the others.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from govrules.errors import Bilingual, InputError
from govrules.inputs.messages import describe
from govrules.inputs.source import Source

__all__ = ["allowed_keys", "validate"]

M = TypeVar("M", bound=BaseModel)
_NOWHERE = 10**9


def _strip(annotation: Any) -> Any:
    """The type inside `Annotated[...]` and `X | None`."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            rest = [a for a in get_args(annotation) if a is not type(None)]
            if len(rest) != 1:
                return annotation
            annotation = rest[0]
        else:
            return annotation


def _descend(annotation: Any, part: str | int) -> Any:
    """The declared type found at key or index `part` of a value of type `annotation`."""
    annotation = _strip(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin in (tuple, list) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _type_at(model: type[BaseModel], loc: Sequence[str | int]) -> Any:
    annotation: Any = model
    for part in loc:
        annotation = _descend(annotation, part)
        if annotation is None:
            return None
    return _strip(annotation)


def allowed_keys(model: type[BaseModel], loc: Sequence[str | int] = ()) -> list[str]:
    """The keys the mapping at `loc` of `model` accepts, as written in the files."""
    target = _type_at(model, loc)
    if not (isinstance(target, type) and issubclass(target, BaseModel)):
        return []
    return [info.alias or name for name, info in target.model_fields.items()]


def _literals(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    target = _type_at(model, loc)
    return [str(a) for a in get_args(target)] if get_origin(target) is Literal else []


def _full_loc(error: ErrorDetails) -> tuple[str | int, ...]:
    loc = tuple(error["loc"])
    ctx = error.get("ctx") or {}
    if error["type"] == "govrules_rule" and ctx.get("field"):
        loc += (str(ctx["field"]),)
    return loc


def _causes(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop errors that only follow from others: a list too short because its items failed."""
    locs = [_full_loc(e) for e in errors]
    return [
        error
        for error, loc in zip(errors, locs, strict=True)
        if error["type"] != "too_short"
        or not any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs)
    ]


def _prefer_unknown_key(error: ErrorDetails, errors: list[ErrorDetails]) -> ErrorDetails:
    """A missing key next to an unknown one is most likely misspelt: report the spelling."""
    if error["type"] != "missing":
        return error
    parent = _full_loc(error)[:-1]
    return next(
        (e for e in errors if e["type"] == "extra_forbidden" and _full_loc(e)[:-1] == parent),
        error,
    )


def _first(source: Source, model: type[BaseModel], errors: list[ErrorDetails]) -> InputError:
    def position(item: tuple[int, ErrorDetails]) -> tuple[int, int, int]:
        line, column = source.locate(_full_loc(item[1]))
        return (line or _NOWHERE, column or _NOWHERE, item[0])

    errors = _causes(errors)
    _, error = min(enumerate(errors), key=position)
    error = _prefer_unknown_key(error, errors)
    loc = _full_loc(error)
    message = describe(error, allowed_keys(model, loc[:-1]), _literals(model, loc))
    others = len(errors) - 1
    if others:
        message = Bilingual(
            zh=f"{message.zh}（另有 {others} 处问题）",
            en=f"{message.en} ({others} more problem{'s' if others > 1 else ''})",
        )
    return source.error(loc, message, f"input.{error['type']}")


def validate(source: Source, model: type[M]) -> M:
    """`source.data` as a `model`, or one `InputError` for the first problem in the file."""
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        raise _first(source, model, exc.errors(include_url=False)) from None
