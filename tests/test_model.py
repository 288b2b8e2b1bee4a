"""Loading and checking data/ on small data sets made in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.kinds import load
from macros.model.errors import InvalidData
from macros.pages import page_stubs, redirects

LINES = ["First line sings “hello”.", "Second line sings goodbye and and more.", "Third."]

ACTOR = """\
name: Alpha
kind: state
facts:
  - text: Alpha said hello.
    cite:
      - {source: src, line: 1, quote: sings “hello”}
    id: alpha-said-hello
"""

DEMAND = """\
title: Goodbye
summary: Alpha asks for goodbye.
kind: demand
stances:
  - actor: alpha
    stance: made
    cite: [{source: src, line: 2, quote: sings goodbye}]
    id: alpha-made-goodbye
raised_in:
  - round: first
    cite: [{source: src, line: 2, quote: goodbye and and}]
    id: goodbye-in-first
facts:
  - text: The demand is goodbye.
    cite: [{source: src, line: 2, quote: goodbye}]
    id: demand-goodbye
"""

ROUND = """\
title: First round
sequence: 1
delegations:
  - actor: alpha
    cite: [{source: src, line: 3, quote: Third.}]
    id: alpha-at-first
facts:
  - text: There was a third line.
    cite: [{source: src, line: 3, quote: Third}]
    id: third-line
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
        load(data)
    return [str(e) for e in caught.value.errors]


def test_good_data_loads_with_its_relations(tmp_path):
    model = load(make_data(tmp_path))
    assert model.sources["src"].lines == tuple(LINES)  # the final newline adds no line
    assert [d for d, _ in model.stances_by_actor["alpha"]] == ["goodbye"]
    assert [d for d, _ in model.mentions_by_round["first"]] == ["goodbye"]
    assert [r for r, _ in model.delegations_by_actor["alpha"]] == ["first"]


def test_a_quote_missing_from_its_line_names_file_field_and_closest_text(tmp_path):
    data = make_data(tmp_path, **{"actors/alpha.yml": ACTOR.replace("“hello”", '"hello"')})
    [error] = errors_of(data)
    assert error.startswith(
        "data/actors/alpha.yml:6:32: facts[0].cite[0].quote: not found on line 1"
    )
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
    assert any(e.startswith("data/actors/alpha.yml:2:1: kind: ") for e in errors)
    assert "data/demands/goodbye.yml:5:5: stances[0].actor: no actor 'beta'" in "\n".join(errors)
    assert any(e.startswith("data/rounds/first.yml:11:1: colour: unknown field") for e in errors)


def test_duplicate_keys_are_rejected_with_their_line(tmp_path):
    data = make_data(
        tmp_path, **{"actors/alpha.yml": ACTOR.replace("kind: state", "kind: state\nname: Beta")}
    )
    [error] = errors_of(data)
    assert error.startswith("data/actors/alpha.yml:3:1: duplicate key 'name' (first on line 1)")


def test_a_fact_without_citation_is_rejected(tmp_path):
    data = make_data(tmp_path, **{"actors/alpha.yml": ACTOR.split("    cite:")[0] + "    id: x\n"})
    [error] = errors_of(data)
    assert error.startswith("data/actors/alpha.yml:4:5: facts[0].cite: required field is missing")


def test_a_file_name_that_is_not_a_slug_is_rejected(tmp_path):
    data = make_data(tmp_path, **{"actors/Big_Alpha.yml": ACTOR})
    [error] = errors_of(data)
    assert error.startswith("data/actors/Big_Alpha.yml: the file name is the id")


def test_pages_are_one_line_stubs_that_name_ids_never_data(tmp_path):
    title = "{{ 6*7 }} Goodbye"
    model = load(
        make_data(
            tmp_path,
            **{
                "demands/goodbye.yml": DEMAND.replace("title: Goodbye", f"title: '{title}'")
                + "formerly: [farewell]\n"
            },
        )
    )
    stubs = {stub.src_uri: stub for stub in page_stubs(model)}
    assert set(stubs) == {
        "stances/index.md",
        "timeline/index.md",
        *(
            f"{kind}/{name}.md"
            for kind in ("sources", "actors", "demands", "rounds")
            for name in ("index",)
        ),
        "sources/src.md",
        "actors/alpha.md",
        "demands/goodbye.md",
        "rounds/first.md",
    }
    for stub in stubs.values():
        body = stub.content.rsplit("---\n", 1)[-1]  # after any front matter
        assert body.count("\n") == 1 and body.startswith("{{ render") and body.endswith("}}\n")
        assert "Goodbye" not in stub.content and "6*7" not in stub.content
    assert stubs["demands/goodbye.md"].entity == ("demands", "goodbye")
    assert [tuple(r) for r in redirects(model)] == [("demands/farewell.md", "demands/goodbye.md")]


def test_an_error_in_one_file_does_not_hide_the_errors_of_others(tmp_path):
    """A demand that fails validation still counts as an id; the others' errors show at once."""
    data = make_data(
        tmp_path,
        **{
            "demands/goodbye.yml": DEMAND.replace("kind: demand", "kind: wish"),
            "actors/alpha.yml": ACTOR.replace("source: src", "source: sorce"),
        },
    )
    errors = errors_of(data)
    assert len(errors) == 2, errors
    assert "no source 'sorce'" in errors[1] or "no source 'sorce'" in errors[0]
