"""What a keyboard or screen reader user meets: the closed drawer holds no Tab stop, each
scrolling table box has a name of its own, and each button's name begins with what it says."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from macros.model.store import Model

PHONE = {"width": 390, "height": 844}
IN_DRAWER = "el => !!el.closest('.md-sidebar--primary')"


def tab_stops(page: Page, count: int) -> list[bool]:
    """For each of the first `count` Tab presses: whether focus landed in the site navigation."""
    landed = []
    for _ in range(count):
        page.keyboard.press("Tab")
        landed.append(page.evaluate(f"({IN_DRAWER})(document.activeElement)"))
    return landed


def test_the_closed_drawer_holds_no_tab_stop_on_a_phone(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("")
    assert not any(tab_stops(page, 15))
    page.locator(".md-header label[for='__drawer']").click()  # opened, it is reached
    page.locator(".md-sidebar--primary a").first.focus()
    assert page.evaluate(f"({IN_DRAWER})(document.activeElement)")


def test_every_scrolling_table_box_has_a_name_of_its_own(page: Page, model: Model):
    page.set_viewport_size(PHONE)
    actor = max(model.actors, key=lambda a: len(model.related("stances").get(a, [])))
    for path in ("demands/", f"actors/{actor}/"):
        page.goto(path)
        boxes = page.locator(".md-typeset__scrollwrap[role=region]")
        names = boxes.evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
        assert len(names) == len(set(names)), (path, names)
        scrolls = boxes.evaluate_all("bs => bs.map(b => b.scrollWidth > b.clientWidth + 1)")
        assert all(scrolls), (path, names)  # a box that does not scroll is no region


def test_the_cite_buttons_name_begins_with_what_it_says(page: Page, model: Model):
    demand = next(iter(model.demands))
    page.goto(f"demands/{demand}/")
    button = page.locator("button.cite-button").first
    assert (button.get_attribute("aria-label") or "").startswith(button.inner_text())
