"""The real site, built once: every entity page, citation, relation and source line holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros import wording
from macros.model.schema import Cited
from macros.model.store import walk
from sitetools import (
    PAGE_KINDS,
    ROOT,
    article,
    check_redirects,
    entity_pages,
    resolve,
    soup,
)


def test_the_real_data_has_enough_to_prove_the_engine(model):
    assert len(model.actors) >= 4 and len(model.demands) >= 4 and len(model.rounds) >= 2


def test_every_citation_links_to_a_line_that_holds_its_quote(site, model):
    for kind, entity_id in entity_pages(model):
        page = site / kind / entity_id / "index.html"
        citations = article(page).select("span.citation")
        assert citations, f"{kind}/{entity_id} cites nothing"
        for citation in citations:
            quote = citation.q.get_text()
            link = citation.select_one("a.cite")
            assert " of " in link.get_text()  # named by line and source, for screen readers
            target, anchor = resolve(site, page, link["href"])
            assert target.parent.parent == site / "sources", target
            line = article(target).find(id=anchor)
            assert line is not None, f"{target} has no #{anchor}"
            assert quote.strip() and quote in line.get_text(), (quote, line.get_text())


def test_each_source_line_is_its_own_anchor_holding_the_text_verbatim(site, model):
    for source_id, source in model.sources.items():
        page = article(site / "sources" / source_id / "index.html")
        for n, text in enumerate(source.lines, 1):
            assert page.find(id=f"L{n}").get_text() == text
        assert page.find(id=f"L{len(source.lines) + 1}") is None


def test_every_former_id_redirects_to_its_page(site, model):
    """The one test of the rename redirect (the ledger's side: test_links.py), on the data's own
    renames; links and anchors are lychee's (test_integrity.py)."""
    formerly = [old for kind, i in entity_pages(model) for old in model.entities(kind)[i].formerly]
    assert check_redirects(site, model) == len(formerly)


def links_to(site: Path, kind: str, entity_id: str) -> set[str]:
    """The pages (as kind/id) that a page links to."""
    page = site / kind / entity_id / "index.html"
    found = set()
    for a in article(page).select("a[href]"):
        target, _ = resolve(site, page, a["href"])
        rel = target.parent.relative_to(site).as_posix()
        if rel.count("/") == 1:
            found.add(rel)
    return found


def test_relations_link_both_ways(site, model):
    checked = 0
    for demand_id, demand in model.demands.items():
        out = links_to(site, "demands", demand_id)
        for stance in demand.stances:
            assert f"actors/{stance.actor}" in out
            assert f"demands/{demand_id}" in links_to(site, "actors", stance.actor)
            checked += 1
        for mention in demand.raised_in:
            assert f"rounds/{mention.round}" in out
            assert f"demands/{demand_id}" in links_to(site, "rounds", mention.round)
            checked += 1
    for round_id, round_ in model.rounds.items():
        for delegation in round_.delegations:
            for actor in filter(None, (delegation.actor, delegation.led_by)):
                assert f"actors/{actor}" in links_to(site, "rounds", round_id)
                assert f"rounds/{round_id}" in links_to(site, "actors", actor)
                checked += 1
    assert checked, "no relation in the data to check"


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_each_index_page_lists_every_entity_of_its_kind(site, model, kind):
    page = site / kind / "index.html"
    listed = {resolve(site, page, a["href"])[0].parent.name for a in article(page).select("a")}
    assert set(model.entities(kind)) <= listed


def test_entity_pages_stay_out_of_the_navigation(site, model):
    nav = article(site / "index.html").find_parent("body").select_one("nav.md-nav--primary")
    hrefs = [a["href"] for a in nav.select("a[href]")]
    assert not any(entity_id in href for _, entity_id in entity_pages(model) for href in hrefs)


def test_no_request_leaves_the_site_for_fonts(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html


def test_the_build_writes_nothing_into_docs(site):
    assert (site / "demands" / "index.html").exists()  # the build ran, and made its pages
    tracked = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*")}
    assert not any(p.startswith(tuple(PAGE_KINDS)) for p in tracked), tracked


def test_no_page_has_an_id_twice(site):
    """An id is an anchor: twice on a page, a link to it is ambiguous (and the HTML invalid)."""
    for page in site.rglob("*.html"):
        ids = [element["id"] for element in soup(page).select("[id]")]
        assert len(ids) == len(set(ids)), (page, sorted({i for i in ids if ids.count(i) > 1}))


def test_every_claim_says_whose_words_it_is_wherever_it_appears(site, model):
    """A fact or relation the source reports as someone's names them in its own row or item, on
    every page that shows it (a relation: on both its pages): in "according to …", or in its own
    words where they already say whose they are, or as the holder of a stance saying so itself."""
    voiced: dict[str, set[tuple[str, ...]]] = {}
    for _kind, _id, document in model.documents():
        for _path, node in walk(document):
            if isinstance(node, Cited) and node.id:
                voiced.setdefault(node.id, set()).add(node.according_to)
    expected = {
        anchor: list(voices.pop())
        for anchor, voices in voiced.items()
        if len(voices) == 1 and next(iter(voices))  # one voice for the id wherever it stands
    }
    checked = set()
    pages = [f"{kind}/{entity_id}" for kind, entity_id in entity_pages(model)] + ["timeline"]
    for shown_on in pages:
        page = article(site / shown_on / "index.html")
        for anchor, names in expected.items():
            element = page.find(id=anchor)
            if element is None or "alias" in element.get("class", []):
                continue
            shown = element if element.name in ("tr", "li", "p") else element.find_parent("tr")
            text = " ".join(shown.get_text(" ").split())
            assert all(wording.named_in(model.actors, a, text) for a in names), (shown_on, text)
            checked.add(anchor)
    assert checked == set(expected)  # each is on its own page at least


@pytest.mark.parametrize("listing", ["index.html", "demands/index.html", "stances/index.html"])
def test_lists_and_tables_say_whose_words_each_stance_is(site, model, listing):
    """The home page's status lines, the demands table and the stance matrix: each demand's
    row or line names the speakers of its stances that the source reports as someone's."""
    page = site / listing
    rows = {}  # a demand's row or line: the one its leading link is in
    for a in article(page).select("tr > th a[href], li > strong:first-child > a[href]"):
        target, _ = resolve(site, page, a["href"])
        if target.parent.parent.name == "demands":
            rows[target.parent.name] = a.find_parent(["tr", "li"])
    for demand_id, demand in model.demands.items():
        voiced = [s for s in demand.stances if s.according_to]
        if not voiced:
            continue
        assert demand_id in rows, f"{listing} has no row or line for {demand_id}"
        text = " ".join(rows[demand_id].get_text(" ").split())
        for stance in voiced:
            named = [wording.named_in(model.actors, a, text) for a in stance.according_to]
            assert all(named), text


def test_a_source_page_says_whose_words_each_reported_part_of_a_line_is(site, model):
    for source_id, source in model.sources.items():
        page = article(site / "sources" / source_id / "index.html")
        for frame in source.meta.frames:
            item = page.find(id=f"L{frame.line}").find_parent("li")
            voices = " ".join(item.select_one(".voices").get_text(" ").split())
            speakers = [model.actors[a].name for a in frame.according_to] or ["the text's own"]
            assert f"“{' '.join(frame.span.split())}”" in voices, voices
            assert all(s in voices for s in speakers), voices
