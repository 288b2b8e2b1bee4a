"""The fact data: the schema of every file in data/, and loading it into one frozen model.

No MkDocs here: the site, `python -m macros check` and the tests all load data through
`load_model`, which reports every problem of a run at once as `InvalidData`.
"""

from __future__ import annotations

import datetime
import gc
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

import yaml

try:
    import ryml
except ImportError:  # without rapidyaml, PyYAML (with libyaml where present) reads everything
    ryml = None
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    model_validator,
)

from macros.citations import citation_problem

KINDS = ("actors", "demands", "rounds")
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


# ---------------------------------------------------------------------------------------------
# Schema: what an editor writes. Unknown fields are errors, so a misspelt field is never ignored.


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only white space")
    return value


Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
Text = Annotated[str, AfterValidator(_not_blank)]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def references(self) -> Iterator[tuple[str, str, str]]:
        """(field, kind, id) for every entity this node names by id; checked after loading."""
        return iter(())


def ref(kind: str, what: str) -> Any:
    """A field naming another entity by id; checked after loading."""
    return Field(description=f"{what}: the id of a file in data/{kind}/.")


class Citation(Schema):
    """Where a source says it: `quote` is an exact part of line `line` of `source`."""

    source: Slug = ref("sources", "The source")
    line: StrictInt = Field(description="The line of the source, counted from 1.")
    quote: Text = Field(
        description="The source's exact words on that line, typos and curly quotes included."
    )


Cites = Annotated[
    tuple[Citation, ...],
    Field(min_length=1, description="The source words that back it: at least one citation."),
]


class Cited(Schema):
    """A fact or relation: it carries the citations that back it, and who says so."""

    cite: Cites
    according_to: tuple[Slug, ...] = Field(
        default=(),
        description="Actors the source reports as saying this (ids); leave out when the source "
        "says it in its own voice.",
    )

    def references(self) -> Iterator[tuple[str, str, str]]:
        for i, actor in enumerate(self.according_to):
            yield f"according_to[{i}]", "actors", actor


class Fact(Cited):
    """One statement in the site's own words, with the source words that back it."""

    text: Text = Field(description="Plain text in the site's own words; no more than the quotes.")


class Affiliation(Cited):
    """The actor (state, bloc, institution) this actor belongs to or acts for."""

    actor: Slug = ref("actors", "The actor it belongs to")

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield from super().references()
        yield "actor", "actors", self.actor


class Stance(Cited):
    """An actor's position on a demand, as the source states it."""

    actor: Slug = ref("actors", "Who takes the stance")
    stance: Literal["made", "supports", "rejects", "opposes"] = Field(
        description="made (demanded, proposed or called for it), supports, rejects or opposes."
    )

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield from super().references()
        yield "actor", "actors", self.actor


class Mention(Cited):
    """A round of talks in which the demand came up."""

    round: Slug = ref("rounds", "The round")

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield from super().references()
        yield "round", "rounds", self.round


class Delegation(Cited):
    """A side at a round of talks, and who led its delegation where the source says."""

    actor: Slug = ref("actors", "The side")
    led_by: Slug | None = Field(
        default=None, description="Who led the delegation, where the source says: an actor id."
    )

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield from super().references()
        yield "actor", "actors", self.actor
        if self.led_by:
            yield "led_by", "actors", self.led_by


Facts = Annotated[tuple[Fact, ...], Field(description="Statements, each with its citations.")]


class Entity(Schema):
    formerly: tuple[Slug, ...] = Field(
        default=(), description="Earlier ids of this entity; each old URL redirects here."
    )
    facts: Annotated[Facts, Field(min_length=1)]


class Actor(Entity):
    """A person, state, delegation, bloc, institution or medium the sources report acting."""

    name: Text = Field(description="The name, as a title of its page.")
    kind: Literal["person", "state", "delegation", "bloc", "institution", "media", "group"] = Field(
        description="What sort of actor it is."
    )
    aliases: tuple[Text, ...] = Field(
        default=(), description="Other names the sources use, for search (Moscow for Russia)."
    )
    role: Fact | None = Field(default=None, description="Its role, as a fact.")
    affiliation: Affiliation | None = Field(
        default=None, description="The actor it belongs to or acts for, with citations."
    )


class Demand(Entity):
    """A demand, condition, proposal or call, and who stands where on it."""

    title: Text = Field(description="The page's title: what is demanded, in a few words.")
    summary: Text = Field(description="One line in the site's own words, for lists and previews.")
    kind: Literal["demand", "condition", "proposal", "call"] = Field(
        description="demand, condition (set for a deal), proposal or call."
    )
    keywords: tuple[Text, ...] = Field(default=(), description="More words search should know.")
    stances: Annotated[tuple[Stance, ...], Field(min_length=1)] = Field(
        description="Who made it, supports, rejects or opposes it: at least who made it."
    )
    raised_in: tuple[Mention, ...] = Field(default=(), description="Rounds where it came up.")


class Round(Entity):
    """One round of talks."""

    title: Text = Field(description="The page's title.")
    sequence: StrictInt = Field(ge=1, description="Its place in the series: 1 for the first.")
    place: Fact | None = Field(default=None, description="Where, in the source's own terms.")
    when: Fact | None = Field(default=None, description="When, in the source's own terms.")
    length: Fact | None = Field(default=None, description="How long, in the source's own terms.")
    delegations: tuple[Delegation, ...] = Field(default=(), description="The sides taking part.")
    agreed: Facts = Field(default=(), description="What the round agreed.")
    not_agreed: Facts = Field(default=(), description="What it failed to agree.")


class Event(Fact):
    """One dated or timed event, in the sources' own terms."""

    when: Text = Field(
        description="The time as the source gives it (16 May, last month, next week); it must "
        "stand in one of the event's quotes."
    )
    round: Slug | None = Field(default=None, description="The round of talks it is, if any.")

    @model_validator(mode="after")
    def _when_is_quoted(self) -> Event:
        if not any(self.when in c.quote for c in self.cite):
            raise ValueError(f"when {self.when!r} is in none of its quotes: use the source's words")
        return self

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield from super().references()
        if self.round:
            yield "round", "rounds", self.round


class Timeline(Schema):
    """data/timeline.yml: events in the order the sources allow, earliest first."""

    events: Annotated[tuple[Event, ...], Field(min_length=1)] = Field(
        description="The events, earliest first; where the sources leave the order open, as "
        "the text tells them."
    )


class SourceMeta(Schema):
    """What is known of a source text: only what the source itself makes known."""

    title: Text = Field(description="A plain description of the source, in the site's own words.")
    publisher: Text | None = Field(default=None, description="Only where known.")
    url: Annotated[str, Field(pattern=r"^https?://[^\s<>\"'`]+$")] | None = Field(
        default=None, description="Where it was published, only where known."
    )
    published: datetime.date | None = Field(
        default=None, description="Date of publication (YYYY-MM-DD), only where known."
    )


SCHEMAS: dict[str, type[Schema]] = {
    "sources": SourceMeta,
    "actors": Actor,
    "demands": Demand,
    "rounds": Round,
    "timeline": Timeline,
}


# ---------------------------------------------------------------------------------------------
# The loaded model


@dataclass(frozen=True)
class Source:
    meta: SourceMeta
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Model:
    sources: Mapping[str, Source]
    actors: Mapping[str, Actor]
    demands: Mapping[str, Demand]
    rounds: Mapping[str, Round]
    timeline: Timeline | None = None

    def entities(self, kind: str) -> Mapping[str, Any]:
        return getattr(self, kind)

    def documents(self) -> Iterator[tuple[str, str, Schema]]:
        """(kind, id, data) of every file of facts: the entities, then the timeline."""
        for kind in KINDS:
            for entity_id, entity in self.entities(kind).items():
                yield kind, entity_id, entity
        if self.timeline:
            yield "timeline", "", self.timeline

    # Reverse relations, computed once so that no page scans all the data.

    @cached_property
    def stances_by_actor(self) -> Mapping[str, list[tuple[str, Stance]]]:
        index = defaultdict(list)
        for demand_id, demand in self.demands.items():
            for stance in demand.stances:
                index[stance.actor].append((demand_id, stance))
        return index

    @cached_property
    def mentions_by_round(self) -> Mapping[str, list[tuple[str, Mention]]]:
        index = defaultdict(list)
        for demand_id, demand in self.demands.items():
            for mention in demand.raised_in:
                index[mention.round].append((demand_id, mention))
        return index

    @cached_property
    def delegations_by_actor(self) -> Mapping[str, list[tuple[str, Delegation]]]:
        index = defaultdict(list)
        for round_id, round_ in self.rounds.items():
            for delegation in round_.delegations:
                index[delegation.actor].append((round_id, delegation))
                if delegation.led_by:
                    index[delegation.led_by].append((round_id, delegation))
        return index

    @cached_property
    def citations_by_line(self) -> Mapping[tuple[str, int], list[CitedAt]]:
        """(source id, line) -> every citation of that line."""
        index = defaultdict(list)
        for kind, entity_id, document in self.documents():
            for path, node in walk(document):
                if isinstance(node, Citation):
                    owner = path.rsplit(".cite[", 1)[0]
                    index[(node.source, node.line)].append(
                        CitedAt(kind, entity_id, owner, node.quote)
                    )
        return index

    @cached_property
    def members_by_actor(self) -> Mapping[str, list[str]]:
        index = defaultdict(list)
        for actor_id, actor in self.actors.items():
            if actor.affiliation:
                index[actor.affiliation.actor].append(actor_id)
        return index


class CitedAt(NamedTuple):
    """One citation of a source line, and the fact or relation on an entity page that holds it."""

    kind: str
    entity_id: str
    path: str  # the fact or relation, as in `facts[0]` or `stances[1]`
    quote: str


def walk(node: Schema, path: str = "") -> Iterator[tuple[str, Schema]]:
    """Every schema node in `node`, itself included, with its field path: `facts[0].cite[1]`."""
    yield path, node
    prefix = f"{path}." if path else ""
    for name in _FIELDS[type(node)]:
        value = getattr(node, name)
        if isinstance(value, Schema):
            yield from walk(value, prefix + name)
        elif isinstance(value, tuple) and value and isinstance(value[0], Schema):
            for i, item in enumerate(value):
                yield from walk(item, f"{prefix}{name}[{i}]")


class _FieldNames(dict):
    """Field names by schema class, looked up once (pydantic's accessor is slow at scale)."""

    def __missing__(self, cls: type[Schema]) -> tuple[str, ...]:
        self[cls] = tuple(cls.model_fields)
        return self[cls]


_FIELDS = _FieldNames()


# ---------------------------------------------------------------------------------------------
# Errors


class DataError(NamedTuple):
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.field}: {self.message}"
            if self.field
            else f"{self.file}: {self.message}"
        )


class InvalidData(Exception):
    def __init__(self, errors: list[DataError]) -> None:
        self.errors = errors
        super().__init__("\n".join(map(str, errors)))


# ---------------------------------------------------------------------------------------------
# Loading


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's fast loader where present; a duplicate key is an error, not a silent overwrite."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first on line {seen[key]}): keep one of them",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _field_path(loc: tuple[int | str, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def _fix(error: dict) -> str:
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
        return f"{got!r} is not an id: use lowercase letters, digits and hyphens"
    return f"{error['msg']} (got {got!r})"


def _reported(errors: list[dict]) -> list[dict]:
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


def read_text(path: Path, label: str, errors: list[DataError]) -> str | None:
    """The file's text, or None after reporting why it cannot be used."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        errors.append(DataError(label, "", f"not UTF-8 (byte {e.start}): save the file as UTF-8"))
        return None
    problem = (
        "the file is empty: add its content or delete the file"
        if not text.strip()
        else "starts with a byte order mark: save it as UTF-8 without BOM"
        if text.startswith("\ufeff")
        else "has Windows line endings (CR): save it with LF line endings"
        if "\r" in text
        else None
    )
    if problem:
        errors.append(DataError(label, "", problem))
        return None
    return text


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    mapping = dict(pairs)
    if len(mapping) < len(pairs):
        raise ValueError("duplicate key")  # PyYAML then says which, and where
    return mapping


@contextmanager
def _native_stderr_to_devnull() -> Iterator[None]:
    """rapidyaml prints its own parse errors to the process's stderr before raising; PyYAML
    reports the same error properly, so that copy is thrown away."""
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _fast_parse(text: str) -> Any:
    """rapidyaml's C++ parser, by way of JSON: four times faster than libyaml on data/ (see
    bench/). Raises on anything it cannot do exactly, and the caller falls back to PyYAML."""
    with _native_stderr_to_devnull():
        tree = ryml.parse_in_arena(text.encode())
    tree.resolve()  # aliases
    return json.loads(ryml.emit_json(tree), object_pairs_hook=_unique_keys)


def parse_yaml(path: Path, label: str, errors: list[DataError]) -> dict | None:
    text = read_text(path, label, errors)
    if text is None:
        return None
    try:
        data = _fast_parse(text) if ryml else yaml.load(text, Loader=_Loader)
    except Exception:  # a syntax error or duplicate key: PyYAML finds it, with line and column
        data = None
    try:
        data = data if data is not None else yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        fix = (
            "" if isinstance(e, yaml.constructor.ConstructorError) else ": correct the YAML syntax"
        )
        errors.append(DataError(label, "", f"{where}{e.problem or e}{fix}"))
        return None
    if not isinstance(data, dict):
        errors.append(DataError(label, "", "must be a mapping of field: value at the top level"))
        return None
    return data


def validate(schema: type[Schema], data: dict, label: str, errors: list[DataError]) -> Any:
    try:
        return schema.model_validate(data)
    except ValidationError as e:
        errors.extend(
            DataError(label, _field_path(err["loc"]), _fix(err)) for err in _reported(e.errors())
        )
        return None


SUFFIXES = {"sources": (".txt", ".yml"), **{kind: (".yml",) for kind in KINDS}}
Files = dict[str, dict[str, Path]]  # suffix -> id -> path


def _scan(data_dir: Path, errors: list[DataError]) -> dict[str, Files]:
    """The well-named files of each folder of data/; every other file is reported, not skipped."""
    if not data_dir.is_dir():
        raise InvalidData(
            [DataError(str(data_dir), "", "no such folder: the data folder is missing")]
        )
    found: dict[str, Files] = {folder: {s: {} for s in SUFFIXES[folder]} for folder in SUFFIXES}
    for entry in sorted(data_dir.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.name == "timeline.yml":
            continue
        if entry.name not in SUFFIXES or not entry.is_dir():
            errors.append(
                DataError(
                    f"{data_dir.name}/{entry.name}",
                    "",
                    f"not part of the data: data/ holds only the folders {', '.join(SUFFIXES)}",
                )
            )
            continue
        # Well-named files first, so that a name differing only in case finds its twin.
        for path in sorted(
            entry.iterdir(), key=lambda p: (not re.fullmatch(SLUG_PATTERN, p.stem), p.name)
        ):
            if not path.name.startswith("."):
                _file(path, f"{data_dir.name}/{entry.name}/{path.name}", found[entry.name], errors)
    return found


def _file(path: Path, label: str, files: Files, errors: list[DataError]) -> None:
    """File one path under its suffix and id, or report why it cannot be."""
    suffix = path.suffix if path.is_file() else ""
    if suffix not in files:
        allowed = " or ".join(files)
        errors.append(DataError(label, "", f"unexpected file here: name it <id>{allowed}"))
        return
    file_id = path.name.removesuffix(suffix)
    if re.fullmatch(SLUG_PATTERN, file_id):
        files[suffix][file_id] = path
        return
    twin = file_id.lower() if file_id.lower() in files[suffix] else None
    errors.append(
        DataError(
            label,
            "",
            f"differs only in case from {twin}{suffix}: rename or merge them"
            if twin
            else "the file name is the id and URL: use lowercase letters, "
            "digits and hyphens, as in 'army-size-limit.yml'",
        )
    )


def _load_sources(files: Files, label: str, errors: list[DataError]) -> dict[str, Source]:
    texts, metas = files[".txt"], files[".yml"]
    for source_id in sorted(texts.keys() - metas.keys()):
        errors.append(
            DataError(
                f"{label}/{source_id}.txt",
                "",
                f"no metadata beside it: add {label}/{source_id}.yml with a title",
            )
        )
    sources = {}
    for source_id, meta_path in metas.items():
        meta_label = f"{label}/{meta_path.name}"
        if source_id not in texts:
            errors.append(
                DataError(meta_label, "", f"no text beside it: add {label}/{source_id}.txt")
            )
            continue
        data = parse_yaml(meta_path, meta_label, errors)
        meta = validate(SourceMeta, data, meta_label, errors) if data is not None else None
        text = read_text(texts[source_id], f"{label}/{source_id}.txt", errors)
        if meta and text is not None:
            sources[source_id] = Source(meta, tuple(text.removesuffix("\n").split("\n")))
    return sources


def _load_kind(kind: str, files: Files, label: str, errors: list[DataError]) -> dict[str, Any]:
    entities = {}
    for entity_id, path in files[".yml"].items():
        file_label = f"{label}/{path.name}"
        data = parse_yaml(path, file_label, errors)
        entity = validate(SCHEMAS[kind], data, file_label, errors) if data is not None else None
        if entity is not None:
            entities[entity_id] = entity
    return entities


def _check_links(model: Model, data_dir: Path) -> Iterator[DataError]:
    """Every id an entity names must exist, and every citation must hold against its source.

    A name whose file exists but failed to load is passed over: that file's errors say why."""

    def failed(kind: str, entity_id: str) -> bool:
        return (data_dir / kind / f"{entity_id}.yml").is_file()

    for kind, entity_id, document in model.documents():
        label = document_label(data_dir.name, kind, entity_id)
        for path, node in walk(document):
            prefix = f"{path}." if path else ""
            for field_name, ref_kind, ref_id in node.references():
                if ref_id not in model.entities(ref_kind) and not failed(ref_kind, ref_id):
                    yield DataError(
                        label,
                        prefix + field_name,
                        f"no {ref_kind[:-1]} '{ref_id}': add "
                        f"{data_dir.name}/{ref_kind}/{ref_id}.yml or correct the id",
                    )
            if isinstance(node, Citation) and not (
                node.source not in model.sources and failed("sources", node.source)
            ):
                problem = citation_problem(node, model.sources)
                if problem:
                    yield DataError(label, prefix + problem.field, problem.message)


def _check_unique(model: Model, data_label: str) -> Iterator[DataError]:
    """An old id redirects to one page only, and rounds have one place each in the series."""
    for kind in KINDS:
        claimed: dict[str, str] = {}
        for entity_id, entity in model.entities(kind).items():
            for i, old in enumerate(entity.formerly):
                label = f"{data_label}/{kind}/{entity_id}.yml"
                if old in model.entities(kind):
                    yield DataError(
                        label,
                        f"formerly[{i}]",
                        f"'{old}' is already the id of "
                        f"{kind}/{old}: remove it here or rename that one",
                    )
                elif old in claimed:
                    yield DataError(
                        label,
                        f"formerly[{i}]",
                        f"'{old}' is already a former id "
                        f"of {kind}/{claimed[old]}: an old URL leads to one page",
                    )
                claimed[old] = entity_id
    sequences: dict[int, str] = {}
    for round_id, round_ in model.rounds.items():
        if round_.sequence in sequences:
            yield DataError(
                f"{data_label}/rounds/{round_id}.yml",
                "sequence",
                f"{round_.sequence} is also the sequence of rounds/"
                f"{sequences[round_.sequence]}: give each round its own number",
            )
        sequences.setdefault(round_.sequence, round_id)


def document_label(data_label: str, kind: str, entity_id: str) -> str:
    """The file a document comes from, as error messages name it."""
    return f"{data_label}/{kind}/{entity_id}.yml" if entity_id else f"{data_label}/{kind}.yml"


def _load_timeline(data_dir: Path, errors: list[DataError]) -> Timeline | None:
    path = data_dir / "timeline.yml"
    if not path.exists():
        return None
    label = document_label(data_dir.name, "timeline", "")
    data = parse_yaml(path, label, errors)
    return validate(Timeline, data, label, errors) if data is not None else None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading makes millions of objects and frees none: collecting meanwhile is wasted work."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_model(data_dir: Path) -> Model:
    """Load and check all of data/; raise InvalidData listing every problem found."""
    with _collector_paused():
        return _load_model(data_dir)


def _load_model(data_dir: Path) -> Model:
    errors: list[DataError] = []
    files = _scan(data_dir, errors)
    label = data_dir.name
    model = Model(
        sources=_load_sources(files["sources"], f"{label}/sources", errors),
        **{kind: _load_kind(kind, files[kind], f"{label}/{kind}", errors) for kind in KINDS},
        timeline=_load_timeline(data_dir, errors),
    )
    errors.extend(_check_links(model, data_dir))
    errors.extend(_check_unique(model, label))
    if errors:
        raise InvalidData(errors)
    return model
