"""`make fact-ids`: give each fact and relation in data/ that has none its permanent id, written
into its YAML file as the mapping's first field. Editors never invent ids by hand.

A fact's id is made of the first words of its text (`limit-ukrainian-army`), unique in its file.
A relation's id names both its ends (`russia-made-army-size-limit`), so that it is unique on each
of the two pages that show it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from pydantic import ValidationError

from macros.kinds import KINDS, RELATIONS, TIMELINE
from macros.model.checks import Page, reserved_ids
from macros.model.errors import DataError
from macros.model.load import read_text
from macros.model.relations import relation_of, shown_on
from macros.model.schema import (
    MAX_ID_LENGTH,
    Cited,
    Schema,
)
from macros.model.store import statements
from macros.model.yaml_reader import Position, YamlProblem, positions, read_yaml

STOPWORDS = set(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "by",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "from",
        "into",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "said",
        "says",
        "say",
        "their",
        "them",
        "they",
        "he",
        "she",
        "his",
        "her",
        "has",
        "have",
        "had",
        "not",
        "no",
    ]
)
FACT_WORDS = 5


def relation_id(node: Cited, owner: str) -> str | None:
    """The id of a relation held in `owner`'s file, from both its ends; None for a fact."""
    relation = relation_of(RELATIONS, node)
    return relation.make_id(node, owner) if relation else None


def fact_id(text: str) -> str:
    """The id a fact's text suggests: its first words that say something."""
    plain = re.sub(r"['’]s\b", "", text.casefold())  # Ukraine's -> ukraine
    words = [w for w in re.findall(r"[a-z0-9]+", plain) if w not in STOPWORDS]
    return "-".join(words[:FACT_WORDS]) or "fact"


def unique_id(base: str, taken: Iterable[set[str]]) -> str:
    """`base`, numbered if need be, cut to the longest id allowed, and in none of `taken`
    (the ids of every page that will show it)."""
    pages = list(taken)
    candidate, n = base[:MAX_ID_LENGTH].strip("-"), 1
    while any(candidate in ids for ids in pages):
        n += 1
        suffix = f"-{n}"
        candidate = base[: MAX_ID_LENGTH - len(suffix)].strip("-") + suffix
    return candidate


class _File(NamedTuple):
    path: Path
    page: Page  # its own page: (kind, id), ("timeline", "") for the timeline
    text: str
    document: Schema


def assign_ids(data_dir: Path) -> Iterator[str]:
    """Write the missing ids into every file of data/; yields a line per file changed or
    passed over. Each new id is free on every page that will show it (its own, and for a
    relation the other end's), so that the ids written pass `make check`."""
    files = [p for k in KINDS for p in sorted((data_dir / k.name).glob("*.yml"))]
    files.append(data_dir / TIMELINE.file_name)
    schemas = {k.name: k.schema for k in KINDS} | {"": TIMELINE.schema}
    read: list[_File] = []
    for path in files:
        if not path.is_file() or path.is_symlink():
            continue
        kind = path.parent.name if path.parent != data_dir else ""
        errors: list[DataError] = []
        text = read_text(path, str(path), errors)  # as the loader reads it, never via a link
        if text is None:
            yield f"{errors[0]} (passed over)"
            continue
        try:
            document = schemas[kind].model_validate(read_yaml(text))
        except (YamlProblem, ValidationError):
            yield f"{path}: passed over: `make check` says what to fix first"
            continue
        page = (kind, path.stem) if kind else (TIMELINE.name, "")
        read.append(_File(path, page, text, document))
    taken = _taken(read)
    for file in read:
        try:
            added = _assign_in_file(file, taken)
        except OSError as e:
            yield f"{file.path}: cannot be written ({e.strerror}): make it writable with chmod u+w"
            continue
        if added:
            yield f"{file.path}: {added} id(s) added"


def _taken(files: list[_File]) -> dict[Page, set[str]]:
    """The ids each page shows now, and those its own elements have."""
    titles = {k.name: k.title for k in KINDS if not k.with_text}  # a source's holds no statement
    taken: dict[Page, set[str]] = {}
    for file in files:
        kind = file.page[0]
        taken.setdefault(file.page, set()).update(reserved_ids(kind, file.document, titles))
        taken[file.page].update(gone.id for gone in getattr(file.document, "withdrawn", ()))
        for _, node in statements(file.document):
            if node.id:
                for page in (file.page, *shown_on(RELATIONS, node)):
                    taken.setdefault(page, set()).add(node.id)
    return taken


def _assign_in_file(file: _File, taken: dict[Page, set[str]]) -> int:
    owner = file.page[1]
    missing: list[tuple[str, str]] = []  # (field path, new id)
    for field, node in statements(file.document):
        if not node.id:
            pages = [taken.setdefault(p, set()) for p in (file.page, *shown_on(RELATIONS, node))]
            base = relation_id(node, owner)
            if base and any(base in ids for ids in pages):  # a second report: by its source
                base = f"{base}-{node.cite[0].source}"
            new = unique_id(base or fact_id(getattr(node, "text", "fact")), pages)
            for ids in pages:
                ids.add(new)
            missing.append((field, new))
    if not missing:
        return 0
    where = positions(file.text)
    lines = file.text.split("\n")
    # From the end of the file, so that earlier line numbers stay true.
    starts = {field: _first_key(where, field) for field, _ in missing}
    for field, new in sorted(missing, key=lambda m: starts[m[0]], reverse=True):
        _insert_id(lines, starts[field], new)
    file.path.write_text("\n".join(lines), encoding="utf-8")
    return len(missing)


def _first_key(where: dict[str, Position], field: str) -> Position:
    """Where the first key of the mapping at `field` stands."""
    inside = [
        position
        for path, position in where.items()
        if path.startswith(f"{field}.") and not re.search(r"[.\[]", path[len(field) + 1 :])
    ]
    return min(inside)


def _insert_id(lines: list[str], start: Position, new: str) -> None:
    """Put `id: new` first in the mapping whose first key stands at `start`: inline in a
    `{…}` mapping, on the item's own line for `- key: …`, on a line of its own otherwise."""
    index, column = start.line - 1, start.column - 1
    line = lines[index]
    if line[:column].rstrip().endswith("{"):
        lines[index] = f"{line[:column]}id: {new}, {line[column:]}"
    elif line[:column].rstrip().endswith("-"):  # a list item: `  - text: …`
        lines[index] = f"{line[:column]}id: {new}"
        lines.insert(index + 1, " " * column + line[column:])
    else:
        lines.insert(index, " " * column + f"id: {new}")
