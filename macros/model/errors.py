"""Data errors, one style for all: `file:line:column: field: what is wrong: the fix`.

The format editors' tools understand (see ../shared/DESIGN.md). Every check reports through
`DataError`; `InvalidData` carries all the problems of one run at once.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple

from pydantic_core import ErrorDetails

from macros.model.characters import shown
from macros.model.schema import SLUG_PATTERN
from macros.model.yaml_reader import Position


class DataError(NamedTuple):
    """One problem; as text, escaped for a terminal (`shown`): the data's control characters
    and undecodable file names never reach it raw."""

    file: str  # as the editor sees it: data/demands/army-size-limit.yml
    field: str  # the field path, `facts[0].cite[0].quote`, or "" for the whole file
    message: str  # what is wrong, then the fix after a colon
    position: Position | None = None

    def __str__(self) -> str:
        where = (
            f"{self.file}:{self.position.line}:{self.position.column}"
            if self.position
            else self.file
        )
        field = f"{_cut(self.field)}: " if self.field else ""
        return shown(f"{where}: {field}{self.message}")


FIELD_SHOWN = 120  # characters of a field path a message shows: a key may be as long as a file


def _cut(field: str) -> str:
    """The field path, its middle cut out where it is too long to read (its position says
    where it is)."""
    if len(field) <= FIELD_SHOWN:
        return field
    return f"{field[: FIELD_SHOWN - 20]}…{field[-19:]}"


class InvalidData(Exception):
    def __init__(self, errors: list[DataError]) -> None:
        self.errors = errors
        super().__init__("\n".join(map(str, errors)))


NO_ID = "has no id: run `make fact-ids`, which writes one"


class MissingIds(InvalidData):
    """Data whose only problems are new statements without their permanent id: refused by the
    build and `make check`, shown as typed under `make serve` (`model`, those statements
    without an anchor), so that an editor sees a new fact at once."""

    def __init__(self, errors: list[DataError], model: Any) -> None:
        super().__init__(errors)
        self.model = model


def only_missing_ids(errors: list[DataError]) -> bool:
    return all(e.message == NO_ID for e in errors)


def did_you_mean(wrong: str, known: Collection[str]) -> str:
    """` (did you mean 'x'?)` for the closest known id, or nothing. Bounded work whatever the
    number of ids: beyond COMPARED, only the CANDIDATES sharing the most pieces of three letters
    with the wrong one are compared with it (see `_Near`)."""
    candidates = known if len(known) <= COMPARED else _near(known).candidates(wrong)
    close = difflib.get_close_matches(wrong, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


COMPARED = 200  # known ids all compared with a wrong one, up to this many
CANDIDATES = 50  # beyond, those compared (as good on the benchmark's 300 typos as all 5,000)
_GRAMS_LOOKED_UP = 12  # of a wrong id's pieces of three letters, the rarest, at most
_IDS_PER_GRAM = 500  # ids looked at for each of those, at most


class _Near:
    """Known ids by their pieces of three letters (`^ru`, `rus`, ..., `ia$`): the candidates
    for a wrong id are found in bounded time, not by comparing it with every id."""

    def __init__(self, known: Collection[str]) -> None:
        self.known = known  # held, so that its id() is not reused while cached
        self.size = len(known)
        self.ids: dict[str, list[str]] = defaultdict(list)
        for known_id in sorted(known):
            for gram in _grams(known_id):
                self.ids[gram].append(known_id)

    def candidates(self, wrong: str) -> list[str]:
        """The ids sharing most pieces with `wrong`, looked up by its rarest pieces."""
        found = [self.ids[g] for g in _grams(wrong) if g in self.ids]
        shared: Counter[str] = Counter()
        for ids in sorted(found, key=len)[:_GRAMS_LOOKED_UP]:
            shared.update(ids[:_IDS_PER_GRAM])
        return [known_id for known_id, _ in shared.most_common(CANDIDATES)]


def _grams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


_NEAR: dict[int, _Near] = {}  # id(known) -> its index: the checks ask of the same few sets


def _near(known: Collection[str]) -> _Near:
    near = _NEAR.get(id(known))
    if near is None or near.known is not known or near.size != len(known):
        if len(_NEAR) > 8:
            _NEAR.clear()
        near = _NEAR[id(known)] = _Near(known)
    return near


def field_path(loc: tuple[int | str, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def validation_problems(errors: list[ErrorDetails]) -> Iterable[tuple[str, str]]:
    """(field path, message with its fix) for each of pydantic's errors worth reporting."""
    for error in _reported(errors):
        yield field_path(error["loc"]), _worded(error)


def _worded(error: ErrorDetails) -> str:
    """Pydantic's message, with what the editor should do about it."""
    kind, ctx, got = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "missing":
        return "required field is missing: add it"
    if kind == "extra_forbidden":
        return "unknown field: remove it or correct its spelling (see the data format page)"
    if kind == "literal_error":
        return f"{got!r} is not allowed: use one of {ctx['expected']}"
    if kind == "value_error":
        return error["msg"].removeprefix("Value error, ")
    if kind == "too_short":
        return f"must list at least {ctx['min_length']}: add one"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == SLUG_PATTERN:
        return f"{_short(got)!r} is not an id: use lowercase letters, digits and hyphens"
    if kind == "string_pattern_mismatch":  # the only other pattern: a web address
        return (
            f"{_short(got)!r} is not a web address: write it in full, as https://example.org/page"
        )
    if kind == "string_too_long":
        return f"is {len(got or ''):,} characters long: shorten it to at most {ctx['max_length']:,}"
    if kind in _INT_ERRORS and isinstance(got, float) and not math.isfinite(got):
        return (  # digits beyond what a float holds: the reader gives infinity
            "is a number too long to be a line or a place in a series: write the number meant "
            "(as in 7), counted from 1"
        )
    if kind in _TYPE_FIX:
        return f"{_short(got)!r} {_TYPE_FIX[kind]}"
    return f"{error['msg']} (got {_short(got)!r}): see the data format page"


# What a value of the wrong type must be instead, and how to write it.
_TYPE_FIX = {
    "int_type": "is not a whole number: write digits only, as in 7",
    "int_parsing": "is not a whole number: write digits only, as in 7",
    "int_from_float": "is not a whole number: write digits only, as in 7",
    "greater_than_equal": "is too small: count from 1",
    "string_type": "is not text: put it in quotation marks",
    "bool_type": "is not true or false: write true or false",
    "date_type": "is not a date: write it as YYYY-MM-DD, as in 2025-06-02",
    "date_parsing": "is not a date: write it as YYYY-MM-DD, as in 2025-06-02",
    "date_from_datetime_parsing": "is not a date: write it as YYYY-MM-DD, as in 2025-06-02",
    "date_from_datetime_inexact": "is not a date: write it as YYYY-MM-DD, as in 2025-06-02",
    "tuple_type": "is not a list: write [a, b], or one '- item' a line",
    "list_type": "is not a list: write [a, b], or one '- item' a line",
    "model_type": "is not a mapping: write 'field: value' lines, or {field: value}",
    "model_attributes_type": "is not a mapping: write 'field: value' lines, or {field: value}",
    "dict_type": "is not a mapping: write 'field: value' lines, or {field: value}",
}


_INT_ERRORS = ("int_type", "int_parsing", "int_from_float")


def _short(value: object, limit: int = 60) -> object:
    """A value as a message may show it: long text cut, with an ellipsis."""
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    return value


def _reported(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Pydantic's errors less a list's 'too short' that only echoes errors in its items."""
    locs = [e["loc"] for e in errors]
    return [
        e
        for e in errors
        if not (
            e["type"] == "too_short"
            and any(len(o) > len(e["loc"]) and o[: len(e["loc"])] == e["loc"] for o in locs)
        )
    ]


def nearest_position(positions: dict[str, Position], path: str) -> Position:
    """Where a field path starts, or else its nearest ancestor (for a missing field)."""
    while path:
        if path in positions:
            return positions[path]
        path = re.sub(r"(^|\.)[^.\[]+$|\[\d+\]$", "", path)  # the last field or index
    return Position(1, 1)
