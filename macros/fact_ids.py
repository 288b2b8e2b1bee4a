"""`make fact-ids`: give each fact and relation in data/ that has none its permanent id, written
into its YAML file as the mapping's first field. Editors never invent ids by hand.

A fact's id is made of the first words of its text (`limit-ukrainian-army`), unique in its file.
A relation's id names both its ends (`russia-made-army-size-limit`), so that it is unique on each
of the two pages that show it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from macros.kinds import KINDS, TIMELINE
from macros.model.errors import DataError
from macros.model.load import read_text
from macros.model.schema import MAX_ID_LENGTH, Affiliation, Cited, Delegation, Mention, Stance
from macros.model.store import walk
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
    if isinstance(node, Stance):
        return f"{node.actor}-{node.stance}-{owner}"
    if isinstance(node, Mention):
        return f"{owner}-in-{node.round}"
    if isinstance(node, Delegation):
        return f"{node.actor}-at-{owner}"
    if isinstance(node, Affiliation):
        return f"{owner}-part-of-{node.actor}"
    return None


def fact_id(text: str, taken: set[str]) -> str:
    plain = re.sub(r"['’]s\b", "", text.casefold())  # Ukraine's -> ukraine
    words = [w for w in re.findall(r"[a-z0-9]+", plain) if w not in STOPWORDS]
    base = "-".join(words[:FACT_WORDS])[: MAX_ID_LENGTH - 4].strip("-") or "fact"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def assign_ids(data_dir: Path) -> Iterator[str]:
    """Write the missing ids into every file of data/; yields a line per file changed or
    passed over."""
    files = [p for k in KINDS for p in sorted((data_dir / k.name).glob("*.yml"))]
    files.append(data_dir / TIMELINE.file_name)
    schemas = {k.name: k.schema for k in KINDS} | {"": TIMELINE.schema}
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
            added = _assign_in_file(path, text, schemas[kind])
        except (YamlProblem, ValidationError):
            yield f"{path}: passed over: `make check` says what to fix first"
            continue
        except OSError as e:
            yield f"{path}: cannot be written ({e.strerror}): make it writable with chmod u+w"
            continue
        if added:
            yield f"{path}: {added} id(s) added"


def _assign_in_file(path: Path, text: str, schema: type) -> int:
    document = schema.model_validate(read_yaml(text))
    owner = path.stem
    taken = {n.id for _, n in walk(document) if isinstance(n, Cited) and n.id}
    missing: list[tuple[str, str]] = []  # (field path, new id)
    for field, node in walk(document):
        if isinstance(node, Cited) and not node.id:
            new = relation_id(node, owner) or fact_id(getattr(node, "text", "fact"), taken)
            taken.add(new)
            missing.append((field, new))
    if not missing:
        return 0
    where = positions(text)
    lines = text.split("\n")
    # From the end of the file, so that earlier line numbers stay true.
    starts = {field: _first_key(where, field) for field, _ in missing}
    for field, new in sorted(missing, key=lambda m: starts[m[0]], reverse=True):
        _insert_id(lines, starts[field], new)
    path.write_text("\n".join(lines), encoding="utf-8")
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
