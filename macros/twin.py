"""The machine-readable twin of the site: one JSON file of everything, and one per page.

`data.json` holds {kind: {id: record}} for every kind of page, and `timeline`, the events of
data/timeline.yml.

A record is the entity's data exactly as in its YAML file (see the data format page), plus
`id`, `kind`, `url` and `schema_version`; actors and rounds add `related`, the relations held on
other pages; demands add `positions`, each side's reports of its stance and its latest position;
actors, demands and rounds add `history`: for each statement the file holds, by id,
the date it was first `published` on the site and the date it last `changed` (null if never),
from git; `history` is null where the history is not available (a copy without git).

The twin is a contract, like the site's URLs: fields are added, never renamed or removed, within
one `SCHEMA_VERSION`; a change that renames or removes a field raises it (see the data format
page).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from macros.history import History
from macros.kinds import KINDS, Kind
from macros.model.store import Reader, statements
from macros.render import page_source
from macros.views import related_twin

SCHEMA_VERSION = 1
EVERYTHING = "data.json"  # the twin of all the data


def record(
    model: Reader, kind: Kind, entity_id: str, url: str, history: History | None = None
) -> dict[str, Any]:
    entity = model.entities(kind.name)[entity_id]
    head = {"id": entity_id, "kind": kind.name, "url": url, "schema_version": SCHEMA_VERSION}
    if kind.with_text:
        return {**head, **entity.meta.model_dump(mode="json"), "lines": list(entity.lines)}
    related = related_twin(model, kind.name, entity_id)
    related = {"related": related} if related else {}
    dated = _history(history or History.unavailable(), f"{kind.name}/{entity_id}", entity)
    extra = kind.twin(model, entity)
    return {**head, **entity.model_dump(mode="json"), **related, **extra, "history": dated}


def _history(history: History, page: str, entity: Any) -> dict[str, Any] | None:
    """Each statement's dates, by id (added in schema_version 1: fields are only added)."""
    if not history.available:
        return None
    dated: dict[str, Any] = {}
    for _, node in statements(entity):
        found = history.of(node.id or "", page)
        if found and node.id:
            changed = found.changed.date if found.changed else None
            dated[node.id] = {"published": found.published.date, "changed": changed}
    return dated


def dumps(value: Any) -> str:
    """Compact: the C encoder (an `indent` falls back to Python's, 3.6 times slower) and a fifth
    smaller; browsers and `jq` lay it out for reading."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


class Twins:
    """The JSON twin of one model: a file per page (`<kind>/<id>.json`) and `data.json` with
    everything, each record made once. `url_of` gives a page source's URL (MkDocs'
    `File.url`)."""

    def __init__(
        self, model: Reader, url_of: Callable[[str], str], history: History | None = None
    ) -> None:
        self.model, self.url_of = model, url_of
        self.history = history or History.unavailable()
        self._records: dict[tuple[str, str], dict[str, Any]] = {}

    def pages(self) -> dict[str, Callable[[], str]]:
        """Site path -> a function that renders its JSON text: rendered when written, so that
        `serve --dirty` renders only the twins an edit changed."""
        return {
            f"{kind.name}/{entity_id}.json": functools.partial(self._page, kind, entity_id)
            for kind in KINDS
            for entity_id in self.model.entities(kind.name)
        }

    def everything(self) -> str:
        """The text of `data.json`."""
        records = {
            kind.name: {i: self._record(kind, i) for i in self.model.entities(kind.name)}
            for kind in KINDS
        }
        timeline = self.model.timeline
        events = timeline.model_dump(mode="json")["events"] if timeline else []
        return dumps({**records, "timeline": events, "schema_version": SCHEMA_VERSION})

    def _page(self, kind: Kind, entity_id: str) -> str:
        return dumps(self._record(kind, entity_id))

    def _record(self, kind: Kind, entity_id: str) -> dict[str, Any]:
        key = (kind.name, entity_id)
        if key not in self._records:
            url = self.url_of(page_source(kind.name, entity_id))
            self._records[key] = record(self.model, kind, entity_id, url, self.history)
        return self._records[key]
