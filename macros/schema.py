"""The data format as JSON Schema (for editors' tools) and as a field reference (for the site)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from macros.model import SCHEMAS

# kind of data file -> (schema file name, where such files live)
FILES = {
    "sources": ("source", "data/sources/<id>.yml"),
    "actors": ("actor", "data/actors/<id>.yml"),
    "demands": ("demand", "data/demands/<id>.yml"),
    "rounds": ("round", "data/rounds/<id>.yml"),
    "timeline": ("timeline", "data/timeline.yml"),
}


def json_schema(kind: str) -> dict:
    """The JSON Schema of one kind of data file (sources: the .yml beside the text)."""
    schema = SCHEMAS[kind].model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_files() -> dict[str, str]:
    """File name -> content of every schema file, as published in schema/ and on the site."""
    return {
        f"{name}.schema.json": json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
        for kind, (name, _) in FILES.items()
    }


def write_schema_files(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in schema_files().items():
        (folder / name).write_text(content, encoding="utf-8")


class FieldRow(NamedTuple):
    name: str
    type: str
    required: bool
    description: str


class Section(NamedTuple):
    title: str  # the kind of file, or the name of a nested part
    description: str
    fields: list[FieldRow]


def reference() -> list[Section]:
    """Every kind of file and every nested part, with its fields, from the JSON Schemas."""
    sections: dict[str, Section] = {}
    for kind, (name, where) in FILES.items():
        schema = json_schema(kind)
        sections[name] = _section(where, schema)
        for def_name, definition in schema.get("$defs", {}).items():
            sections.setdefault(def_name, _section(def_name, definition))
    return list(sections.values())


def _section(title: str, schema: dict) -> Section:
    required = set(schema.get("required", ()))
    rows = [
        FieldRow(name, _type_name(prop), name in required, prop.get("description", ""))
        for name, prop in schema["properties"].items()
    ]
    shared = ("cite", "according_to", "facts", "formerly")  # fields of base classes, listed last
    rows.sort(key=lambda row: row.name in shared)
    return Section(title, schema.get("description", ""), rows)


def _type_name(prop: dict) -> str:
    """A reader's name for a JSON Schema type: 'list of Citation', 'one of: a, b', 'id'."""
    if "anyOf" in prop:
        return " or ".join(_type_name(p) for p in prop["anyOf"] if p.get("type") != "null")
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "enum" in prop:
        return "one of: " + ", ".join(prop["enum"])
    if prop.get("type") == "array":
        least = f" (at least {prop['minItems']})" if prop.get("minItems") else ""
        return f"list of {_type_name(prop['items'])}{least}"
    if prop.get("format") == "date":
        return "date"
    if "pattern" in prop and prop["pattern"].startswith("^[a-z0-9]"):
        return "id"
    return {"string": "text", "integer": "whole number"}.get(prop.get("type", ""), "value")
