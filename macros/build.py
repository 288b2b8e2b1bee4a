"""One build of the site: the conductor of its lifecycle, driven by MkDocs events (`hooks.py`).

A `SiteBuild` lives as long as the hooks module, which MkDocs keeps across `mkdocs serve`
rebuilds. It holds no job of its own; at each event it hands the work to the collaborator whose
job it is:

- `SiteData` (`site_data.py`): data/ and its ledger, loaded again only when a file changed;
- `generated.py`: the files a build adds (page stubs, JSON twins, schema files, redirects);
- `page_macros.py` and `HtmlBlocks` (`blocks.py`): the macros pages call, each page's HTML
  kept from Python-Markdown and put back after it;
- `SearchPages` (`search.py`): the pages Pagefind indexes after the build;
- the mode (`serve_mode.py`): `FullBuild`, or `DirtyServe` under `make serve`, which rebuilds
  only what an edit changed and leaves data.json and the search index for the background.

Events, in order: `on_startup` (which mode), `on_config` (the macros, the build's date),
`on_files` (the data and its history, then the generated files, the feed among them), `on_env`
(the search options), `on_pre_page`,
`on_page_markdown` (a generated page rendered; an entity page's title and description; the page
noted for search),
`on_page_content` (the HTML blocks put back), `on_post_page` (what the mode lets go of),
`on_post_build` (the search index); under
`serve`, once, `on_serve` (how saves are noticed).

Invalid data stops `mkdocs build`. Under `mkdocs serve` it must not: the server holds every
request until a build succeeds, so the editor's browser would hang. There every page then shows
the problems instead (the pages of the last valid data keep their addresses), and the next save
that fixes them brings the site back.
"""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs_macros.plugin import MacrosPlugin

from macros import generated, watcher
from macros.blocks import HtmlBlocks
from macros.model.characters import shown
from macros.page_macros import page_macros
from macros.pages import Stub, page_stubs
from macros.render import Here, Renderer, Site, problems_page
from macros.search import IndexedPage, SearchPages, SearchWords, index_site, ui_options
from macros.serve_mode import DirtyServe, FullBuild
from macros.site_data import SiteData, last_commit_time

log = get_plugin_logger("talks")


class SiteBuild:
    def __init__(self) -> None:
        self.data = SiteData()
        self.mode: FullBuild = FullBuild()
        self.blocks = HtmlBlocks()
        self.search = SearchPages()
        self.renderer: Renderer | None = None  # this build's, once the data is loaded
        self.stubs: dict[str, Stub] = {}  # page source -> the generated page it is

    # -- events ---------------------------------------------------------------------------

    def on_startup(self, command: str, dirty: bool = False) -> None:
        # mkdocs-macros lists its macros and variables at every build: nothing an editor acts on.
        logging.getLogger("mkdocs.plugins.mkdocs_macros").setLevel(logging.WARNING)
        self.data.serving = command == "serve"
        if self.data.serving and dirty:
            self.mode = DirtyServe()

    def on_config(self, config: MkDocsConfig) -> None:
        """Give mkdocs-macros the macros that page stubs call, and fix the build's date."""
        macros_plugin = config.plugins["macros"]
        assert isinstance(macros_plugin, MacrosPlugin), "mkdocs.yml must list the macros plugin"
        macros = page_macros(lambda: self.renderer, self.blocks, lambda: self.data.changed)
        macros_plugin.register_macros(macros)
        if "SOURCE_DATE_EPOCH" not in os.environ:
            commit_time = last_commit_time(Path(config.config_file_path).parent)
            if commit_time:
                os.environ["SOURCE_DATE_EPOCH"] = commit_time

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Load data/ (data errors stop the build, one line each, no traceback) and add the
        generated pages, JSON twins, JSON Schema files and redirects."""
        project = Path(config.config_file_path).parent
        model = self.data.load(project)
        if model is None:  # invalid data at the first build of `serve`: only the problems
            for file in generated.problem_stubs(config):
                files.append(file)
            return files
        # The history's commit is part of what every page is drawn from (its dates).
        state = f"{self.data.changed} {self.data.history.head}"
        read = self.mode.start(model, project, config, state)
        stubs = page_stubs(model)
        for file in generated.stub_files(config, stubs, self.mode):  # first: the URLs are theirs
            files.append(file)
        self.stubs = {s.src_uri: s for s in stubs}
        by_src = files.src_uris

        def url_of(src_uri: str) -> str:
            file = by_src.get(src_uri)
            if file is None:
                raise KeyError(f"no page {src_uri} in this build")
            return file.url

        if self.mode.renders_everything:
            self.search.clear()
        site = Site(config.site_name, config.site_url or "")
        history = self.data.history
        self.renderer = Renderer(
            read,
            url_of,
            self.data.published(project),
            site,
            history=history,
            fragments=self.mode.fragments,
        )
        added = [
            generated.feed_file(config, self.renderer, url_of),
            *generated.data_files(config, model, read, url_of, self.mode, history),
            *generated.redirect_files(config, model, self.renderer, url_of),
        ]
        if self.data.serving:
            problems = self.data.problems
            added.append(generated.problems_file(config, problems, self.mode.overlays_problems))
        for file in added:
            files.append(file)
        return self.mode.tracked(files)

    def on_env(self, env: Environment) -> None:
        """The search interface's options, for every theme template (overrides/main.html),
        under `serve` where the data's problems are listed, and the theme's compiled templates
        as the mode keeps them."""
        env.globals["search_options"] = ui_options()
        self.mode.theme(env)
        if self.data.serving:
            env.globals["problems_file"] = generated.PROBLEMS_FILE

    def on_pre_page(self) -> None:
        self.mode.begin_page()

    def on_page_markdown(self, markdown: str, page: Page) -> str:
        """Title and description of an entity page, and the page noted for search (unless its
        front matter says `search: {exclude: true}`). While the data has problems (under
        `serve`), every page shows them instead (under `serve --dirty`, over the last valid
        pages)."""
        src = page.file.src_uri
        problems = self.data.problems
        if problems and (self.renderer is None or not self.mode.overlays_problems):
            self.blocks.forget(src)
            return problems_page(problems)
        stub = self.stubs.get(src)
        if stub is not None and self.renderer is not None:
            markdown = self.blocks.set_aside(
                src, self.renderer.stub(stub.shows, Here(src, page.url))
            )
        words = self._describe(page)
        searched = not (page.meta.get("search") or {}).get("exclude")
        found = IndexedPage(Path(page.file.abs_dest_path), page.url, words)
        self.search.note(src, found if searched else None)
        self.mode.end_page(src)
        return markdown

    def on_page_content(self, html: str, page: Page) -> str:
        return self.blocks.put_back(page.file.src_uri, html)

    def on_post_page(self, page: Page) -> None:
        self.mode.written(page)

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig) -> None:
        """Saves noticed as the kernel announces them, where it can (`watcher.py`)."""
        watcher.notified(server, [config.docs_dir, config.config_file_path, *config.theme.dirs])

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Index the pages noted for search with Pagefind, into the built site (under `serve`
        too: its temporary directory is the site it serves), unless the mode leaves it for
        later."""
        site_dir = Path(config.site_dir)
        if self.mode.after_build(site_dir, self.search):
            return
        pages = self.search.built()
        if not pages:  # the data has problems (under `serve`): every page shows them instead
            return
        try:
            report = index_site(site_dir, pages)
        except Exception as e:  # Pagefind's process failed: say so in one line, no traceback
            raise PluginError(shown(f"Pagefind could not index the site: {e}")) from None
        log.info(f"Pagefind indexed {report.pages} pages in {report.seconds:.1f} s")

    # -- helpers --------------------------------------------------------------------------

    def _describe(self, page: Page) -> SearchWords | None:
        """Set an entity page's title and description (the theme prints them as HTML, so they
        are escaped here, after mkdocs-macros, which would run a `{{` in them); its search
        words (None for other generated pages; a hand-written page is marked as the site's
        guide, listed after the reader's pages)."""
        stub = self.stubs.get(page.file.src_uri)
        entity = stub.entity if stub else None
        if entity is None and page.file.generated_by is None:  # a hand-written page of docs/
            return SearchWords(guide=True)
        if entity is None or self.renderer is None:
            return None
        title, description, words = self.renderer.describe(*entity)
        page.meta["title"] = html.escape(title)
        page.meta["description"] = html.escape(description)
        return words
