"""Search: the words each page is found by beyond its text, and Pagefind's index of the site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.kinds import BY_NAME
from macros.model.store import Model
from macros.search import IndexedPage, SearchWords, index_site, with_meta
from sitetools import pagefind_fragments


def test_one_word_names_are_names_and_longer_ones_aliases() -> None:
    words = SearchWords("Russia", ("the Kremlin", "Moscow", "Russia's delegation"), ("truce",))
    assert words.meta() == {
        "names": "Russia the Kremlin Moscow",
        "aliases": "Russia delegation",  # no possessive: Pagefind would count it eight times
        "keywords": "truce",
    }


def test_a_title_of_several_words_is_left_to_the_title_field() -> None:
    assert SearchWords("Volodymyr Zelensky", ("Zelenskyy",)).meta() == {"names": "Zelenskyy"}
    assert SearchWords("Two-day truce").meta() == {}


def test_a_place_and_its_country_are_names_each() -> None:
    assert SearchWords("Second round", ("Istanbul, Turkey",)).meta() == {"names": "Istanbul Turkey"}


def test_variants_are_search_words_apart_from_the_aliases(model: Model) -> None:
    actor = model.actors["volodymyr-zelensky"]
    assert "Zelenskyy" in actor.search_variants and "Zelenskyy" not in actor.aliases
    words = BY_NAME["actors"].search_words(actor)
    assert "Zelenskyy" in words.meta()["names"].split()
    ukraine = BY_NAME["actors"].search_words(model.actors["ukraine"])
    assert ukraine.names == ("Kyiv", "Kiev")  # the source's alias, then the variant


def test_a_person_is_found_by_their_surname(model: Model) -> None:
    trump = BY_NAME["actors"].search_words(model.actors["donald-trump"])
    assert "Trump" in trump.meta()["names"].split()
    russia = BY_NAME["actors"].search_words(model.actors["russia"])
    assert russia.meta()["names"].split()[0] == "Russia"  # a state: its one-word name, no more


def test_a_rounds_place_is_one_of_its_names(model: Model) -> None:
    words = BY_NAME["rounds"].search_words(model.rounds["round-2"])
    assert "Istanbul" in words.meta()["names"].split()


def test_the_words_go_into_an_empty_element_at_the_end_of_the_article() -> None:
    page = '<article class="md-content"><h1>X</h1><article>inner</article></article><footer>'
    words = SearchWords("X", ('"quoted" <b>',), ("k",))
    out = with_meta(page, words)
    assert out.endswith("</article><footer>")
    element = re.search(r"<span data-pagefind-meta=[^>]*></span></article><footer>$", out)
    assert element, out
    assert 'data-aliases="&quot;quoted&quot; &lt;b&gt;"' in element[0]  # escaped, as one value
    fields = "names[data-names], aliases[data-aliases], keywords[data-keywords]"
    assert f'data-pagefind-meta="{fields}"' in element[0]
    assert with_meta(page, None) == page == with_meta(page, SearchWords("Two words"))
    with pytest.raises(ValueError, match="no <article>"):
        with_meta("<main>x</main>", words)


def test_index_site_indexes_the_pages_given_with_their_words(tmp_path: Path) -> None:
    site = tmp_path / "site"
    pages = {"a/": "Alpha", "b/": "Beta", "skipped/": "Gamma"}
    for url, title in pages.items():
        (site / url).mkdir(parents=True)
        body = f"<h1>{title}</h1><p>Text of {title}.</p><nav>menu</nav>"
        (site / url / "index.html").write_text(
            f"<html><body><article>{body}</article><footer>foot</footer></body></html>"
        )
    given = [
        IndexedPage(site / "a" / "index.html", "a/", SearchWords("Alpha", ("Alfa",))),
        IndexedPage(site / "b" / "index.html", "b/"),
    ]
    report = index_site(site, given)
    assert report.pages == 2
    fragments = pagefind_fragments(site)
    assert set(fragments) == {"/a/", "/b/"}
    assert fragments["/a/"]["meta"] == {"title": "Alpha", "names": "Alpha Alfa"}
    assert "foot" not in fragments["/a/"]["content"]  # the article only
    assert "Alfa" not in fragments["/a/"]["content"]  # metadata, never part of an excerpt
    assert "Alfa" not in (site / "a" / "index.html").read_text()  # the page is as built
    assert not list(tmp_path.glob(".pagefind-*"))  # its working copy is gone


def test_the_site_is_indexed_but_not_its_lists(site: Path, model: Model) -> None:
    fragments = pagefind_fragments(site)
    entity_pages = {f"/{kind}/{i}/" for kind in BY_NAME for i in model.entities(kind)}
    assert entity_pages <= set(fragments)
    assert {"/", "/timeline/", "/about/"} <= set(fragments)
    assert not set(fragments) & {"/stances/", "/actors/", "/demands/", "/rounds/", "/sources/"}
    assert (site / "pagefind" / "pagefind-component-ui.js").is_file()


def test_no_page_shows_a_variant_and_only_its_page_is_found_by_it(site: Path, model: Model) -> None:
    """A variant is not the source's words: no page prints it (the data-format page names two as
    examples of the field), and only its own page's entry in the index holds it, as metadata."""
    variants = {
        (f"/{kind}/{entity_id}/", variant)
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
    fragments = pagefind_fragments(site)
    holders = {
        (url, word)
        for url, fragment in fragments.items()
        for field in ("names", "aliases")
        for word in fragment["meta"].get(field, "").split()
    }
    assert {(url, v) for url, v in variants if " " not in v} <= holders
    in_text = [
        (url, v) for url, v in variants for f in fragments.values() if v in f["content"].split()
    ]
    assert not [hit for hit in in_text if hit[0] != "/data-format/"]


def test_no_noise_in_the_results(site: Path) -> None:
    """What is there for machines stays out of what search shows: the JSON link's text, the
    headings' ¶ links, code."""
    fragments = pagefind_fragments(site)
    entity = {url: f for url, f in fragments.items() if url.split("/")[1] in BY_NAME}
    assert len(entity) > 30
    assert not [url for url, f in entity.items() if "JSON" in f["content"]]
    assert not [url for url, f in entity.items() if "¶" in f["content"]]
    assert not [url for url, f in fragments.items() if "Search words" in f["content"]]


def test_a_failing_pagefind_stops_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pagefind_bin

    monkeypatch.setattr(pagefind_bin, "get_executable", lambda: Path("/bin/false"))
    (tmp_path / "site").mkdir()
    with pytest.raises(RuntimeError, match=r"^exit status 1$"):
        index_site(tmp_path / "site", [])
