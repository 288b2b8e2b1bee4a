"""The macros that page stubs (and the home and data-format pages) call, registered with
mkdocs-macros: each renders from the build's renderer for the page calling it, its HTML blocks
set aside from Python-Markdown (`blocks.py`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import pass_context

from macros import kinds
from macros.blocks import HtmlBlocks
from macros.render import Here, Renderer, data_format_page


def page_macros(
    renderer: Callable[[], Renderer | None], blocks: HtmlBlocks, data_changed: Callable[[], str]
) -> dict[str, Callable[..., str]]:
    """The macros by name; `renderer` gives the build's (None before the data is loaded, or
    while `serve` has no valid data yet), `data_changed` when data/ last changed."""

    def current() -> Renderer:
        found = renderer()
        if found is None:
            raise RuntimeError("a page macro ran before the data was loaded (on_files)")
        return found

    def page_of(context: Any) -> Here:
        page = context["page"]
        return Here(page.file.src_uri, page.url)

    def set_aside(context: Any, markdown: str) -> str:
        return blocks.set_aside(context["page"].file.src_uri, markdown)

    @pass_context
    def render(context: Any, kind: str, entity_id: str) -> str:
        """The Markdown of one entity's page."""
        return set_aside(context, current().page(kind, entity_id, page_of(context)))

    @pass_context
    def render_index(context: Any, kind: str) -> str:
        """The Markdown of the index page that lists every entity of a kind."""
        return set_aside(context, current().index(kind, page_of(context)))

    @pass_context
    def render_view(context: Any, name: str) -> str:
        """The Markdown of a page drawn from all the data: stances or timeline."""
        view = next(v for v in kinds.VIEWS if v.name == name)
        return set_aside(context, current().view_page(view, page_of(context)))

    @pass_context
    def where_things_stand(context: Any) -> str:
        """The Markdown of the home page's summary of the data (nothing while `serve` has no
        valid data yet: the page shows the problems instead)."""
        if renderer() is None:
            return ""
        return set_aside(context, current().home(page_of(context), data_changed()))

    @pass_context
    def data_format_reference(context: Any) -> str:
        """The reference of every field of every data file, generated from the schema."""
        return set_aside(context, data_format_page())

    macros = (render, render_index, render_view, where_things_stand, data_format_reference)
    return {f.__name__: f for f in macros}
