"""Loading and checking data/ on small data sets made in tmp_path."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from macros.kinds import load
from macros.model import load as load_module
from macros.model.errors import InvalidData
from macros.model.load import LoadCache
from macros.model.schema import Cited, Schema
from macros.model.store import Model, statements, walk
from macros.model.yaml_reader import read_yaml_files
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
    assert [d for d, _ in model.related("stances")["alpha"]] == ["goodbye"]
    assert [d for d, _ in model.related("raised_in")["first"]] == ["goodbye"]
    assert [r for r, _ in model.related("delegations")["alpha"]] == ["first"]


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
        "changes/index.md",
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
        assert stub.content.rsplit("---\n", 1)[-1] == ""  # front matter only: the build renders it
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


# -- the load cache (`mkdocs serve`): a reload reads only what changed, and equals a fresh load --


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The texts the loader hands to the YAML reader in the loads through a cache (`reload`)."""
    texts: list[str] = []

    def counting(batch):
        texts.extend(batch)
        return read_yaml_files(batch)

    monkeypatch.setattr(load_module, "read_yaml_files", counting)
    return texts


def reload(data: Path, cache: LoadCache) -> Model | list[str]:
    """The model a load through the cache gives, or its errors; asserted equal to a fresh load's
    (whose parsing `parsed` does not count)."""
    try:
        model = load(data, cache)
    except InvalidData as e:
        model, errors = None, [str(error) for error in e.errors]
    counting = load_module.read_yaml_files
    load_module.read_yaml_files = read_yaml_files
    try:
        if model is None:
            assert errors == errors_of(data)
            return errors
        assert model == load(data)
        return model
    finally:
        load_module.read_yaml_files = counting


def digests(model: Model) -> dict[tuple[str, str], str]:
    found = {(k, i): model.digest(k, i) for k in model.by_kind for i in model.entities(k)}
    return {**found, ("timeline", ""): model.digest("timeline", "")}


def aged(data: Path) -> Path:
    """data/ with every file's mtime a minute ago: files changed just before a load are read
    again by the next (their mtime may not show a second change), which these tests count."""
    minute_ago = time.time_ns() - 60_000_000_000
    for path in data.rglob("*"):
        os.utime(path, ns=(minute_ago, minute_ago))
    return data


def write(path: Path, text: str) -> None:
    """Write a file, its mtime a second on from what it was (still in the past, see `aged`)."""
    before = path.stat().st_mtime_ns if path.exists() else time.time_ns() - 30_000_000_000
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_a_reload_after_an_edit_reads_only_the_edited_file(tmp_path, parsed):
    data = aged(make_data(tmp_path))
    cache = LoadCache()
    first = reload(data, cache)
    assert len(parsed) == 4  # every .yml: the source's metadata, an actor, a demand, a round
    parsed.clear()
    write(data / "demands/goodbye.yml", DEMAND.replace("The demand is goodbye.", "It is goodbye."))
    second = reload(data, cache)
    assert parsed == [(data / "demands/goodbye.yml").read_text(encoding="utf-8")]
    assert cache.read == [str(data / "demands/goodbye.yml")]
    assert second.demands["goodbye"].facts[0].text == "It is goodbye."
    changed = {key for key, digest in digests(second).items() if digests(first)[key] != digest}
    assert changed == {("demands", "goodbye")}
    parsed.clear()
    assert reload(data, cache) == second and parsed == []  # nothing changed: nothing read


def test_a_reload_after_adding_and_deleting_files_equals_a_fresh_load(tmp_path, parsed):
    data = aged(make_data(tmp_path))
    cache = LoadCache()
    first = reload(data, cache)
    parsed.clear()
    write(data / "actors/beta.yml", ACTOR.replace("name: Alpha", "name: Beta"))
    added = reload(data, cache)
    assert len(parsed) == 1 and set(added.actors) == {"alpha", "beta"}
    assert {k: d for k, d in digests(added).items() if k != ("actors", "beta")} == digests(first)
    parsed.clear()
    (data / "actors/beta.yml").unlink()
    assert reload(data, cache) == first and parsed == []
    (data / "rounds/first.yml").unlink()  # the demand's raised_in names it
    [error] = reload(data, cache)
    assert "raised_in[0].round: no round 'first'" in error and parsed == []
    write(data / "rounds/first.yml", ROUND)
    assert reload(data, cache) == first and len(parsed) == 1


def test_a_renamed_file_is_read_under_its_new_id_and_keeps_its_digest(tmp_path, parsed):
    data = aged(make_data(tmp_path))
    cache = LoadCache()
    first = reload(data, cache)
    parsed.clear()
    (data / "demands/goodbye.yml").rename(data / "demands/farewell.yml")
    renamed = reload(data, cache)
    assert set(renamed.demands) == {"farewell"} and len(parsed) == 1
    assert renamed.digest("demands", "farewell") == first.digest("demands", "goodbye")
    with pytest.raises(KeyError):
        renamed.digest("demands", "goodbye")


def test_bad_data_through_the_cache_gives_a_fresh_loads_errors_until_fixed(tmp_path, parsed):
    data = aged(make_data(tmp_path))
    cache = LoadCache()
    good = reload(data, cache)
    broken = ACTOR.replace("kind: state", "kind: planet\ncolour: red")
    write(data / "actors/alpha.yml", broken)
    errors = reload(data, cache)
    assert [e.split(": ")[1] for e in errors] == ["kind", "colour"]
    parsed.clear()
    assert reload(data, cache) == errors and parsed == []  # an unchanged bad file is not re-read
    write(data / "actors/alpha.yml", "name: [Alpha\n")  # not YAML
    assert "never closed" in reload(data, cache)[0]
    write(data / "actors/alpha.yml", ACTOR)
    assert reload(data, cache) == good


def test_a_source_is_read_again_when_either_of_its_files_changes(tmp_path, parsed):
    data = aged(make_data(tmp_path))
    cache = LoadCache()
    first = reload(data, cache)
    parsed.clear()
    write(data / "sources/src.txt", "\n".join([*LINES[:2], "Fourth."]) + "\n")
    errors = reload(data, cache)  # the round quotes "Third" on line 3, twice
    assert len(errors) == 2
    assert all("rounds/first.yml" in e and "quote: not found on line 3" in e for e in errors)
    assert parsed == [] and cache.read == [str(data / "sources/src.txt")]
    write(data / "sources/src.txt", "\n".join([*LINES, "Fourth."]) + "\n")
    longer = reload(data, cache)
    assert longer.sources["src"].lines[-1] == "Fourth."
    changed = {key for key, digest in digests(longer).items() if digests(first)[key] != digest}
    assert changed == {("sources", "src")}
    write(data / "sources/src.yml", "title: Another title\n")
    retitled = reload(data, cache)
    assert retitled.digest("sources", "src") not in {
        first.digest("sources", "src"),
        longer.digest("sources", "src"),
    }


def test_a_touched_file_is_read_again_and_keeps_its_digest(tmp_path, parsed):
    data = aged(make_data(tmp_path))
    cache = LoadCache()
    first = reload(data, cache)
    parsed.clear()
    write(data / "rounds/first.yml", ROUND)  # the same bytes, a new mtime
    assert digests(reload(data, cache)) == digests(first) and len(parsed) == 1


def test_the_timeline_has_a_digest_once_it_exists(tmp_path):
    data = aged(make_data(tmp_path))
    cache = LoadCache()
    assert reload(data, cache).digest("timeline", "") == ""
    timeline = "events:\n  - when: Third\n    text: A third.\n    cite:\n"
    timeline += "      - {source: src, line: 3, quote: Third.}\n    id: third\n"
    write(data / "timeline.yml", timeline)
    expected = hashlib.sha1(timeline.encode()).hexdigest()
    assert reload(data, cache).digest("timeline", "") == expected


def test_a_cache_given_another_folder_starts_afresh(tmp_path, parsed):
    cache = LoadCache()
    reload(aged(make_data(tmp_path / "one")), cache)
    parsed.clear()
    other = make_data(tmp_path / "two", **{"actors/alpha.yml": ACTOR.replace("Alpha", "Other")})
    assert reload(other, cache).actors["alpha"].name == "Other" and len(parsed) == 4


def test_a_file_changed_just_before_a_load_is_read_again_by_the_next(tmp_path, parsed):
    """Its mtime may be what a second change within the clock's tick would leave too."""
    data = make_data(tmp_path)  # written now
    cache = LoadCache()
    reload(data, cache)
    reload(data, cache)
    assert len(parsed) == 8  # each of the 4 .yml files, twice
    parsed.clear()
    aged(data)
    reload(data, cache)
    reload(data, cache)
    assert len(parsed) == 4  # read once more, then trusted


def _walked(node, path=""):
    """`walk` as it was written first, recursively: the order its faster loop must keep."""
    yield path, node
    prefix = f"{path}." if path else ""
    for name in type(node).model_fields:
        value = getattr(node, name)
        if isinstance(value, Schema):
            yield from _walked(value, prefix + name)
        elif isinstance(value, tuple) and value and isinstance(value[0], Schema):
            for i, item in enumerate(value):
                yield from _walked(item, f"{prefix}{name}[{i}]")


def test_walk_and_statements_visit_every_node_in_order():
    model = load(Path(__file__).parent.parent / "data")
    for _, _, document in model.documents():
        expected = list(_walked(document))
        assert list(walk(document)) == expected
        assert list(statements(document)) == [(p, n) for p, n in expected if isinstance(n, Cited)]
