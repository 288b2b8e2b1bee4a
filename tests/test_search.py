"""Search words beyond a page's text: which field each goes to, and the index they are added to."""

from __future__ import annotations

import json
import re
from pathlib import Path

from macros.kinds import BY_NAME
from macros.model.store import Model
from macros.search import INDEX, SearchWords, add_fields, rewrite_index


def test_one_word_names_are_names_and_longer_ones_aliases() -> None:
    words = SearchWords("Russia", ("the Kremlin", "Moscow", "Russia's delegation"), ("truce",))
    assert words.fields() == {
        "names": ["Russia", "the Kremlin", "Moscow"],
        "aliases": ["Russia's delegation"],
        "keywords": ["truce"],
    }


def test_a_title_of_several_words_is_left_to_the_title_field() -> None:
    assert SearchWords("Volodymyr Zelensky", ("Zelenskyy",)).fields() == {"names": ["Zelenskyy"]}
    assert SearchWords("Two-day truce").fields() == {}  # the theme splits words at hyphens


def test_words_go_to_the_first_entry_of_their_page_only() -> None:
    index = {
        "docs": [
            {"location": "actors/x/", "title": "X", "text": ""},
            {"location": "actors/x/#facts", "title": "Facts", "text": ""},
            {"location": "actors/y/", "title": "Y", "text": ""},
        ]
    }
    add_fields(index, {"actors/x/": SearchWords("X", ("Ex",))})
    assert index["docs"][0]["names"] == ["X", "Ex"]
    assert "names" not in index["docs"][1] and "names" not in index["docs"][2]


def test_the_index_is_rewritten_in_place(tmp_path: Path) -> None:
    assert not rewrite_index(tmp_path, {})  # no index: the search plugin is off
    path = tmp_path / INDEX
    path.parent.mkdir()
    path.write_text(json.dumps({"config": {}, "docs": [{"location": "a/", "title": "Ä"}]}))
    assert rewrite_index(tmp_path, {"a/": SearchWords(keywords=("ö",))})
    assert json.loads(path.read_text("utf-8"))["docs"][0]["keywords"] == ["ö"]


def test_variants_are_search_words_apart_from_the_aliases(model: Model) -> None:
    actor = model.actors["volodymyr-zelensky"]
    assert "Zelenskyy" in actor.search_variants and "Zelenskyy" not in actor.aliases
    words = BY_NAME["actors"].search_words(actor)
    assert "Zelenskyy" in words.fields()["names"]
    ukraine = BY_NAME["actors"].search_words(model.actors["ukraine"])
    assert ukraine.names == ("Kyiv", "Kiev")  # the source's alias, then the variant


def test_a_rounds_place_is_one_of_its_names(model: Model) -> None:
    words = BY_NAME["rounds"].search_words(model.rounds["round-2"])
    assert "Istanbul" in " ".join(words.fields()["aliases"])


def test_no_page_shows_a_variant_and_the_index_holds_each(site: Path, model: Model) -> None:
    """A variant is not the source's words: no page prints it (the data-format page names two as
    examples of the field), and only its own page's entry in the index holds it."""
    variants = {
        (f"{kind}/{entity_id}/", variant)
        for kind in ("actors", "demands", "rounds")
        for entity_id, entity in model.entities(kind).items()
        for variant in entity.search_variants
    }
    assert len(variants) >= 10
    pages = {
        path: path.read_text("utf-8")
        for path in site.rglob("*.html")
        if "data-format" not in path.parts
    }
    any_variant = re.compile("|".join(rf"\b{re.escape(v)}\b" for _, v in variants))
    shown = [
        f"{m[0]} on {path.relative_to(site)}"
        for path, html in pages.items()
        for m in any_variant.finditer(html)
    ]
    assert not shown
    docs = json.loads((site / INDEX).read_text("utf-8"))["docs"]
    holders = {
        (doc["location"], word)
        for doc in docs
        for word in doc.get("names", []) + doc.get("aliases", [])
    }
    assert variants <= holders
    assert not any("tags" in doc for doc in docs)  # the theme would print them in every result


def test_no_noise_in_the_results(site: Path) -> None:
    """What is there for the index or for machines stays out of the snippets: the key words
    (once printed as a "Search words:" line on each demand) and the JSON link's text."""
    docs = json.loads((site / INDEX).read_text("utf-8"))["docs"]
    entity_docs = [d for d in docs if d["location"].split("/")[0] in BY_NAME]
    assert len(entity_docs) > 30
    assert not [d["location"] for d in entity_docs if "JSON" in d["text"]]
    assert not [d["location"] for d in docs if "Search words" in d["text"]]
    demand = (site / "demands" / "army-size-limit" / "index.html").read_text("utf-8")
    assert "Search words" not in demand and "army-size-limit.json" in demand
