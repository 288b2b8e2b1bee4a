"""The mkdocs-macros module: the macros that generated page stubs call."""

from pathlib import Path
from typing import Any


def define_env(env: Any) -> None:
    from macros.pages import site_renderer

    data_dir = Path(env.project_dir) / "data"

    @env.macro
    def render(kind: str, entity_id: str) -> str:
        """The Markdown of one entity's page."""
        return site_renderer(data_dir).page(kind, entity_id)

    @env.macro
    def render_index(kind: str) -> str:
        """The Markdown of the index page that lists every entity of a kind."""
        return site_renderer(data_dir).index(kind)

    @env.macro
    def render_view(name: str) -> str:
        """The Markdown of a page drawn from all the data: stances or timeline."""
        return site_renderer(data_dir).view_page(name)

    @env.macro
    def data_format_reference() -> str:
        """The reference of every field of every data file, generated from the schema."""
        return site_renderer(data_dir).data_format()
