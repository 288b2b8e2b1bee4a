"""The files a build adds to docs/'s: a page stub per entity and kind, the JSON twins and
data.json, the Atom feed of the changes, the JSON Schema files, the redirects of renamed pages
and, under `serve`, the data's problems for every page to show."""

from __future__ import annotations

import json
from collections.abc import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from macros import kinds
from macros.data_format import schema_files
from macros.history import History
from macros.model.errors import DataError
from macros.model.store import Model, Reader
from macros.pages import Stub, page_stubs, redirects
from macros.render import Renderer, page_source
from macros.serve_mode import FullBuild
from macros.twin import Twins
from macros.views import FEED

PROBLEMS_FILE = "data-problems.json"  # under `serve`: the data's problems, for every page


def problem_stubs(config: MkDocsConfig) -> list[File]:
    """Invalid data at the first build of `serve`: every page, to show the problems."""
    content = "# The data has problems\n"  # replaced in on_page_markdown
    empty = Model({kind.name: {} for kind in kinds.KINDS})
    return [File.generated(config, s.src_uri, content=content) for s in page_stubs(empty)]


def stub_files(config: MkDocsConfig, stubs: list[Stub], mode: FullBuild) -> list[File]:
    return [mode.generated(config, s.src_uri, s.content) for s in stubs]


def data_files(
    config: MkDocsConfig,
    model: Model,
    read: Reader,
    url_of: Callable[[str], str],
    mode: FullBuild,
    history: History,
) -> list[File]:
    """The JSON Schema files, a JSON twin per page, and data.json (when the mode writes it
    with the build)."""
    files = [File.generated(config, f"schema/{n}", content=c) for n, c in schema_files().items()]
    twins = Twins(read, url_of, history)
    for path, render in twins.pages().items():
        files.append(mode.generated(config, path, render=render))
    return files + mode.everything(config, model, twins)


def feed_file(config: MkDocsConfig, renderer: Renderer, url_of: Callable[[str], str]) -> File:
    """The Atom feed of the changes page, at a stable address (`views.FEED`)."""
    return File.generated(config, FEED, content=renderer.feed(url_of(page_source("changes"))))


def redirect_files(
    config: MkDocsConfig, model: Model, renderer: Renderer, url_of: Callable[[str], str]
) -> list[File]:
    """A page at each former address of a renamed entity, sending the reader on."""
    files = []
    for redirect in redirects(model):
        old = File(redirect.old, None, config.site_dir, config.use_directory_urls)
        target = get_relative_url(url_of(redirect.new), old.url)
        files.append(File.generated(config, old.dest_uri, content=renderer.redirect(target)))
    return files


def problems_file(config: MkDocsConfig, problems: list[DataError], shown: bool) -> File:
    """The data's problems, shown over every page (overrides/main.html) where `shown`."""
    content = json.dumps([str(p) for p in problems] if shown else [], ensure_ascii=False)
    return File.generated(config, PROBLEMS_FILE, content=content)
