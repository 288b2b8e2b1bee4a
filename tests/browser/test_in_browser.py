"""The built site as a reader meets it in Chromium: search, citation links, requests (axe-core
on every page: test_reader_ui.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from macros.kinds import load
from macros.model.store import Model
from sitetools import (
    ROOT,
    SEARCH_BOX,
    SEARCH_BUTTON,
    SEARCH_LIST,
    SEARCH_RESULT,
    result_paths,
    type_search,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

DATA = load(ROOT / "data")  # what the pages below are chosen from, at collection
# The home page, an index and the first page of each kind, as paths below the site's root.
PAGES = {"home": "", "index": "demands/"} | {
    kind: f"{kind}/{next(iter(DATA.entities(kind)))}/" for kind in DATA.by_kind
}
# The article's names, which its search checks below expect to find.


def article_page(path: str) -> str:
    """A page of the first article's data, which these search checks are bound to."""
    kind, entity_id = path.strip("/").split("/")
    if entity_id not in DATA.entities(kind):
        pytest.skip(f"data/ has no {path}: this search check is bound to the article's data")
    return path


def search_terms(model: Model) -> list[tuple[str, str]]:
    """Words the data says search should know: each actor's aliases, each demand's keywords."""
    terms = [(w, f"/actors/{id_}/") for id_, actor in model.actors.items() for w in actor.aliases]
    terms += [(w, f"/demands/{id_}/") for id_, d in model.demands.items() for w in d.keywords]
    return terms


def search(page: Page, query: str, wanted: str = "") -> list[str]:
    """Type `query` into the search box at the top; the paths of all result pages, in order
    (with `wanted`, of those up to the first that leads there)."""
    return result_paths(page, type_search(page, query), until=wanted)


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
    assert article_page(expected) in search(page, query)


# Every word at once, through Pagefind's own script (the interface's is tested by the query set):
# the paths of all the pages each finds.
FIND_ALL = """async words => {
    const pagefind = await import(new URL("pagefind/pagefind.js", location.href).href);
    const found = {};
    for (const word of words) {
        const search = await pagefind.search(word);
        const pages = await Promise.all(search.results.map(r => r.data()));
        found[word] = pages.map(p => p.url);
    }
    return found;
}"""


def test_search_finds_each_page_by_its_aliases_and_keywords(page: Page, model: Model) -> None:
    page.goto("")
    terms = search_terms(model)
    found = page.evaluate(FIND_ALL, sorted({word for word, _ in terms}))
    missed = [f"{w!r} does not find {path}" for w, path in terms if path not in found[w]]
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
    assert search(page, query)[:1] == [article_page(expected)]


def test_a_search_lists_its_first_results_and_says_that_there_are_more(page: Page) -> None:
    """The list holds at most `max-results` (set lower here, the data being small); the
    count says how many were found, and a line below that only the first are listed."""
    page.goto("")
    found = type_search(page, "the")  # made a new search below, with the list's limit lowered
    assert found > 2, "a word every page holds finds more than two"
    assert int(page.locator(SEARCH_LIST).get_attribute("max-results") or 0) >= 20, "a limit"
    page.locator(SEARCH_LIST).evaluate("list => list.setAttribute('max-results', '2')")
    page.locator(SEARCH_BOX).fill("")
    assert type_search(page, "the") == found  # the count: all of them
    assert len(result_paths(page, found)) == 2
    assert page.locator(SEARCH_RESULT).count() == 2
    more = page.locator(".search-more")
    more.wait_for(state="visible")
    assert more.inner_text() == "The first 2 are listed: add a word to narrow the search."
    page.locator(SEARCH_LIST).evaluate(f"list => list.setAttribute('max-results', '{found}')")
    type_search(page, "the")  # all listed: no such line
    assert more.is_hidden()


DIALOG = "pagefind-modal dialog"


@pytest.mark.parametrize("key", ["/", "s", "f"])
def test_the_themes_shortcuts_open_the_search_and_escape_closes_it(page: Page, key: str) -> None:
    page.goto(PAGES["demands"])
    page.locator(SEARCH_BUTTON).wait_for()  # the button is in: the shortcuts are live
    page.keyboard.press(key)
    page.locator(DIALOG).wait_for(state="visible")
    box = page.locator(SEARCH_BOX)
    assert box.evaluate("box => box === document.activeElement")
    assert box.input_value() == ""  # the key opened the search, and was not typed into it
    page.keyboard.press("Escape")
    page.locator(DIALOG).wait_for(state="hidden")


def test_a_shortcut_letter_typed_in_the_search_box_is_only_a_letter(page: Page) -> None:
    page.goto("")
    type_search(page, "sanctions")
    assert page.locator(SEARCH_BOX).input_value() == "sanctions"
    assert search(page, "sanctions")[:3]


def test_the_search_is_used_by_keyboard_alone(page: Page) -> None:
    """Open with "/", type, go down to the first result and open it with Enter; the page it
    opens marks the words searched, in its content only."""
    page.goto("")
    page.locator(SEARCH_BUTTON).wait_for()
    page.keyboard.press("/")
    page.keyboard.type("Kremlin")
    page.locator("pagefind-modal .pf-summary").filter(has_text="for Kremlin").wait_for()
    page.locator("pagefind-modal .pf-result-link").first.wait_for()
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.closest('li.pf-result') !== null")
    assert focused, "ArrowDown does not reach the first result"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/actors/russia/\?highlight=kremlin$", re.I))
    marks = page.locator("mark.pagefind-highlight")
    marks.first.wait_for()
    assert {m.lower() for m in marks.all_inner_texts()} == {"kremlin"}
    assert page.locator("article mark.pagefind-highlight").count() == marks.count()


def test_focus_goes_back_to_the_button_when_the_search_closes(page: Page) -> None:
    page.goto("")
    button = page.locator(SEARCH_BUTTON)
    button.click()
    page.locator(DIALOG).wait_for(state="visible")
    page.keyboard.press("Escape")
    page.locator(DIALOG).wait_for(state="hidden")
    assert button.evaluate("button => button === document.activeElement")


def test_the_search_works_on_a_phone(page: Page) -> None:
    """At 390 px the button is in the header beside the site's name, the dialog fits the
    screen, and a search finds its page."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("")
    button = page.locator(SEARCH_BUTTON)
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    title = page.locator(".md-header__title").bounding_box()
    assert title and title["x"] + title["width"] <= box["x"] + 1  # side by side, no overlap
    actor_id, actor = next(iter(DATA.actors.items()))
    assert f"/actors/{actor_id}/" in search(page, actor.name)
    dialog = page.locator(DIALOG).bounding_box()
    assert dialog and dialog["x"] >= 0 and dialog["x"] + dialog["width"] <= 390


# A desktop and a phone: the sticky header must not hide the line on either.
@pytest.mark.parametrize("size", [(1280, 720), (390, 844)], ids=["desktop", "phone"])
def test_a_citation_click_shows_the_cited_line(page: Page, size: tuple[int, int]) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    # The demand whose first citation is to the earliest line: the page can scroll it up under
    # the header.
    demand = min(DATA.demands, key=lambda d: DATA.demands[d].facts[0].cite[0].line)
    page.goto(f"demands/{demand}/")
    citation = page.locator("article span.citation").first
    quote = citation.locator("q").inner_text()
    citation.locator("a.cite").click()
    page.wait_for_url(re.compile(r"/sources/[a-z0-9-]+/#L\d+$"))

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


def test_no_request_leaves_the_loopback_host(own_page: Page) -> None:
    page = (
        own_page  # a context of its own: the listener and route below stay on it, its cache is cold
    )
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
