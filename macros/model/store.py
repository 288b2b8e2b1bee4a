"""The loaded model: every entity of data/, frozen, with the reverse relations computed once."""

from __future__ import annotations

import typing
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, Protocol

from macros.model.relations import Relation
from macros.model.schema import (
    Actor,
    Cited,
    Demand,
    Round,
    Schema,
    SourceMeta,
    Timeline,
)


@dataclass(frozen=True)
class Source:
    meta: SourceMeta
    lines: tuple[str, ...]


class Reader(Protocol):
    """What views, pages and twins read of the data: a `Model`, or while serving the
    `incremental.TrackedModel` around one, which notes each question asked of it."""

    @property
    def by_kind(self) -> Mapping[str, Mapping[str, Any]]: ...
    @property
    def timeline(self) -> Timeline | None: ...
    @property
    def sources(self) -> Mapping[str, Source]: ...
    @property
    def actors(self) -> Mapping[str, Actor]: ...
    @property
    def demands(self) -> Mapping[str, Demand]: ...
    @property
    def rounds(self) -> Mapping[str, Round]: ...
    @property
    def relations(self) -> tuple[Relation, ...]: ...
    @property
    def citations_by_line(self) -> Mapping[tuple[str, int], list[CitedAt]]: ...
    def related(self, field: str) -> Mapping[str, list[tuple[str, Any]]]: ...
    def entities(self, kind: str) -> Mapping[str, Any]: ...
    def documents(self) -> Iterator[tuple[str, str, Schema]]: ...


@dataclass(frozen=True)
class Model:
    """Entities by kind name and id (`model.entities("demands")["army-size-limit"]`)."""

    by_kind: Mapping[str, Mapping[str, Any]]
    timeline: Timeline | None = None
    # (kind, id) -> digest of its file's bytes; ("timeline", "") for data/timeline.yml
    digests: Mapping[tuple[str, str], str] = field(default_factory=dict)
    relations: tuple[Relation, ...] = ()  # the registry's (`kinds.RELATIONS`)
    # what the last model of the same folder drew from each document (its load's cache)
    memo: Memo = field(default_factory=lambda: Memo(), compare=False, repr=False)

    def entities(self, kind: str) -> Mapping[str, Any]:
        return self.by_kind[kind]

    def digest(self, kind: str, entity_id: str) -> str:
        """The sha1 of its file's bytes (a source's: of its .yml's and its .txt's), for telling
        which pages an edit changed; `digest("timeline", "")` is data/timeline.yml's, "" when
        there is none. Raises KeyError for an entity the model lacks."""
        return self.digests[(kind, entity_id)]

    @property
    def sources(self) -> Mapping[str, Source]:
        return self.by_kind["sources"]

    @property
    def actors(self) -> Mapping[str, Actor]:
        return self.by_kind["actors"]

    @property
    def demands(self) -> Mapping[str, Demand]:
        return self.by_kind["demands"]

    @property
    def rounds(self) -> Mapping[str, Round]:
        return self.by_kind["rounds"]

    def documents(self) -> Iterator[tuple[str, str, Schema]]:
        """(kind, id, data) of every file of facts: the entities, then the timeline ("" id)."""
        for kind, entities in self.by_kind.items():
            for entity_id, entity in entities.items():
                if isinstance(entity, Schema):
                    yield kind, entity_id, entity
        if self.timeline:
            yield "timeline", "", self.timeline

    # Reverse relations, computed once so that no page scans all the data.

    def related(self, field: str) -> Mapping[str, list[tuple[str, Any]]]:
        """The relation of that field, from its other end: id -> [(holder's id, entry)], in
        the holders' order ("stances": actor -> [(demand, stance), ...])."""
        return self._reverse[field]

    @cached_property
    def _reverse(self) -> dict[str, Mapping[str, list[tuple[str, Any]]]]:
        return {r.field: _reverse_index(r, self.entities(r.holder)) for r in self.relations}

    @cached_property
    def citations_by_line(self) -> Mapping[tuple[str, int], list[CitedAt]]:
        """(source id, line) -> every citation of that line."""
        index = defaultdict(list)
        last, kept = self.memo.citations, {}
        for kind, entity_id, document in self.documents():
            drawn = last.get((kind, entity_id))
            if drawn is None or drawn[0] is not document:
                drawn = (document, _citations(kind, entity_id, document))
            kept[(kind, entity_id)] = drawn
            for line, cited in drawn[1]:
                index[line].append(cited)
        self.memo.citations = kept
        return index


class Memo:
    """What a model's indexes drew from each document, for the next model of the same
    folder (`mkdocs serve`'s rebuilds) to reuse: an unchanged file's document is the same
    object there (the load's cache)."""

    def __init__(self) -> None:
        # (kind, id) -> (its document, ((source id, line), its citation) for each citation)
        self.citations: dict[tuple[str, str], tuple[Schema, list[tuple[Line, CitedAt]]]] = {}


Line = tuple[str, int]  # (source id, line number)


def _citations(kind: str, entity_id: str, document: Schema) -> list[tuple[Line, CitedAt]]:
    return [
        (
            (citation.source, citation.line),
            CitedAt(kind, entity_id, path, citation.quote, node.id or ""),
        )
        for path, node in statements(document)
        for citation in node.cite
    ]


def _reverse_index(
    relation: Relation, holders: Mapping[str, Any]
) -> Mapping[str, list[tuple[str, Any]]]:
    index: defaultdict[str, list[tuple[str, Any]]] = defaultdict(list)
    for holder_id, holder in holders.items():
        for entry, other_id in named(relation, holder):
            index[other_id].append((holder_id, entry))
    return index


def named(relation: Relation, holder: Any) -> Iterator[tuple[Any, str]]:
    """(entry, id) for each id each of the holder's entries of the relation names, each id
    once an entry."""
    value = getattr(holder, relation.field)  # a list of entries, or one (an affiliation)
    entries = value if isinstance(value, tuple) else (value,) if value else ()
    for entry in entries:
        for other_id in dict.fromkeys(relation.ends(entry)):  # each once, None aside
            if other_id is not None:
                yield entry, other_id


class CitedAt(NamedTuple):
    """One citation of a source line, and the fact or relation on an entity page that holds it."""

    kind: str
    entity_id: str
    path: str  # the fact or relation, as in `facts[0]` or `stances[1]`
    quote: str
    anchor: str  # its id: its anchor on the page


def walk(node: Schema, path: str = "") -> Iterator[tuple[str, Schema]]:
    """Every schema node in `node`, itself included, with its field path: `facts[0].cite[1]`.
    Depth first, in the fields' order; one loop, not a generator per level (hot at scale)."""
    stack = [(path, node)]
    while stack:
        path, node = stack.pop()
        yield path, node
        fields = _NODE_FIELDS[type(node)]
        if not fields:
            continue  # a leaf, such as a citation: most nodes
        stack.extend(reversed(_children(path, node, fields)))


def _children(path: str, node: Schema, fields: tuple[str, ...]) -> list[tuple[str, Schema]]:
    """The schema nodes in `fields` of `node`, with their paths, in the fields' order."""
    prefix = f"{path}." if path else ""
    children = []
    for name in fields:
        value = getattr(node, name)
        if isinstance(value, Schema):
            children.append((prefix + name, value))
        elif isinstance(value, tuple) and value and isinstance(value[0], Schema):
            children.extend((f"{prefix}{name}[{i}]", item) for i, item in enumerate(value))
    return children


class _NodeFields(dict):
    """The fields of each schema class that can hold schema nodes, looked up once: the others
    (text, ids, numbers) are never walked into."""

    def __missing__(self, cls: type[Schema]) -> tuple[str, ...]:
        self[cls] = tuple(
            name for name, info in cls.model_fields.items() if _may_hold_node(info.annotation)
        )
        return self[cls]


def _may_hold_node(annotation: Any) -> bool:
    """False only where the type rules a schema node out (anything unknown is walked)."""
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _may_hold_node(arguments[0])
    if origin is typing.Literal:
        return False
    if arguments:
        return any(_may_hold_node(a) for a in arguments if a is not Ellipsis)
    return not isinstance(annotation, type) or issubclass(annotation, Schema)


_NODE_FIELDS = _NodeFields()


def statements(document: Schema) -> Iterator[tuple[str, Cited]]:
    """Every fact and relation in a document (each node that carries citations), with its field
    path, in `walk`'s order; without walking into their citations, so quicker than `walk`."""
    stack: list[tuple[str, Schema]] = [("", document)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, Cited):
            yield path, node
        fields = _STATEMENT_FIELDS[type(node)]
        if not fields:
            continue
        stack.extend(reversed(_children(path, node, fields)))


class _StatementFields(dict):
    """The fields of each schema class that can hold a fact or relation, at any depth."""

    def __missing__(self, cls: type[Schema]) -> tuple[str, ...]:
        self[cls] = ()  # while its own fields are looked at: no class holds itself
        self[cls] = tuple(
            name
            for name, info in cls.model_fields.items()
            if name in _NODE_FIELDS[cls]
            and any(issubclass(c, Cited) or self[c] for c in _node_classes(info.annotation))
        )
        return self[cls]


def _node_classes(annotation: Any) -> Iterator[type[Schema]]:
    """The schema classes a field's type names (see `_may_hold_node`)."""
    if isinstance(annotation, type) and issubclass(annotation, Schema):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _node_classes(argument)


_STATEMENT_FIELDS = _StatementFields()
