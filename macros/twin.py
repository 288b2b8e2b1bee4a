"""The machine-readable twin of the site: one JSON file of everything, and one per page.

`data.json` holds {kind: {id: record}} for every kind of page, and `timeline`, the events of
data/timeline.yml.

A record is the entity's data exactly as in its YAML file (see the data format page), plus
`id`, `kind`, `url` and `schema_version`; actors and rounds add `related`, the relations held on
other pages.

The twin is a contract, like the site's URLs: fields are added, never renamed or removed, within
one `SCHEMA_VERSION`; a change that renames or removes a field raises it (see the data format
page).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from macros.kinds import KINDS, Kind
from macros.model.store import Model
from macros.render import page_source

SCHEMA_VERSION = 1
EVERYTHING = "data.json"  # the twin of all the data


def record(model: Model, kind: Kind, entity_id: str, url: str) -> dict[str, Any]:
    entity = model.entities(kind.name)[entity_id]
    head = {"id": entity_id, "kind": kind.name, "url": url, "schema_version": SCHEMA_VERSION}
    if kind.with_text:
        return {**head, **entity.meta.model_dump(mode="json"), "lines": list(entity.lines)}
    related = {"related": kind.related(model, entity_id)} if kind.related else {}
    return {**head, **entity.model_dump(mode="json"), **related}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def twin_files(model: Model, url_of: Callable[[str], str]) -> dict[str, Callable[[], str]]:
    """Site path -> a function that renders its JSON text: `data.json` with everything, and
    `<kind>/<id>.json` per page. `url_of` gives a page source's URL (MkDocs' `File.url`).
    Rendered when written, so that `serve --dirty` renders only the twins an edit changed."""
    files: dict[str, Callable[[], str]] = {
        f"{kind.name}/{entity_id}.json": functools.partial(
            _entity_twin, model, kind, entity_id, url_of
        )
        for kind in KINDS
        for entity_id in model.entities(kind.name)
    }
    files[EVERYTHING] = functools.partial(_everything, model, url_of)
    return files


def _entity_twin(model: Model, kind: Kind, entity_id: str, url_of: Callable[[str], str]) -> str:
    return dumps(record(model, kind, entity_id, url_of(page_source(kind.name, entity_id))))


def _everything(model: Model, url_of: Callable[[str], str]) -> str:
    records = {
        kind.name: {
            i: record(model, kind, i, url_of(page_source(kind.name, i)))
            for i in model.entities(kind.name)
        }
        for kind in KINDS
    }
    timeline = model.timeline.model_dump(mode="json")["events"] if model.timeline else []
    return dumps({**records, "timeline": timeline, "schema_version": SCHEMA_VERSION})
