"""Stance diagrams as a reader sees them: the whole diagram in its box, both sides visible, text
legible, at desktop and phone widths."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

MEASURE = """figure => {
    const shown = s => getComputedStyle(s).display !== "none";
    const svg = [...figure.querySelectorAll("svg")].find(shown);
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    const nodes = [...svg.querySelectorAll("a rect")].map(r => r.getBoundingClientRect());
    return {
        layout: svg.getAttribute("class"),
        overflows: figure.scrollWidth > figure.clientWidth + 1,
        inside: nodes.every(n => n.left >= box.left - 1 && n.right <= box.right + 1),
        fontPx: parseFloat(getComputedStyle(svg).fontSize) * scale,
        sides: new Set([...svg.querySelectorAll("a g")].map(g => g.classList[1])).size,
    };
}"""


@pytest.mark.parametrize(("width", "layout"), [(1280, "wide"), (390, "narrow")])
def test_the_whole_diagram_fits_and_reads_at_every_width(page: Page, width: int, layout: str):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("demands/unconditional-ceasefire/")
    shown = page.locator("figure.stance-diagram").evaluate(MEASURE)
    assert shown["layout"] == layout
    assert not shown["overflows"] and shown["inside"], shown
    assert shown["fontPx"] >= 12, shown
    assert shown["sides"] >= 3  # made, supports and rejects: no side cut off
