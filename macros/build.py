"""One build of the site: its state and its lifecycle, driven by MkDocs events (`hooks.py`).

A `SiteBuild` lives as long as the hooks module, which MkDocs keeps across `mkdocs serve`
rebuilds: the model is loaded again only when a file in data/ changed. Events, in order:
`on_startup` notes whether this is `mkdocs serve`; `on_config` registers the page macros with
mkdocs-macros; `on_files` loads the data and adds the generated pages and files; `on_env` gives the
theme's templates the search interface's options;
`on_page_markdown` (after mkdocs-macros) sets each entity page's title and description, and
notes each page to be searched (with an entity page's search words); `on_post_build` has
Pagefind index those pages into the built site (`search.py`).

Invalid data stops `mkdocs build`. Under `mkdocs serve` it must not: the server holds every
request until a build succeeds, so the editor's browser would hang. There every page then shows
the problems instead (the pages of the last valid data keep their addresses), and the next save
that fixes them brings the site back.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import html
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, pass_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs_macros.plugin import MacrosPlugin

from macros import kinds, ledger
from macros.blocks import HtmlBlocks
from macros.data_format import schema_files
from macros.incremental import Background, TrackedFile, Tracker
from macros.model.characters import shown
from macros.model.errors import DataError, InvalidData
from macros.model.load import LoadCache
from macros.model.store import Model
from macros.pages import page_stubs, redirects
from macros.render import Here, Renderer, Site, data_format_page, problems_page
from macros.search import IndexedPage, SearchWords, index_in_place, index_site, ui_options
from macros.twin import EVERYTHING, Twins

log = get_plugin_logger("talks")
PROBLEMS_FILE = "data-problems.json"  # under `serve`: the data's problems, for every page


class SiteBuild:
    def __init__(self) -> None:
        self._loaded: tuple[tuple, Model] | None = None  # (data fingerprint, model)
        self._cache = LoadCache()  # what loading kept of each file, for the next load
        self.renderer: Renderer | None = None
        self.entity_pages: dict[str, tuple[str, str]] = {}  # page source -> (kind, id)
        self.serving = False
        self.problems: list[DataError] = []  # of the data, while serving
        self.searched: dict[str, IndexedPage] = {}  # page source -> the page, for Pagefind
        self.data_changed = ""  # when data/ last changed, from git (YYYY-MM-DD), or ""
        # Under `serve --dirty` (`make serve`): what each file was drawn from, so that an edit
        # rebuilds only the files it changes (`incremental.py`); the long pages' HTML while
        # their Markdown stays the same; and what waits for after the build (the search
        # index, data.json).
        self.tracker: Tracker | None = None
        self.blocks = HtmlBlocks()  # each page's HTML, kept from Python-Markdown
        self.background: Background | None = None
        self.files: Files | None = None
        # data.json, to write after the build, and the model it was last written from
        self._later: tuple[Model, Callable[[], str]] | None = None
        self._everything_of: Model | None = None
        self._stale = ""  # why data.json or the search index last failed to be written, or ""

    # -- events ---------------------------------------------------------------------------

    def on_startup(self, command: str, dirty: bool = False) -> None:
        self.serving = command == "serve"
        if self.serving and dirty:
            self.tracker = Tracker()
            self.background = Background(self._background_failed)
            _quiet_dirty_warning()

    def on_config(self, config: MkDocsConfig) -> None:
        """Give mkdocs-macros the macros that page stubs call, and fix the build's date."""
        macros_plugin = config.plugins["macros"]
        assert isinstance(macros_plugin, MacrosPlugin), "mkdocs.yml must list the macros plugin"
        macros_plugin.register_macros(self._macros())
        if "SOURCE_DATE_EPOCH" not in os.environ:
            commit_time = _last_commit_time(Path(config.config_file_path).parent)
            if commit_time:
                os.environ["SOURCE_DATE_EPOCH"] = commit_time

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Load data/ (data errors stop the build, one line each, no traceback) and add the
        generated pages, JSON twin, JSON Schema files and redirects."""
        project = Path(config.config_file_path).parent
        model = self._model(project / "data")
        self.data_changed = _last_change(project, "data")
        if model is None:  # invalid data at the first build of `serve`: only the problems
            for stub in page_stubs(Model({kind.name: {} for kind in kinds.KINDS})):
                content = "# The data has problems\n"  # replaced in on_page_markdown
                files.append(File.generated(config, stub.src_uri, content=content))
            return files
        stubs = page_stubs(model)
        for stub in stubs:
            files.append(File.generated(config, stub.src_uri, content=stub.content))
        self.entity_pages = {s.src_uri: s.entity for s in stubs if s.entity}

        def url_of(src_uri: str) -> str:
            file = files.get_file_from_path(src_uri)
            if file is None:
                raise KeyError(f"no page {src_uri} in this build")
            return file.url

        read = model
        if self.tracker:
            state = _state(project, config, self.data_changed)
            self.tracker.start(model, state)
            read = self.tracker.model
        else:
            self.searched = {}
        site = Site(config.site_name, config.site_url or "")
        self.renderer = Renderer(read, url_of, self._published(project), site)
        for name, content in schema_files().items():
            files.append(File.generated(config, f"schema/{name}", content=content))
        twins = Twins(read, url_of)
        for path, render in twins.pages().items():
            files.append(self._twin(File.generated(config, path, content=""), render))
        if self.tracker:  # all of the data: left for after the build (`on_post_build`)
            self._later = (model, Twins(model, url_of).everything)
        else:
            files.append(File.generated(config, EVERYTHING, content=twins.everything()))
        for redirect in redirects(model):
            old = File(redirect.old, None, config.site_dir, config.use_directory_urls)
            target = get_relative_url(url_of(redirect.new), old.url)
            files.append(
                File.generated(config, old.dest_uri, content=self.renderer.redirect(target))
            )
        if self.serving:  # the data's problems, shown over every page (overrides/main.html)
            problems = [str(p) for p in self.problems] if self.tracker else []
            content = json.dumps(problems, ensure_ascii=False)
            files.append(File.generated(config, PROBLEMS_FILE, content=content))
        return self._tracked(files)

    def _twin(self, file: File, render: Callable[[], str]) -> File:
        """A JSON twin: under `serve --dirty` rendered when written, and only if modified."""
        if self.tracker:
            return TrackedFile.of(file, self.tracker, render)
        file.content_string = render()
        return file

    def _tracked(self, files: Files) -> Files:
        """Under `serve --dirty`: every page and generated file answers `is_modified()` from
        what it is drawn from (`incremental.py`); the theme's and docs/ assets keep MkDocs' own
        answer (their time against the built copy's)."""
        if not self.tracker:
            return files
        self.files = Files(TrackedFile.of(f, self.tracker) if _drawn(f) else f for f in files)
        return self.files

    def on_env(self, env: Environment) -> None:
        """The search interface's options, for every theme template (overrides/main.html), and
        under `serve` where the data's problems are listed."""
        env.globals["search_options"] = ui_options()
        if self.serving:
            env.globals["problems_file"] = PROBLEMS_FILE

    def on_pre_page(self) -> None:
        """A page is about to be read: what it reads of the model from here is its own."""
        if self.tracker:
            self.tracker.begin()

    def on_page_markdown(self, markdown: str, page: Page) -> str:
        """Title and description of an entity page, and the page noted for search (unless its
        front matter says `search: {exclude: true}`). The theme prints the title and description
        as HTML, so they are escaped here; after mkdocs-macros, which would run a `{{` in them.
        While the data has problems (under `serve`), every page shows them instead (under
        `serve --dirty`, over the last valid pages)."""
        if self.problems and (self.renderer is None or not self.tracker):
            self.blocks.forget(page.file.src_uri)
            return problems_page(self.problems)
        words = self._describe(page)
        self.searched.pop(page.file.src_uri, None)
        if not (page.meta.get("search") or {}).get("exclude"):
            path = Path(page.file.abs_dest_path)
            self.searched[page.file.src_uri] = IndexedPage(path, page.url, words)
        if self.tracker:
            self.tracker.end(page.file.src_uri)
        return markdown

    def on_page_content(self, html: str, page: Page) -> str:
        return self.blocks.put_back(page.file.src_uri, html)

    def _describe(self, page: Page) -> SearchWords | None:
        """Set an entity page's title and description; its search words (None for others)."""
        entity = self.entity_pages.get(page.file.src_uri)
        if entity is None or self.renderer is None:
            return None
        title, description, words = self.renderer.describe(*entity)
        page.meta["title"] = html.escape(title)
        page.meta["description"] = html.escape(description)
        return words

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Index the pages noted for search with Pagefind, into the built site (under `serve`
        too: its temporary directory is the site it serves). Under `serve --dirty`, first
        record what each file was drawn from and remove the files of pages that are gone;
        data.json and the index are then written in the background, so that the edit shows at
        once."""
        site_dir = Path(config.site_dir)
        if self.tracker and self.files is not None:
            self._remove(self.tracker.commit(self.files), site_dir)
            self.searched = {s: p for s, p in self.searched.items() if s in self.files.src_uris}
        pages = [page for page in self.searched.values() if page.path.is_file()]
        if self.background:
            if self._stale:
                log.error(f"{self._stale}: this build tries again")
            if pages and self._later:
                job = functools.partial(self._after, site_dir, *self._later, pages)
                self.background.submit(job)
            return
        if not pages:  # the data has problems (under `serve`): every page shows them instead
            return
        try:
            report = index_site(site_dir, pages)
        except Exception as e:  # Pagefind's process failed: say so in one line, no traceback
            raise PluginError(shown(f"Pagefind could not index the site: {e}")) from None
        log.info(f"Pagefind indexed {report.pages} pages in {report.seconds:.1f} s")

    def _after(
        self, site_dir: Path, model: Model, everything: Callable[[], str], pages: list
    ) -> None:
        """After a build under `serve --dirty`, in the background: data.json (unless the data
        is as it was when it was last written), then the search index; the terminal says when
        they are in."""
        if model is not self._everything_of:
            (site_dir / EVERYTHING).write_text(everything(), encoding="utf-8")
            self._everything_of = model
        report = index_in_place(site_dir, pages)
        self._stale = ""
        log.info(f"data.json and the search are up to date ({report.pages} pages indexed)")

    def _background_failed(self, e: Exception) -> None:
        """Said at once, and at every build until one writes them (the site may be gone as
        `serve` stops, or Pagefind may fail): the search never goes stale unsaid."""
        self._stale = shown(
            f"data.json or the search index could not be written ({type(e).__name__}: {e}); "
            "they stay as an earlier build left them"
        )
        log.error(self._stale)

    def _remove(self, gone: list[str], site_dir: Path) -> None:
        """Delete the built files of pages and twins no longer in the site (a deleted or
        renamed entity's), unless another file (a redirect) took their place."""
        assert self.files is not None
        present = {f.dest_uri for f in self.files}
        for dest in set(gone) - present:
            path = site_dir / dest
            path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # not empty: other files live there
                path.parent.rmdir()

    # -- helpers --------------------------------------------------------------------------

    def _model(self, data_dir: Path) -> Model | None:
        """The model of data_dir, loaded again only when a file there changed. Invalid data
        stops a build; under `serve` the last valid model stays (None if there is none)."""
        published = data_dir.parent / ledger.FILE  # checked with the data: its changes count
        fingerprint = (_fingerprint(data_dir), published.exists() and published.stat().st_mtime_ns)
        if self._loaded is None or self._loaded[0] != fingerprint:
            try:
                model = ledger.load_checked(data_dir, self._cache if self.serving else None)
            except InvalidData as e:
                message = f"data/ has {len(e.errors)} problem(s):\n{e}"
                if not self.serving:
                    raise PluginError(message) from None
                print(f"{message}\nEvery page shows them until they are fixed.", file=sys.stderr)
                self.problems = e.errors
                return self._loaded[1] if self._loaded else None
            self.problems = []
            gc.unfreeze()  # the model of the last reload under `serve` may go now
            self._loaded = (fingerprint, model)
            gc.freeze()  # the model lives all build: spare the collector rescanning it
        return self._loaded[1]

    def _published(self, project: Path) -> ledger.Ledger:
        """The ledger, for the older anchors. Broken, it stops a build; under `serve`, where
        `_model` has reported it already, the pages go without its anchors until it is fixed."""
        try:
            return ledger.read(project)
        except InvalidData as e:
            if not self.serving:
                raise PluginError(f"{e}") from None
            return {}

    def _macros(self) -> dict[str, Any]:
        """The macros, each rendering from this build's renderer, for the page calling it."""

        def here(context: Any) -> Here:
            page = context["page"]
            return Here(page.file.src_uri, page.url)

        def set_aside(context: Any, markdown: str) -> str:
            """Its HTML blocks kept out of Python-Markdown's way (`blocks.py`)."""
            return self.blocks.set_aside(context["page"].file.src_uri, markdown)

        @pass_context
        def render(context: Any, kind: str, entity_id: str) -> str:
            """The Markdown of one entity's page."""
            return set_aside(context, self._renderer().page(kind, entity_id, here(context)))

        @pass_context
        def render_index(context: Any, kind: str) -> str:
            """The Markdown of the index page that lists every entity of a kind."""
            return set_aside(context, self._renderer().index(kind, here(context)))

        @pass_context
        def render_view(context: Any, name: str) -> str:
            """The Markdown of a page drawn from all the data: stances or timeline."""
            view = next(v for v in kinds.VIEWS if v.name == name)
            return set_aside(context, self._renderer().view_page(view, here(context)))

        @pass_context
        def where_things_stand(context: Any) -> str:
            """The Markdown of the home page's summary of the data (nothing while `serve` has
            no valid data yet: the page shows the problems instead)."""
            if self.renderer is None and self.problems:
                return ""
            return set_aside(context, self._renderer().home(here(context), self.data_changed))

        @pass_context
        def data_format_reference(context: Any) -> str:
            """The reference of every field of every data file, generated from the schema."""
            return set_aside(context, data_format_page())

        macros = (render, render_index, render_view, where_things_stand, data_format_reference)
        return {f.__name__: f for f in macros}

    def _renderer(self) -> Renderer:
        if self.renderer is None:
            raise PluginError("a page macro ran before the data was loaded (on_files)")
        return self.renderer


def _drawn(file: File) -> bool:
    """A page (it may call a macro) or a generated file not yet tracked."""
    generated = file.generated_by and not isinstance(file, TrackedFile)
    return bool(generated or file.is_documentation_page())


def _state(project: Path, config: MkDocsConfig, data_changed: str) -> str:
    """What every page depends on besides the data: the templates (the site's and the
    theme's overrides), the configuration, the ledger's older anchors, the data's date."""
    digest = hashlib.sha1(repr((config.site_url, config.site_name, data_changed)).encode())
    for folder in (project / "macros" / "templates", project / "overrides"):
        for path in sorted(folder.rglob("*")):
            digest.update(f"{path}:{path.stat().st_mtime_ns}".encode())
    for path in (Path(config.config_file_path), project / ledger.FILE):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _quiet_dirty_warning() -> None:
    """MkDocs warns at every `--dirty` build that links may go stale: here they cannot (each
    file knows what it is drawn from), so the warning would only alarm an editor."""

    def keep(record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()

    logging.getLogger("mkdocs.commands.build").addFilter(keep)


def _fingerprint(data_dir: Path) -> tuple:
    """Cheap to take: changes whenever any file in data/ (data/timeline.yml included) is
    added, removed or edited. A folder or file that cannot be looked at (unreadable, or an
    editor's temporary file gone meanwhile) counts as changed: the load then says what it is."""
    entries = _entries(str(data_dir))
    if entries is None:
        return (("", "unreadable", time.monotonic_ns()),)
    listed: list[tuple] = []
    for entry in entries:
        inside = _entries(entry.path) if entry.is_dir() else []
        if inside is None:
            listed.append((entry.path, "unreadable", time.monotonic_ns()))
        listed += filter(None, map(_stamp, [entry, *(inside or [])]))
    return tuple(sorted(listed))


def _entries(folder: str) -> list[os.DirEntry] | None:
    """The entries of a folder, or None where it cannot be listed."""
    try:
        with os.scandir(folder) as listing:
            return list(listing)
    except OSError:
        return None


def _stamp(entry: os.DirEntry) -> tuple | None:
    """A file's path, time and size; None for a folder."""
    try:
        if not entry.is_file():
            return None
        status = entry.stat()
    except OSError:  # gone since it was listed, or behind a folder that cannot be read
        return (entry.path, "gone", time.monotonic_ns())
    return (entry.path, status.st_mtime_ns, status.st_size)


def _last_commit_time(project: Path) -> str:
    """The time of the project's last commit, in seconds: the date MkDocs puts in the sitemap
    and its gzip header, so that one commit builds the same site on any day. Outside git, ""."""
    return _git_log(project, "--format=%ct")


def _last_change(project: Path, folder: str) -> str:
    """The date (YYYY-MM-DD, UTC) of the last commit that changed `folder`; "" outside git."""
    return _git_log(project, "--format=%cd", "--date=format-local:%Y-%m-%d", "--", folder)


def _git_log(project: Path, *args: str) -> str:
    """What `git log -1 <args>` prints in `project`, or "" where git or its history is absent."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", *args],
            cwd=project,
            capture_output=True,
            text=True,
            env={**os.environ, "TZ": "UTC"},
        )
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""
