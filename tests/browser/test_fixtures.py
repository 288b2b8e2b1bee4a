"""The browser fixtures themselves: a reused tab starts each test as a new context would."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitetools import VIEWPORT, Tab

if TYPE_CHECKING:
    from playwright.sync_api import Browser

STATE = """() => ({
    local: localStorage.length,
    session: sessionStorage.length,
    cookies: document.cookie,
    width: innerWidth,
    height: innerHeight,
    print: matchMedia("print").matches,
    dark: matchMedia("(prefers-color-scheme: dark)").matches,
    palette: document.body.getAttribute("data-md-color-scheme"),
    // Stylesheets not fetched whole: from the HTTP cache, or revalidated (a 304, headers only).
    cached: performance.getEntriesByType("resource")
        .filter(r => r.name.endsWith(".css"))
        .filter(r => !(r.encodedBodySize > 0 && r.transferSize > r.encodedBodySize))
        .map(r => r.name),
})"""


def test_a_reused_tab_keeps_nothing_of_the_test_before(browser: Browser, base_url: str) -> None:
    tab = Tab(browser, base_url)
    try:
        page = tab.reset()
        page.goto("")
        fresh = page.evaluate(STATE)
        assert fresh["palette"] == "default" and not fresh["cached"], fresh
        # What a test may leave behind: the dark palette chosen (kept in storage), a cookie,
        # session storage, the site's files in the HTTP cache, a phone's viewport, print media.
        page.locator("label.md-header__button[title='Switch to dark mode']").click()
        page.evaluate("() => { document.cookie = 'x=1'; sessionStorage.setItem('x', '1'); }")
        page.goto("demands/")
        page.set_viewport_size({"width": 390, "height": 844})
        page.emulate_media(media="print", color_scheme="dark")
        dirty = page.evaluate(STATE)
        assert dirty["local"] and dirty["session"] and dirty["cookies"], dirty
        assert dirty["palette"] == "slate" and dirty["cached"], dirty  # its CSS, from the cache
        assert dirty["print"] and dirty["dark"] and dirty["width"] == 390, dirty
        page = tab.reset()
        page.goto("")
        assert page.evaluate(STATE) == fresh
        assert {"width": fresh["width"], "height": fresh["height"]} == VIEWPORT
    finally:
        tab.close()
