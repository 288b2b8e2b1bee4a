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
from collections.abc import Callable, Iterable, Iterator, Mapping
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
    return _compact(value) + "\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


Pieces = Callable[[], Iterable[str]]  # a JSON text, made when it is asked for, in pieces


def _object(values: Mapping[str, Pieces]) -> Iterator[str]:
    """What `_compact` makes of a dict, in pieces, each value's text made as it is reached."""
    yield "{"
    for n, key in enumerate(sorted(values)):
        yield f"{',' if n else ''}{_compact(key)}:"
        yield from values[key]()
    yield "}"


class Twins:
    """The JSON twin of one model: a file per page (`<kind>/<id>.json`) and `data.json` with
    everything. `url_of` gives a page source's URL (MkDocs' `File.url`). A record is made
    each time it is asked for, not kept: made twice (for its page's twin and for `data.json`),
    records cost 0.07 s more at 2,000 entities; kept, they held tens of MB to the build's end."""

    def __init__(
        self, model: Reader, url_of: Callable[[str], str], history: History | None = None
    ) -> None:
        self.model, self.url_of = model, url_of
        self.history = history or History.unavailable()

    def pages(self) -> dict[str, Pieces]:
        """Site path -> a function that renders its JSON text: rendered when written, so that
        `serve --dirty` renders only the twins an edit changed."""
        return {
            f"{kind.name}/{entity_id}.json": functools.partial(self._page, kind, entity_id)
            for kind in KINDS
            for entity_id in self.model.entities(kind.name)
        }

    def everything(self) -> Iterator[str]:
        """The text of `data.json`, in pieces: what `dumps` makes of every record, the timeline
        and the schema's version as one object, each record made as it is written (made as
        one string, copied as it was joined, it took 70 MB at 2,000 entities)."""
        timeline = self.model.timeline
        events = timeline.model_dump(mode="json")["events"] if timeline else []
        parts: dict[str, Pieces] = {
            kind.name: functools.partial(self._records, kind) for kind in KINDS
        }
        parts["timeline"] = lambda: [_compact(events)]
        parts["schema_version"] = lambda: [_compact(SCHEMA_VERSION)]
        yield from _object(parts)
        yield "\n"

    def _records(self, kind: Kind) -> Iterator[str]:
        ids = self.model.entities(kind.name)
        return _object({i: functools.partial(self._text, kind, i) for i in ids})

    def _page(self, kind: Kind, entity_id: str) -> list[str]:
        return [dumps(self._record(kind, entity_id))]

    def _text(self, kind: Kind, entity_id: str) -> list[str]:
        return [_compact(self._record(kind, entity_id))]

    def _record(self, kind: Kind, entity_id: str) -> dict[str, Any]:
        url = self.url_of(page_source(kind.name, entity_id))
        return record(self.model, kind, entity_id, url, self.history)
