"""MkDocs hooks (mkdocs.yml `hooks:`). Imports lazily, so that `macros` is loaded only once."""

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page


def on_files(files: Files, config: MkDocsConfig) -> Files:
    from macros import pages

    return pages.add_pages(files, config)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    from macros import pages

    pages.describe_page(page, config)
    return markdown
