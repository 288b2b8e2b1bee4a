"""The ids a page's template gives its own elements are reserved for them: a statement whose id
is one would have its anchor taken (schema.PAGE_IDS). The list is held here to the templates."""

from __future__ import annotations

import re

from markdown.extensions.toc import slugify

from macros.model.schema import PAGE_IDS
from sitetools import ROOT

TEMPLATES = ROOT / "macros" / "templates"
STATEMENT_PAGES = ("actor", "demand", "round", "timeline")  # the pages that anchor statements


def test_every_heading_of_a_statement_page_is_reserved():
    headings = {
        slugify(title, "-")
        for page in STATEMENT_PAGES
        for title in re.findall(
            r"^#+ (.+)$", (TEMPLATES / f"{page}.md.j2").read_text("utf-8"), re.M
        )
        if "{{" not in title  # the page's title: its id is reserved page by page
    }
    assert headings and headings <= PAGE_IDS, sorted(headings - PAGE_IDS)


def test_every_id_of_the_theme_override_is_reserved():
    theme = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\bid="([a-z][^"{]*)"', theme))
    assert ids <= PAGE_IDS, sorted(ids - PAGE_IDS)


def test_the_data_format_page_lists_every_reserved_id():
    page = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    assert not [i for i in PAGE_IDS if f"`{i}`" not in page]
