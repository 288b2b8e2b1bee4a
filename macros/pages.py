"""Which pages the data makes: a one-line stub per page, and a redirect per former id.

Each stub calls a macro by id; the data itself is never pasted into a page's Markdown, where
mkdocs-macros would run any `{{ }}` it holds.
"""

from __future__ import annotations

from typing import NamedTuple

from macros.kinds import KINDS, VIEWS
from macros.model.store import Model
from macros.render import page_source

# Lists of every entity repeat what the entity pages say: out of search, which stays small.
# Their tables need the room of the side bars.
UNSEARCHED = "search: {exclude: true}\nhide: [navigation, toc]"


class Stub(NamedTuple):
    src_uri: str  # the page's source path, under docs/
    content: str
    entity: tuple[str, str] | None  # (kind, id) of an entity's page


class Redirect(NamedTuple):
    old: str  # the source path the page had under its former id
    new: str  # the source path of its page now


def page_stubs(model: Model) -> list[Stub]:
    """The views drawn from all the data, and for each kind an index page and a page per
    entity: each a one-line macro call."""
    stubs = [
        Stub(
            page_source(v.name),
            f'---\n{v.front_matter}\n---\n{{{{ render_view("{v.name}") }}}}\n',
            None,
        )
        for v in VIEWS
    ]
    for kind in KINDS:
        stubs.append(
            Stub(
                page_source(kind.name),
                f'---\n{UNSEARCHED}\n---\n{{{{ render_index("{kind.name}") }}}}\n',
                None,
            )
        )
        stubs.extend(
            Stub(
                page_source(kind.name, entity_id),
                f'{{{{ render("{kind.name}", "{entity_id}") }}}}\n',
                (kind.name, entity_id),
            )
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
