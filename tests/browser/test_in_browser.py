"""The built site as a reader meets it in Chromium: search, citation links, requests (axe-core
on every page: test_reader_ui.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from macros.model.store import Model
from sitetools import SOURCE_ID, type_search

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

# The home page and one page of each kind, as paths below the site's root.
PAGES = {
    "home": "",
    "actor": "actors/vladimir-medinsky/",
    "demand": "demands/army-size-limit/",
    "round": "rounds/round-2/",
    "source": f"sources/{SOURCE_ID}/",
    "index": "demands/",
}


def search_terms(model: Model) -> list[tuple[str, str]]:
    """Words the data says search should know: each actor's aliases, each demand's keywords."""
    terms = [(w, f"/actors/{id_}/") for id_, actor in model.actors.items() for w in actor.aliases]
    terms += [(w, f"/demands/{id_}/") for id_, d in model.demands.items() for w in d.keywords]
    return terms


LISTED = ".md-search-result__list > li"  # one item for each page found, its sections inside
# mkdocs-material lists 10 results, then 4 more each time the reader scrolls to the end of the list.
# With `wanted` (a path), it stops as soon as a result leads there.
SCROLL_TO_THE_END = """async (wrap, [total, wanted]) => {
    const listed = () => wrap.querySelectorAll(".md-search-result__list > li").length;
    const found = () => wanted && [...wrap.querySelectorAll(".md-search-result__list > li > a")]
        .some(a => new URL(a.href).pathname === wanted);
    const frame = () => new Promise(done => requestAnimationFrame(done));
    const settle = async () => { for (let n = 0; n < 3; n++) await frame(); };
    for (let tries = 0; listed() < total && !found() && tries < 100; tries++) {
        wrap.scrollTo(0, 0);  // leave the end and come back, as a reader would
        await settle();
        wrap.scrollTo(0, wrap.scrollHeight);
        await settle();
    }
    return listed();
}"""


def search(page: Page, query: str, wanted: str = "") -> list[str]:
    """Type `query` into the search box at the top; the paths of all result pages, in order
    (with `wanted`, of those up to the first that leads there)."""
    meta = type_search(page, query)
    count = meta.inner_text().split()[0]  # "No matching documents", "3 matching documents"
    total = int(count) if count.isdigit() else 0
    shown = page.locator(".md-search__scrollwrap").evaluate(SCROLL_TO_THE_END, [total, wanted])
    if not wanted:
        assert shown == total, f"{query!r}: {shown} of {total} listed, however far one scrolls"
    paths = page.locator(f"{LISTED} > a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    return list(dict.fromkeys(paths))  # an item may link its page, then its first section


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Medinsky", "/actors/vladimir-medinsky/"),  # a name
        ("Kremlin", "/actors/russia/"),  # aliases
        ("Moscow", "/actors/russia/"),
        ("Kyiv", "/actors/ukraine/"),
    ],
)
def test_search_finds_the_page(page: Page, query: str, expected: str) -> None:
    page.goto("")
    assert expected in search(page, query)


def test_search_finds_each_page_by_its_aliases_and_keywords(page: Page, model: Model) -> None:
    page.goto("")
    missed = []
    for word, expected in search_terms(model):
        if expected not in search(page, word, wanted=expected):
            missed.append(f"{word!r} does not find {expected}")
    assert not missed, "\n".join(missed)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Medinsky", "/actors/vladimir-medinsky/"),
        ("Kremlin", "/actors/russia/"),
        ("army", "/demands/army-size-limit/"),
    ],
)
def test_search_shows_the_page_first(page: Page, query: str, expected: str) -> None:
    page.goto("")
    assert search(page, query)[:1] == [expected]


# A desktop and a phone: the sticky header must not hide the line on either.
@pytest.mark.parametrize("size", [(1280, 720), (390, 844)], ids=["desktop", "phone"])
def test_a_citation_click_shows_the_cited_line(page: Page, size: tuple[int, int]) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    # Its first citation is to an early line: the page can scroll it up under the header.
    page.goto("demands/unconditional-ceasefire/")
    citation = page.locator("article span.citation").first
    quote = citation.locator("q").inner_text()
    citation.locator("a.cite").click()
    page.wait_for_url(re.compile(rf"/sources/{SOURCE_ID}/#L\d+$"))

    line = page.locator(f"[id='{urlsplit(page.url).fragment}']")
    assert quote in line.inner_text()
    seen = line.evaluate(
        """line => {
            const box = line.getBoundingClientRect();
            const atItsStart = document.elementFromPoint(box.left + 2, box.top + 2);
            return {
                top: box.top,
                bottom: box.bottom,
                headerBottom: document.querySelector(".md-header").getBoundingClientRect().bottom,
                height: innerHeight,
                uncovered: line.contains(atItsStart),
                target: line.matches(":target"),
            };
        }"""
    )
    assert seen["headerBottom"] <= seen["top"] and seen["bottom"] <= seen["height"], seen
    assert seen["uncovered"], seen
    assert seen["target"], seen


def test_no_request_leaves_the_loopback_host(page: Page) -> None:
    urls: list[str] = []
    page.context.on("request", lambda request: urls.append(request.url))
    page.context.route("**/*", refuse_offsite)  # fail fast instead of waiting on a dead network
    for path in PAGES.values():
        page.goto(path, wait_until="networkidle")
    search(page, "ceasefire")
    page.wait_for_load_state("networkidle")

    assert len(urls) > len(PAGES)
    assert not [url for url in urls if offsite(url)]


def offsite(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in ("data", "blob") and parts.hostname != "127.0.0.1"


def refuse_offsite(route: Route) -> None:
    if offsite(route.request.url):
        route.abort()
    else:
        route.continue_()
