"""MkDocs hooks (mkdocs.yml `hooks:`). Imports lazily, so that `macros` is loaded only once."""

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files


def on_files(files: Files, config: MkDocsConfig) -> Files:
    from macros import pages

    return pages.add_pages(files, config)
