"""Organisations sent as data with every question, loaded once.

A service or an OA system embedding the engine often sends the organisation with each
document. Loading it (validation, checks, name warnings) takes longer than a warm question,
and each load is a new model object, so none of what a policy keeps per organisation
(its facts, groundings, answers) would be found again. So an organisation given as plain
data is kept, by its exact content, and the same frozen model is returned for the same
content; its warnings are issued again on every load, as a fresh load would.
"""

from __future__ import annotations

import json

__all__ = ["KEEP_VALUES_UP_TO", "content_key"]

# Organisations up to this many values (keys, items, scalars) are kept: about 2,000 people.
# A year's audit of a bigger one is asked once, and its key alone would cost as much as
# keeping it saves; a client of a service cannot make it keep much either.
KEEP_VALUES_UP_TO = 50_000

_SCALARS = (str, int, float, bool, type(None))


def _plain_json(value: object, budget: list[int]) -> bool:
    """Whether `value` is JSON data of exactly the built-in types (dicts with text keys,
    lists, text, numbers, booleans, None), within the budget. Anything else (a subclass of
    str or int such as an Enum member, a tuple, a number as a key, a date) is read by the
    loader in its own way, which its JSON text would not tell apart from other data."""
    budget[0] -= 1
    if budget[0] < 0:
        return False
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is dict and isinstance(value, dict):
        return all(type(k) is str and _plain_json(v, budget) for k, v in value.items())
    if kind is list and isinstance(value, list):
        return all(_plain_json(v, budget) for v in value)
    return False


def content_key(value: object) -> str | None:
    """The exact content of plain data as text (key order kept: it can matter, e.g. which
    of two units sharing a display name is meant), or None for anything else: a path, a
    model, data of other types than JSON's own, or an organisation too big to keep."""
    try:
        if not _plain_json(value, [KEEP_VALUES_UP_TO]) or type(value) is not dict:
            return None
        return json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError, RecursionError):
        return None
