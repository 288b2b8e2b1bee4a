"""The real site, built once: every entity page, citation, relation and source line holds."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest

from macros.model import KINDS, load_model
from sitetools import ROOT, SOURCE_ID, article

MODEL = load_model(ROOT / "data")
ENTITY_PAGES = [(kind, entity_id) for kind in KINDS for entity_id in MODEL.entities(kind)]


def resolve(site: Path, page: Path, href: str) -> tuple[Path, str]:
    """The built file an internal link of `page` points to, and its anchor."""
    url, anchor = urldefrag(urljoin(page.relative_to(site).as_posix(), href))
    target = site / url
    return (target / "index.html" if url.endswith("/") or not url else target), anchor


def source_lines(source_id: str) -> list[str]:
    return list(MODEL.sources[source_id].lines)


def test_the_real_data_has_enough_to_prove_the_engine():
    assert len(MODEL.actors) >= 4 and len(MODEL.demands) >= 4 and len(MODEL.rounds) >= 2


SHARED_ARTICLE = ROOT.parent / "shared" / "source-article.txt"


@pytest.mark.skipif(not SHARED_ARTICLE.exists(), reason="../shared/ is not beside the project")
def test_the_source_is_the_shared_article_verbatim():
    shared = SHARED_ARTICLE
    ours = (ROOT / "data" / "sources" / f"{SOURCE_ID}.txt").read_bytes()
    assert ours == shared.read_bytes()
    assert len(source_lines(SOURCE_ID)) == 25


@pytest.mark.parametrize(("kind", "entity_id"), ENTITY_PAGES)
def test_every_citation_links_to_a_line_that_holds_its_quote(site, kind, entity_id):
    page = site / kind / entity_id / "index.html"
    citations = article(page).select("span.citation")
    assert citations, f"{kind}/{entity_id} cites nothing"
    for citation in citations:
        quote = citation.q.get_text()
        target, anchor = resolve(site, page, citation.select_one("a.cite")["href"])
        assert target.parent.parent == site / "sources", target
        line = article(target).find(id=anchor)
        assert line is not None, f"{target} has no #{anchor}"
        assert quote.strip() and quote in line.get_text(), (quote, line.get_text())


@pytest.mark.parametrize("source_id", sorted(MODEL.sources))
def test_each_source_line_is_its_own_anchor_holding_the_text_verbatim(site, source_id):
    page = article(site / "sources" / source_id / "index.html")
    lines = source_lines(source_id)
    for n, text in enumerate(lines, 1):
        assert page.find(id=f"L{n}").get_text() == text
    assert page.find(id=f"L{len(lines) + 1}") is None


def test_every_internal_link_on_every_page_resolves(site):
    pages = list(site.rglob("index.html"))
    assert len(pages) > len(ENTITY_PAGES)
    for page in pages:
        for a in article(page).select("a[href]"):
            href = a["href"]
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            target, anchor = resolve(site, page, href)
            assert target.exists(), f"{page}: {href}"
            if anchor:
                assert article(target).find(id=anchor), f"{page}: {href}"


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


def test_relations_link_both_ways(site):
    checked = 0
    for demand_id, demand in MODEL.demands.items():
        out = links_to(site, "demands", demand_id)
        for stance in demand.stances:
            assert f"actors/{stance.actor}" in out
            assert f"demands/{demand_id}" in links_to(site, "actors", stance.actor)
            checked += 1
        for mention in demand.raised_in:
            assert f"rounds/{mention.round}" in out
            assert f"demands/{demand_id}" in links_to(site, "rounds", mention.round)
            checked += 1
    for round_id, round_ in MODEL.rounds.items():
        for delegation in round_.delegations:
            for actor in filter(None, (delegation.actor, delegation.led_by)):
                assert f"actors/{actor}" in links_to(site, "rounds", round_id)
                assert f"rounds/{round_id}" in links_to(site, "actors", actor)
                checked += 1
    assert checked >= 10


@pytest.mark.parametrize("kind", ["sources", *KINDS])
def test_each_index_page_lists_every_entity_of_its_kind(site, kind):
    page = site / kind / "index.html"
    listed = {resolve(site, page, a["href"])[0].parent.name for a in article(page).select("a")}
    assert set(MODEL.entities(kind)) <= listed


def test_entity_pages_stay_out_of_the_navigation(site):
    nav = article(site / "index.html").find_parent("body").select_one("nav.md-nav--primary")
    hrefs = [a["href"] for a in nav.select("a[href]")]
    assert not any(entity_id in href for _, entity_id in ENTITY_PAGES for href in hrefs)


def test_no_request_leaves_the_site_for_fonts(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html


def test_the_build_writes_nothing_into_docs():
    tracked = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*")}
    assert not any(p.startswith(KINDS) for p in tracked), tracked
