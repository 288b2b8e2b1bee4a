"""The registry of kinds: every kind of page the data makes, declared once.

The loader, the page list, the renderer, the JSON twin, the JSON Schema, `python -m macros`, the
benchmark and the tests all read this table. Adding a kind of page is one `Kind` here, its schema
class in `model/schema.py`, its view functions in `views.py` and its two templates (see
macros/ARCHITECTURE.md, "Add a kind of page").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from macros import views
from macros.model.load import LoadCache, load_model
from macros.model.relations import Relation
from macros.model.schema import (
    Actor,
    Affiliation,
    Delegation,
    Demand,
    Mention,
    Round,
    Schema,
    SourceMeta,
    Stance,
    Timeline,
)
from macros.model.store import Model
from macros.search import SearchWords


@dataclass(frozen=True)
class Kind:
    """One folder of data/, a page per file at `/<name>/<id>/`, and an index page at `/<name>/`."""

    name: str  # plural: the folder of data/, the URL's first part, the JSON twin's key
    singular: str  # its files' schema and its page template are named after it
    schema: type[Schema]  # the schema of its `<id>.yml` files
    title: Callable[[Any], str]  # the page's title (actors have `name`, the others `title`)
    summary: Callable[[Any], str]  # one line, for link previews
    page: Callable[..., views.TemplateView]  # (renderer, id, entity) -> its page's view
    row: Callable[..., views.Row]  # (renderer, id, entity) -> its row on the index page
    # The filters its index table offers, from its rows: {name: [(value, label), ...]}
    filters: Callable[[list[Any]], dict[str, list[tuple[str, str]]]] = lambda _: {}
    names: Callable[[Any], tuple[str, ...]] = lambda _: ()  # its other names, for search
    keywords: Callable[[Any], tuple[str, ...]] = lambda _: ()  # more words search should know
    with_text: bool = False  # each `<id>.yml` describes an `<id>.txt` beside it
    twin: Callable[[Any, Any], dict[str, Any]] = lambda model, entity: {}  # more for its twin

    @property
    def template(self) -> str:
        return f"{self.singular}.md.j2"

    @property
    def index_template(self) -> str:
        return f"{self.name}-index.md.j2"

    def search_words(self, entity: Any) -> SearchWords:
        """What search should find its page by beyond title and text; spelling variants and
        readers' terms are search-only data, never shown (see `search.py`)."""
        variants = getattr(entity, "search_variants", ())
        names = (*self.names(entity), *variants)
        terms = tuple(getattr(entity, "search_terms", ()))
        return SearchWords(self.title(entity), names, self.keywords(entity), terms)


@dataclass(frozen=True)
class View:
    """A page drawn from all the data, at `/<name>/`."""

    name: str
    page: Callable[..., views.TemplateView]  # (renderer) -> the view of `<name>.md.j2`
    front_matter: str  # the page's MkDocs meta

    @property
    def template(self) -> str:
        return f"{self.name}.md.j2"


@dataclass(frozen=True)
class DataFile:
    """A single file of data/ beside the folders of the kinds."""

    name: str
    schema: type[Schema]

    @property
    def file_name(self) -> str:
        return f"{self.name}.yml"


KINDS: tuple[Kind, ...] = (
    Kind(
        "sources",
        "source",
        SourceMeta,
        title=attrgetter("meta.title"),
        summary=lambda s: f"The text of the source, line by line: {len(s.lines)} lines.",
        page=views.source_page,
        row=views.source_row,
        with_text=True,
    ),
    Kind(
        "actors",
        "actor",
        Actor,
        title=attrgetter("name"),
        summary=lambda a: a.role.text if a.role else a.facts[0].text,
        page=views.actor_page,
        row=views.actor_row,
        filters=views.actor_filters,
        names=lambda a: (*a.aliases, *_surname(a)),
    ),
    Kind(
        "demands",
        "demand",
        Demand,
        title=attrgetter("title"),
        summary=attrgetter("summary"),
        page=views.demand_page,
        row=views.demand_row,
        filters=views.demand_filters,
        keywords=attrgetter("keywords"),
        twin=views.positions_twin,
    ),
    Kind(
        "rounds",
        "round",
        Round,
        title=attrgetter("title"),
        summary=lambda r: r.facts[0].text,
        page=views.round_page,
        row=views.round_row,
        names=lambda r: (r.place.text,) if r.place else (),
    ),
)
BY_NAME = {kind.name: kind for kind in KINDS}

# Each relation: the entries of one kind's files that name an entity of another kind.
RELATIONS: tuple[Relation, ...] = (
    Relation(
        "stances",
        Stance,
        holder="demands",
        other="actors",
        ends=lambda s: (s.actor,),
        make_id=lambda s, demand: f"{s.actor}-{s.stance}-{demand}",
        says=views.stance_says,
        twin_key="stances",
        twin=views.stance_twin,
    ),
    Relation(
        "raised_in",
        Mention,
        holder="demands",
        other="rounds",
        ends=lambda m: (m.round,),
        make_id=lambda m, demand: f"{demand}-in-{m.round}",
        says=views.mention_says,
        twin_key="raised",
        twin=views.mention_twin,
        twin_ids_key="demands",
    ),
    Relation(
        "delegations",
        Delegation,
        holder="rounds",
        other="actors",  # the side, and the person or team leading it: each shows it
        ends=lambda d: (d.actor, d.led_by, d.team),
        make_id=lambda d, round_id: f"{d.actor}-at-{round_id}",
        says=views.delegation_says,
        twin_key="delegations",
        twin=views.delegation_twin,
    ),
    Relation(
        "affiliation",
        Affiliation,
        holder="actors",
        other="actors",
        ends=lambda a: (a.actor,),
        make_id=lambda a, member: f"{member}-part-of-{a.actor}",
        says=views.affiliation_says,
        twin_key="members",
        twin=views.member_twin,
        anchored=False,  # the group's page lists its members as links
    ),
)


def _surname(actor: Actor) -> tuple[str, ...]:
    """A person's last name, which is all a reader types for them ("Trump")."""
    words = actor.name.split()
    return (words[-1],) if actor.kind == "person" and len(words) > 1 else ()


TIMELINE = DataFile("timeline", Timeline)
# Lists of every entity repeat what the entity pages say: out of search, which stays small.
# Wide tables and lists need the room of the side bars.
VIEWS: tuple[View, ...] = (
    View("stances", views.stance_matrix, "hide: [navigation, toc]\nsearch: {exclude: true}"),
    View("timeline", views.timeline, "hide: [navigation, toc]"),
    # What changed, and when (from git): every statement again, so out of search.
    View("changes", views.changes_page, "hide: [navigation]\nsearch: {exclude: true}"),
)


def load(data_dir: Path, cache: LoadCache | None = None) -> Model:
    """Load and check all of `data_dir`; raises InvalidData listing every problem found. With a
    cache kept across calls (`mkdocs serve`), only the files changed since are read again."""
    return load_model(data_dir, KINDS, TIMELINE, RELATIONS, cache)
