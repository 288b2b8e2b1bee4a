"""The published schema: in step with the code, true to the data, shown on the site."""

from __future__ import annotations

import json

import jsonschema
import pytest

from macros.data_format import FILES, reference, schema_files
from macros.model.yaml_reader import read_yaml
from sitetools import CHECKOUT, ROOT, article

SCHEMA = CHECKOUT / "schema"  # code, never the data's


def test_committed_schema_files_match_the_code():
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMA.glob("*.json")}
    assert committed == schema_files(), "run `make schema` and commit schema/"


@pytest.mark.parametrize("file", FILES, ids=[f.name for f in FILES])
def test_every_real_data_file_validates_against_its_json_schema(file):
    schema = json.loads((SCHEMA / f"{file.name}.schema.json").read_text(encoding="utf-8"))
    paths = sorted(ROOT.glob(file.where.replace("<id>", "*")))
    assert paths
    for path in paths:
        data = read_yaml(path.read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)  # raises, naming the path, on a mismatch


def test_the_json_schema_rejects_an_unknown_field():
    schema = json.loads(schema_files()["actor.schema.json"])
    with pytest.raises(jsonschema.ValidationError, match="Additional properties"):
        jsonschema.validate({"name": "X", "kind": "state", "facts": [], "colour": "red"}, schema)


def test_the_data_format_page_documents_every_field_and_links_the_schemas(site):
    page = article(site / "data-format" / "index.html")
    documented = {code.get_text() for code in page.select("table code")}
    for section in reference():
        assert {f.name for f in section.fields} <= documented, section.title
    for name in schema_files():
        assert page.select_one(f'a[href$="schema/{name}"]'), name
        assert json.loads((site / "schema" / name).read_text(encoding="utf-8"))
