"""On a phone (390 px) and a desktop (1280 px), issue 26: diagrams that read (every name whole,
at reading size, no line through the boxes), touch targets of 24 by 24 px, and the search's
controls as a phone and a keyboard meet them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from macros.kinds import load
from sitetools import ROOT, SEARCH_BOX, SEARCH_BUTTON, SEARCH_SUMMARY, result_paths, type_search

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from macros.model.store import Model

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
DATA = load(ROOT / "data")


@pytest.fixture(params=WIDTHS.values(), ids=WIDTHS.keys())
def sized(page: Page, request: pytest.FixtureRequest) -> Page:
    width, height = request.param
    page.set_viewport_size({"width": width, "height": height})
    return page


def with_diagram(model: Model) -> list[str]:
    """Every demand and actor page with a diagram: two sides or more."""
    demands = [
        f"demands/{d}/" for d, x in model.demands.items() if len({s.actor for s in x.stances}) > 1
    ]
    related = model.related("stances")
    actors = [f"actors/{a}/" for a in model.actors if len({d for d, _ in related.get(a, [])}) > 1]
    return demands + actors


SHOWN = """figure => {
    const shown = s => getComputedStyle(s).display !== "none";
    const svg = [...figure.querySelectorAll("svg")].find(shown);
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    const rects = [...svg.querySelectorAll("a rect")].map(r => r.getBBox());
    // A line crossing a box's inside reads as a chain through it.
    const through = [...svg.querySelectorAll("line")].filter(line => {
        const [x1, y1, x2, y2] = ["x1", "y1", "x2", "y2"].map(a => line[a].baseVal.value);
        return rects.some(r => [0.25, 0.5, 0.75].some(t => {
            const x = x1 + t * (x2 - x1), y = y1 + t * (y2 - y1);
            return x > r.x + 1 && x < r.x + r.width - 1 && y > r.y + 1 && y < r.y + r.height - 1;
        }));
    }).length;
    return {
        layout: svg.getAttribute("class"),
        texts: [...svg.querySelectorAll("text")].map(t => t.textContent),
        fontPx: parseFloat(getComputedStyle(svg).fontSize) * scale,
        height: box.height,
        through,
    };
}"""


def test_every_diagram_reads_whole_at_reading_size(sized: Page, model: Model):
    """No name cut short ("…"), text between 12 and 20 px, no line through a box, and on a
    phone no diagram taller than a screen and a quarter."""
    width, height = sized.viewport_size["width"], sized.viewport_size["height"]
    pages = with_diagram(model)
    assert pages
    for path in pages:
        sized.goto(path)
        shown = sized.locator("figure.stance-diagram").evaluate(SHOWN)
        assert shown["layout"] == ("narrow" if width < 700 else "wide"), path
        assert not [t for t in shown["texts"] if "…" in t], (path, shown["texts"])
        assert 12 <= shown["fontPx"] <= 20, (path, shown)
        assert shown["through"] == 0, (path, shown)
        if width < 700:
            assert shown["height"] <= 1.25 * height, (path, shown["height"])


def test_each_name_stands_whole_in_its_diagram(page: Page, model: Model):
    """The longest demand title is in the actor's diagram word for word (Crimea included)."""
    related = model.related("stances")
    actor = max(model.actors, key=lambda a: len(related.get(a, [])))
    longest = max((model.demands[d].title for d, _ in related.get(actor, [])), key=len)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"actors/{actor}/")
        shown = page.locator("figure.stance-diagram").evaluate(SHOWN)
        assert longest in " ".join(shown["texts"]), (width, longest)


def test_no_diagram_where_one_side_stands_alone(page: Page, model: Model):
    alone = [d for d, x in model.demands.items() if len({s.actor for s in x.stances}) == 1]
    assert alone
    page.goto(f"demands/{alone[0]}/")
    assert page.locator("figure.stance-diagram").count() == 0
    assert page.locator(".relations").count() >= 1  # the table still says who stands where


TARGETS = "article :is(a.permalink, button.cite-button, a.cite, a.original, details.stance summary)"
MEASURED = """els => els.filter(e => e.getClientRects().length).map(e => {
    const r = e.getBoundingClientRect();
    return [e.className || e.tagName, r.width, r.height, e.getClientRects().length, e.textContent];
})"""


def busiest_pages() -> list[str]:
    """The pages with the most controls, from the data: the demand and the actor with the most
    stances, the latest round, the matrix and the home page."""
    stances = DATA.related("stances")
    pages = ["stances/", ""]
    if DATA.demands:
        demand = max(DATA.demands, key=lambda d: (len(DATA.demands[d].stances), d))
        pages.append(f"demands/{demand}/")
    if stances:
        pages.append(f"actors/{max(stances, key=lambda a: (len(stances[a]), a))}/")
    if DATA.rounds:
        pages.append(f"rounds/{max(DATA.rounds, key=lambda r: DATA.rounds[r].sequence)}/")
    return pages


@pytest.mark.parametrize("path", busiest_pages())
def test_every_control_is_at_least_24_px_square(sized: Page, path: str):
    sized.goto(path)
    found = sized.locator(TARGETS).evaluate_all(MEASURED)
    assert found, path
    small = [f for f in found if f[1] < 24 or f[2] < 24]
    assert not small, small[:5]
    broken = [f for f in found if f[3] > 1]  # "line" and "22" on two lines
    assert not broken, broken[:5]
    assert sized.evaluate("document.scrollingElement.scrollWidth <= innerWidth + 1")


# -- the search, on a phone and by keyboard ---------------------------------------------------


def test_enter_in_the_search_box_opens_the_first_result(page: Page):
    page.goto("")
    type_search(page, "Kremlin")
    first = result_paths(page, 1, 1)[0]
    page.locator(SEARCH_BOX).press("Enter")
    page.wait_for_url(f"**{first}?highlight=*")


def test_a_phone_shows_no_keyboard_hints(browser: Browser, base_url: str):
    for options in ({"has_touch": True, "is_mobile": True}, {}):
        context = browser.new_context(
            base_url=base_url, viewport={"width": 390, "height": 844}, **options
        )
        page = context.new_page()
        page.goto("")
        trigger = page.locator(SEARCH_BUTTON)
        trigger.wait_for()
        assert "/" not in trigger.inner_text(), trigger.inner_text()
        type_search(page, "ceasefire")
        assert not page.locator("pagefind-keyboard-hints").is_visible()
        page.goto("404.html")  # what a host serves for an address the site lacks
        assert "press" not in page.locator("article").inner_text()
        context.close()


def test_a_desktop_keeps_the_keyboard_hints(page: Page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("404.html")  # what a host serves for an address the site lacks
    assert "press /" in page.locator("article").inner_text()


def test_nothing_found_shows_one_message(page: Page):
    page.goto("")
    assert type_search(page, "Biden") == 0
    page.locator(".search-help").wait_for(state="visible")
    assert not page.locator(SEARCH_SUMMARY).is_visible()
    shown = page.locator("pagefind-modal dialog").inner_text()  # what is visible, as text
    assert shown.count("Nothing found") == 1 and "No results" not in shown, shown


def test_an_excerpt_does_not_open_with_the_kind_word(page: Page, model: Model):
    actor_id, actor = next((i, a) for i, a in model.actors.items() if a.kind == "person")
    page.goto("")
    type_search(page, actor.name)
    result = page.locator("pagefind-modal li.pf-result").filter(
        has=page.locator(f".pf-result-link[href*='/actors/{actor_id}/']")
    )
    excerpt = result.locator(".pf-result-excerpt").inner_text()
    assert not excerpt.split(". ", 1)[-1].startswith(actor.kind), excerpt
    assert f" {actor.kind} " not in f" {excerpt[:60]} ", excerpt
