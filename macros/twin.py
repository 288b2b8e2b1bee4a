"""The machine-readable twin of the site: one JSON file of everything, and one per page.

`data.json` holds {kind: {id: record}} for sources, actors, demands and rounds, and `timeline`,
the events of data/timeline.yml.

A record is the entity's data exactly as in its YAML file (see the data format page), plus
`id`, `kind` and `url`; actors and rounds add `related`, the relations held on other pages.
"""

from __future__ import annotations

import json
from typing import Any

from macros.model import KINDS, Model

ALL_KINDS = ("sources", *KINDS)


def record(model: Model, kind: str, entity_id: str) -> dict[str, Any]:
    entity = model.entities(kind)[entity_id]
    head = {"id": entity_id, "kind": kind, "url": f"{kind}/{entity_id}/"}
    if kind == "sources":
        return {**head, **entity.meta.model_dump(mode="json"), "lines": list(entity.lines)}
    return {**head, **entity.model_dump(mode="json"), **_related(model, kind, entity_id)}


def _related(model: Model, kind: str, entity_id: str) -> dict[str, Any]:
    if kind == "actors":
        return {
            "related": {
                "stances": [
                    {"demand": d, "stance": s.stance}
                    for d, s in model.stances_by_actor.get(entity_id, [])
                ],
                "delegations": [
                    {"round": r, "side": dl.actor, "led": dl.led_by == entity_id}
                    for r, dl in model.delegations_by_actor.get(entity_id, [])
                ],
                "members": list(model.members_by_actor.get(entity_id, [])),
            }
        }
    if kind == "rounds":
        return {"related": {"demands": [d for d, _ in model.mentions_by_round.get(entity_id, [])]}}
    return {}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def twin_files(model: Model) -> dict[str, str]:
    """Site path -> JSON text: `data.json` with everything, and `<kind>/<id>.json` per page."""
    records = {
        kind: {i: record(model, kind, i) for i in model.entities(kind)} for kind in ALL_KINDS
    }
    files = {
        f"{kind}/{entity_id}.json": dumps(rec)
        for kind, by_id in records.items()
        for entity_id, rec in by_id.items()
    }
    timeline = model.timeline.model_dump(mode="json")["events"] if model.timeline else []
    files["data.json"] = dumps({**records, "timeline": timeline})
    return files
