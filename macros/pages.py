"""Which pages the data makes: a stub per page, and a redirect per former id.

A stub is a page's front matter and what it shows (`shows`: an entity, an index, a view); the
build renders its Markdown at `on_page_markdown` (`SiteBuild`). mkdocs-macros never sees a stub
(`render_by_default: false`): no template is compiled for it, and no `{{ }}` in the data could
ever run.
"""

from __future__ import annotations

from typing import NamedTuple

from macros.kinds import KINDS, VIEWS
from macros.model.store import Model
from macros.render import Shows, page_source

# Lists of every entity repeat what the entity pages say: out of search, which stays small.
# Their tables need the room of the side bars.
UNSEARCHED = "search: {exclude: true}\nhide: [navigation, toc]"


class Stub(NamedTuple):
    src_uri: str  # the page's source path, under docs/
    content: str  # its front matter, if any; the build renders the rest
    shows: Shows

    @property
    def entity(self) -> tuple[str, str] | None:
        """(kind, id) of an entity's page; None for the others."""
        return (self.shows.name, self.shows.entity_id) if self.shows.what == "page" else None


class Redirect(NamedTuple):
    old: str  # the source path the page had under its former id
    new: str  # the source path of its page now


def page_stubs(model: Model) -> list[Stub]:
    """The views drawn from all the data, and for each kind an index page and a page per
    entity."""
    stubs = [
        Stub(page_source(v.name), f"---\n{v.front_matter}\n---\n", Shows("view", v.name))
        for v in VIEWS
    ]
    for kind in KINDS:
        index = Shows("index", kind.name)
        stubs.append(Stub(page_source(kind.name), f"---\n{UNSEARCHED}\n---\n", index))
        stubs.extend(
            Stub(page_source(kind.name, entity_id), "", Shows("page", kind.name, entity_id))
            for entity_id in model.entities(kind.name)
        )
    return stubs


def redirects(model: Model) -> list[Redirect]:
    """A page at each former id of an entity that sends the reader on to its current page."""
    return [
        Redirect(page_source(kind.name, old), page_source(kind.name, entity_id))
        for kind in KINDS
        for entity_id, entity in model.entities(kind.name).items()
        for old in getattr(entity, "formerly", ())
    ]
