"""The reader's pages in Chromium at a desktop's and a phone's width: the home page's status
lines, the demands table's filters and sorting, the stance matrix's labels in view when
scrolled and its quotes opened by keyboard and touch, a source line marking a fact's words,
print addresses, the dark palette, and axe-core on every page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from macros.kinds import load
from macros.model.schema import Citation
from macros.model.store import Model, walk
from macros.wording import voices_to_show
from sitetools import PAGE_KINDS, ROOT, is_redirect

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(params=WIDTHS.values(), ids=WIDTHS.keys())
def sized(page: Page, request: pytest.FixtureRequest) -> Page:
    width, height = request.param
    page.set_viewport_size({"width": width, "height": height})
    return page


def paths(page: Page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("as => as.map(a => new URL(a.href).pathname)")


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= innerWidth + 1")


# -- the home page ------------------------------------------------------------------------------


def test_the_home_page_has_a_line_linking_every_round_and_demand(sized: Page, model: Model):
    sized.goto("")
    leads = ".where-things-stand li > strong:first-child > a"
    shown = paths(sized, leads)
    assert {f"/rounds/{r}/" for r in model.rounds} <= set(shown)
    assert {f"/demands/{d}/" for d in model.demands} <= set(shown)
    # Each is a link a reader can see and reach, within the screen's width.
    for link in sized.locator(leads).all():
        assert link.is_visible()
    assert no_sideways_scroll(sized)


# -- the demands table ---------------------------------------------------------------------------


def visible_rows(page: Page) -> list[str]:
    return paths(page, "#demands-table tbody tr:not([hidden]) th a")


def test_the_demands_table_filters_by_kind_and_actor(sized: Page, model: Model):
    sized.goto("demands/")
    assert len(visible_rows(sized)) == len(model.demands)
    form = sized.locator("form.table-filters")
    form.get_by_label("Kind").select_option("condition")
    conditions = {d for d, demand in model.demands.items() if demand.kind == "condition"}
    assert set(visible_rows(sized)) == {f"/demands/{d}/" for d in conditions}
    form.get_by_label("Actor").select_option("russia")
    wanted = {d for d in conditions if any(s.actor == "russia" for s in model.demands[d].stances)}
    assert wanted and set(visible_rows(sized)) == {f"/demands/{d}/" for d in wanted}
    assert (
        form.locator(".table-count").inner_text() == f"{len(wanted)} of {len(model.demands)} shown"
    )
    form.get_by_label("Kind").select_option("")
    russia = {
        d for d, demand in model.demands.items() if any(s.actor == "russia" for s in demand.stances)
    }
    assert set(visible_rows(sized)) == {f"/demands/{d}/" for d in russia}
    assert no_sideways_scroll(sized)


def test_the_demands_table_sorts_by_a_column(sized: Page, model: Model):
    sized.goto("demands/")
    titles = lambda: sized.locator("#demands-table tbody th a").all_inner_texts()  # noqa: E731
    assert titles() == sorted(titles(), key=str.casefold)
    header = sized.locator("#demands-table thead th").first
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert titles() == sorted(titles(), key=str.casefold, reverse=True)
    kind = sized.locator("#demands-table thead th").nth(1)
    kind.get_by_role("button").click()
    kinds = sized.locator("#demands-table tbody td:nth-of-type(1)").all_inner_texts()
    assert kinds == sorted(kinds)


def test_without_script_the_tables_are_whole_and_plain(
    browser: Browser, base_url: str, model: Model
):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("demands/")
    assert not page.locator("form.table-filters").is_visible()
    assert len(visible_rows(page)) == len(model.demands)
    page.goto("actors/")
    assert page.locator("#actors-table tbody tr").count() == len(model.actors)
    context.close()


# -- the stance matrix ---------------------------------------------------------------------------


def test_on_a_phone_the_matrix_is_a_list_of_every_demand_and_position(page: Page, model: Model):
    """At 390 px the stances are a list (demand, then each side's position with its voice and
    citations), the table hidden: nothing scrolls sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("stances/")
    assert not page.locator(".matrix").is_visible()
    listed = page.locator(".stance-list")
    assert listed.is_visible()
    demands = paths(page, ".stance-demands > li > strong > a")
    assert sorted(demands) == sorted(f"/demands/{d}/" for d in model.demands)
    for demand_id, demand in model.demands.items():
        item = listed.locator(f".stance-demands > li:has(> strong > a[href$='/{demand_id}/'])")
        sides = paths(item, ".stance-entry > a:first-child")
        assert sorted(set(sides)) == sorted({f"/actors/{s.actor}/" for s in demand.stances})
        for stance in demand.stances:  # a holder reporting its own stance is named once
            for speaker in voices_to_show(model.actors, stance.according_to, holder=stance.actor):
                assert f"/actors/{speaker}/" in paths(item, ".according-to a"), demand_id
    assert listed.locator("a.cite").first.is_visible()  # each line, in view without opening
    assert no_sideways_scroll(page)


def test_at_a_desktop_width_the_matrix_grows_with_the_page(page: Page):
    """At 1280 px the table is whole on the page (no box of its own that scrolls), its header
    row in view under the site's header when the page is scrolled to its last row."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("stances/")
    box = page.locator(".matrix")
    assert not page.locator(".stance-list").is_visible()
    sizes = box.evaluate(
        "b => [b.scrollHeight, b.clientHeight, b.scrollWidth, b.clientWidth, innerHeight]"
    )
    assert sizes[0] <= sizes[1] + 1 and sizes[2] <= sizes[3] + 1, sizes  # nothing scrolls inside
    page.locator(".stance-matrix tbody tr").last.scroll_into_view_if_needed()
    seen = page.evaluate(
        """() => {
            const header = document.querySelector(".md-header").getBoundingClientRect();
            const th = [...document.querySelectorAll(".stance-matrix thead th")].pop();
            const r = th.getBoundingClientRect();
            const at = document.elementFromPoint(r.left + 4, r.top + 4);
            return {top: r.top, headerBottom: header.bottom, seen: th.contains(at), y: scrollY};
        }"""
    )
    assert seen["y"] > 0 and abs(seen["top"] - seen["headerBottom"]) <= 2 and seen["seen"], seen
    assert no_sideways_scroll(page)


def test_a_stance_opens_to_its_quote_by_keyboard(page: Page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("stances/")
    stance = page.locator("details.stance").first
    quote = stance.locator("q").first
    assert not quote.is_visible()
    stance.locator("summary").focus()
    page.keyboard.press("Enter")
    assert quote.is_visible()
    link = stance.locator("a.cite").first
    assert link.is_visible() and "of News report" in link.inner_text() + link.text_content()


def test_a_stance_opens_to_its_quote_by_touch(browser: Browser, base_url: str):
    """On a tablet the table's stances open by a tap; on a phone the list shows the quotes."""
    for width, listed in ((800, False), (390, True)):
        context = browser.new_context(
            base_url=base_url,
            viewport={"width": width, "height": 844},
            has_touch=True,
            is_mobile=True,
        )
        page = context.new_page()
        page.goto("stances/")
        if listed:
            assert page.locator(".stance-list q").first.is_visible()
        else:
            stance = page.locator("details.stance").first
            stance.locator("summary").tap()
            assert stance.locator("q").first.is_visible()
        context.close()


# -- a source page -------------------------------------------------------------------------------

HIGHLIGHTED = """() => {
    const h = CSS.highlights.get("cited-part");
    return h ? [...h].map(range => range.toString()) : [];
}"""


def most_cited_line(model: Model) -> tuple[str, int]:
    """The (source, line) cited most often: its "cited by" list is the longest."""
    cited = [
        (n.source, n.line)
        for _, _, document in model.documents()
        for _, n in walk(document)
        if isinstance(n, Citation)
    ]
    return max(sorted(set(cited)), key=cited.count)


def test_a_cited_by_entry_marks_its_own_words(sized: Page, model: Model):
    source, number = most_cited_line(model)
    sized.goto(f"sources/{source}/")
    # The line's notes are closed, so that the text reads straight through: one click opens them.
    sized.locator(f"#L{number} ~ details.line-notes > summary").click()
    entries = sized.locator(f"#L{number} ~ details.line-notes .cited-by a.cited-part")
    first, other = entries.nth(0), entries.nth(min(2, entries.count() - 1))
    first.hover()
    assert sized.evaluate(HIGHLIGHTED) == first.evaluate("a => JSON.parse(a.dataset.quotes)")
    other.focus()
    marked = sized.evaluate(HIGHLIGHTED)
    assert marked == other.evaluate("a => JSON.parse(a.dataset.quotes)")
    assert all(words in sized.locator(f"#L{number}").inner_text() for words in marked)
    other.blur()
    assert sized.evaluate(HIGHLIGHTED) == []


# -- print and palettes --------------------------------------------------------------------------


def test_printing_shows_each_citations_address(page: Page, model: Model):
    demand = min(model.demands)  # any demand page of the data
    page.goto(f"demands/{demand}/")
    page.emulate_media(media="print")
    cite = page.locator("article a.cite").first
    printed = cite.evaluate("a => getComputedStyle(a, '::after').content")
    assert cite.get_attribute("data-address") in printed
    # Built without SITE_URL, the address is completed from the page's own (assets/cite.js):
    # a printed link carries its host.
    assert printed.strip('"').startswith(f" <{page.evaluate('location.origin')}/")
    assert "/sources/" in printed
    # The printout names the site and the page's address (without a search's ?highlight=).
    head = page.locator("article .print-address")
    assert head.is_visible() and head.inner_text().endswith(f"/demands/{demand}/")


def test_the_palette_toggle_switches_light_and_dark(page: Page):
    page.goto("")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    # The theme's toggle: a label in the header for a radio button of each palette.
    page.locator("label.md-header__button[title='Switch to dark mode']").click()
    assert page.evaluate(scheme) == "slate"
    page.reload()  # the choice is kept
    assert page.evaluate(scheme) == "slate"


# -- axe on every page ---------------------------------------------------------------------------


def every_page(site: Path) -> list[str]:
    """Every page of the built site (redirect pages aside), as paths below its root."""
    pages = [p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")]
    pages = [p for p in pages if not is_redirect(site / p / "index.html")]
    return sorted(f"{p}/" if p != "." else "" for p in pages)


DATA = load(ROOT / "data")  # what the pages below are chosen from, at collection
# One page of each template: checked whole (the theme's header and navigation are the same on
# every page), and in the dark palette too: the hand-written pages, the lists, and the first
# page of each kind.
FIRST = {kind: f"{kind}/{next(iter(DATA.entities(kind)))}/" for kind in PAGE_KINDS}
EACH_TEMPLATE = ["", "about/", "data-format/", "stances/", "timeline/", "changes/"]
EACH_TEMPLATE += [f"{kind}/" for kind in PAGE_KINDS] + list(FIRST.values())
# The other pages, in groups that the test workers share out; only their article is checked
# (the rest of the page is the template's, checked above). A test below makes sure that these
# and EACH_TEMPLATE cover every page the build makes.
ENTITY_PAGES = {
    kind: [f"{kind}/{i}/" for i in DATA.entities(kind) if f"{kind}/{i}/" not in EACH_TEMPLATE]
    for kind in PAGE_KINDS
}
ENTITY_PAGES["actors"] += ENTITY_PAGES.pop("rounds") + ENTITY_PAGES.pop("sources")  # the few
# `make test` checks a sample (the home page, a demand and the matrix, whole, at both widths);
# the sweep over every page at both widths and in both palettes is `make sweep`'s (CI runs both).
SAMPLE = ["", FIRST["demands"], "stances/"]
CHECKS = [pytest.param("sample", "light", width, id=f"{width}-sample-light") for width in WIDTHS]
CHECKS += [
    pytest.param(group, scheme, width, id=f"{width}-{group}-{scheme}", marks=pytest.mark.sweep)
    for group, scheme in [("templates", "light"), ("templates", "dark")]
    + [(k, "light") for k in ENTITY_PAGES]
    for width in WIDTHS
]


@pytest.fixture(scope="session")
def axe() -> Any:
    sync_axe = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="axe-playwright-python is not installed: pip install -r requirements-dev.txt",
    )
    return sync_axe.Axe()


def test_the_axe_checks_cover_every_page(site: Path):
    checked = set(EACH_TEMPLATE).union(*ENTITY_PAGES.values())
    unlisted = set(every_page(site)) - checked
    assert not unlisted, f"a new kind of page: add it to EACH_TEMPLATE in {__file__}: {unlisted}"
    assert checked <= set(every_page(site))


@pytest.mark.parametrize(("group", "scheme", "width"), CHECKS)
def test_axe_finds_nothing(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    axe: Any,
    group: str,
    scheme: str,
    width: str,
):
    """axe-core at both widths on every page: one page of each template whole, in both
    palettes; the other pages' articles in the light palette."""
    width, height = WIDTHS[width]
    if scheme == "light":  # a new context's own scheme: the reused tab (conftest.py) will do
        context = None
        page = request.getfixturevalue("page")
        page.set_viewport_size({"width": width, "height": height})
    else:
        context = browser.new_context(
            base_url=base_url, viewport={"width": width, "height": height}, color_scheme=scheme
        )
        page = context.new_page()
    whole = group in ("templates", "sample")
    found = []
    for path in {"templates": EACH_TEMPLATE, "sample": SAMPLE}.get(group) or ENTITY_PAGES[group]:
        page.goto(path)
        palette = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert palette == ("slate" if scheme == "dark" else "default"), path
        report = axe.run(page, context=None if whole else {"include": [["article"]]})
        violations = report.response["violations"]
        found += [
            f"/{path}: {describe(v)}"
            for v in violations  # any rule, at any impact
        ]
    if context:
        context.close()
    assert not found, "\n".join(found)


def describe(violation: dict[str, Any]) -> str:
    """One line for a reader of the failure: the rule, where, and axe's explanation."""
    nodes = violation["nodes"]
    why = nodes[0]["failureSummary"].splitlines()[-1].strip()
    return (
        f"{violation['id']} ({violation['impact']}): {violation['help']}; {len(nodes)} element(s),"
        f" first {nodes[0]['target']}: {why}"
    )
