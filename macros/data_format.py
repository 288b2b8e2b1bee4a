"""The data format as JSON Schema (for editors' tools) and as a field reference (for the site)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from macros.kinds import KINDS, TIMELINE
from macros.model.schema import Schema


class DataFileKind(NamedTuple):
    name: str  # the schema file is `<name>.schema.json`
    where: str  # where such files live
    schema: type[Schema]


FILES = [
    *(DataFileKind(k.singular, f"data/{k.name}/<id>.yml", k.schema) for k in KINDS),
    DataFileKind(TIMELINE.name, f"data/{TIMELINE.file_name}", TIMELINE.schema),
]


def json_schema(schema: type[Schema]) -> dict:
    """The JSON Schema of one kind of data file (sources: the .yml beside the text)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema.model_json_schema()}


def schema_files() -> dict[str, str]:
    """File name -> content of every schema file, as published in schema/ and on the site."""
    return {
        f"{f.name}.schema.json": json.dumps(json_schema(f.schema), indent=2, ensure_ascii=False)
        + "\n"
        for f in FILES
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
    for file in FILES:
        schema = json_schema(file.schema)
        sections[file.name] = _section(file.where, schema)
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
