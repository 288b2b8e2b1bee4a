"""The macros the hand-written pages call (the home page's summary, the data format's field
reference), registered with mkdocs-macros, which renders only the pages whose front matter says
`render_macros: true`: each renders from the build's renderer for the page calling it, its HTML
blocks set aside from Python-Markdown (`blocks.py`). Generated pages are rendered by the build
itself (`SiteBuild.on_page_markdown`), never as templates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import pass_context

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

    macros = (where_things_stand, data_format_reference)
    return {f.__name__: f for f in macros}
