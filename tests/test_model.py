"""Loading and checking data/ on small data sets made in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.model import InvalidData, load_model
from macros.pages import entity_pages, redirects

LINES = ["First line says “hello”.", "Second line says goodbye and and more.", "Third."]

ACTOR = """\
name: Alpha
kind: state
facts:
  - text: Alpha said hello.
    cite:
      - {source: src, line: 1, quote: says “hello”}
"""

DEMAND = """\
title: Goodbye
summary: Alpha asks for goodbye.
kind: demand
stances:
  - actor: alpha
    stance: made
    cite: [{source: src, line: 2, quote: says goodbye}]
raised_in:
  - round: first
    cite: [{source: src, line: 2, quote: goodbye and and}]
facts:
  - text: The demand is goodbye.
    cite: [{source: src, line: 2, quote: goodbye}]
"""

ROUND = """\
title: First round
sequence: 1
delegations:
  - actor: alpha
    cite: [{source: src, line: 3, quote: Third.}]
facts:
  - text: There was a third line.
    cite: [{source: src, line: 3, quote: Third}]
"""


def make_data(root: Path, **files: str) -> Path:
    """A data/ folder holding one source, one actor, demand and round; `files` override them."""
    data = root / "data"
    defaults = {
        "sources/src.txt": "\n".join(LINES) + "\n",
        "sources/src.yml": "title: A test source\n",
        "actors/alpha.yml": ACTOR,
        "demands/goodbye.yml": DEMAND,
        "rounds/first.yml": ROUND,
    }
    for name, text in {**defaults, **files}.items():
        path = data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is not None:
            path.write_text(text, encoding="utf-8")
    return data


def errors_of(data: Path) -> list[str]:
    with pytest.raises(InvalidData) as caught:
        load_model(data)
    return [str(e) for e in caught.value.errors]


def test_good_data_loads_with_its_relations(tmp_path):
    model = load_model(make_data(tmp_path))
    assert model.sources["src"].lines == tuple(LINES)  # the final newline adds no line
    assert [d for d, _ in model.stances_by_actor["alpha"]] == ["goodbye"]
    assert [d for d, _ in model.mentions_by_round["first"]] == ["goodbye"]
    assert [r for r, _ in model.delegations_by_actor["alpha"]] == ["first"]


def test_a_quote_missing_from_its_line_names_file_field_and_closest_text(tmp_path):
    data = make_data(tmp_path, **{"actors/alpha.yml": ACTOR.replace("“hello”", '"hello"')})
    [error] = errors_of(data)
    assert error.startswith("data/actors/alpha.yml: facts[0].cite[0].quote: not found on line 1")
    assert "U+201C LEFT DOUBLE QUOTATION MARK" in error


def test_a_quote_on_another_line_says_which(tmp_path):
    data = make_data(
        tmp_path,
        **{"rounds/first.yml": ROUND.replace("line: 3, quote: Third}", "line: 1, quote: Third}")},
    )
    [error] = errors_of(data)
    assert "facts[0].cite[0].quote: not found on line 1" in error and "(found on line 3)" in error


@pytest.mark.parametrize("line", [0, -1, 4])
def test_a_line_outside_the_source_is_rejected(tmp_path, line):
    data = make_data(tmp_path, **{"actors/alpha.yml": ACTOR.replace("line: 1", f"line: {line}")})
    [error] = errors_of(data)
    assert f"facts[0].cite[0].line: line {line} does not exist" in error and "1 to 3" in error


def test_every_error_of_a_run_is_reported_together(tmp_path):
    data = make_data(
        tmp_path,
        **{
            "actors/alpha.yml": ACTOR.replace("kind: state", "kind: planet"),
            "demands/goodbye.yml": DEMAND.replace("actor: alpha", "actor: beta"),
            "rounds/first.yml": ROUND + "colour: red\n",
        },
    )
    errors = errors_of(data)
    assert len(errors) == 3
    assert any(e.startswith("data/actors/alpha.yml: kind: ") for e in errors)
    assert "data/demands/goodbye.yml: stances[0].actor: no actor 'beta'" in "\n".join(errors)
    assert any(e.startswith("data/rounds/first.yml: colour: unknown field") for e in errors)


def test_duplicate_keys_are_rejected_with_their_line(tmp_path):
    data = make_data(
        tmp_path, **{"actors/alpha.yml": ACTOR.replace("kind: state", "kind: state\nname: Beta")}
    )
    [error] = errors_of(data)
    assert error.startswith("data/actors/alpha.yml: line 3, column 1: duplicate key 'name'")


def test_a_fact_without_citation_is_rejected(tmp_path):
    data = make_data(tmp_path, **{"actors/alpha.yml": ACTOR.split("    cite:")[0]})
    [error] = errors_of(data)
    assert error.startswith("data/actors/alpha.yml: facts[0].cite: required field is missing")


def test_a_file_name_that_is_not_a_slug_is_rejected(tmp_path):
    data = make_data(tmp_path, **{"actors/Big_Alpha.yml": ACTOR})
    [error] = errors_of(data)
    assert error.startswith("data/actors/Big_Alpha.yml: the file name is the id")


def test_pages_are_stubs_that_name_ids_only(tmp_path):
    model = load_model(
        make_data(tmp_path, **{"demands/goodbye.yml": DEMAND + "formerly: [farewell]\n"})
    )
    stubs = {stub.path: stub.content for stub in entity_pages(model)}
    assert stubs["demands/goodbye.md"] == '{{ render("demands", "goodbye") }}\n'
    assert stubs["sources/index.md"].endswith('{{ render_index("sources") }}\n')
    assert stubs["stances/index.md"].endswith('{{ render_view("stances") }}\n')
    assert set(stubs) - {"stances/index.md", "timeline/index.md"} == {
        f"{kind}/{name}.md"
        for kind, ids in [
            ("sources", ["src"]),
            ("actors", ["alpha"]),
            ("demands", ["goodbye"]),
            ("rounds", ["first"]),
        ]
        for name in ["index", *ids]
    }
    assert [tuple(r) for r in redirects(model)] == [("demands/farewell/index.html", "../goodbye/")]
