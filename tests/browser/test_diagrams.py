"""Stance diagrams as a reader sees them: the whole diagram in its box, both sides visible, text
legible, at desktop and phone widths."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from macros.model.store import Model

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
def test_the_whole_diagram_fits_and_reads_at_every_width(
    page: Page, model: Model, width: int, layout: str
):
    # The demand with the most stances: the widest diagram of the data, whatever the data says.
    demand_id, demand = max(model.demands.items(), key=lambda item: len(item[1].stances))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"demands/{demand_id}/")
    shown = page.locator("figure.stance-diagram").evaluate(MEASURE)
    assert shown["layout"] == layout
    assert not shown["overflows"] and shown["inside"], shown
    assert shown["fontPx"] >= 12, shown
    # Every side of the demand is drawn: none cut off (made, supports, rejects...).
    assert shown["sides"] == len({s.stance for s in demand.stances}), shown
