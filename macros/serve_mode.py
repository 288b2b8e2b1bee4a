"""How a build treats its files: `FullBuild` makes and writes every one (`mkdocs build`, and
`mkdocs serve` without `--dirty`); `DirtyServe` (`make serve`) rebuilds only the files an edit
changed (`incremental.py`), renders each JSON twin only when it is written, and leaves data.json
and the search index for after the build, in the background, so that an edit shows at once.

The build object (`build.py`) asks the same questions of either; `FullBuild`'s answers are the
plain ones.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
from pathlib import Path

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from macros import ledger
from macros.files import Render, RenderedFile
from macros.incremental import Background, TrackedFile, Tracker
from macros.model.characters import shown
from macros.model.store import Model, Reader
from macros.render import Fragments, computed
from macros.search import SearchPages, index_in_place
from macros.twin import EVERYTHING, Twins

log = get_plugin_logger("talks")


class FullBuild:
    renders_everything = True  # every page, at every build
    overlays_problems = False  # pages of the last valid data stay, with the problems over them

    def start(self, model: Model, project: Path, config: MkDocsConfig, changed: str) -> Reader:
        """The model as the build's views should read it."""
        return model

    def generated(
        self,
        config: MkDocsConfig,
        src_uri: str,
        content: str = "",
        render: Render | None = None,
    ) -> File:
        """A file the build adds: `content`, or what `render` makes when it is written (a JSON
        twin)."""
        if render is None:
            return File.generated(config, src_uri, content=content)
        return RenderedFile.rendered(config, src_uri, render)

    @property
    def fragments(self) -> Fragments:
        """Where the rows of the pages that name every entity are kept: nowhere, each page
        is rendered once."""
        return computed

    def theme(self, env: Environment) -> None:
        """The theme's templates, as this build compiles them (once)."""

    def everything(self, config: MkDocsConfig, model: Model, twins: Twins) -> list[File]:
        """data.json, the twin of all the data, when it is written with the build."""
        return [RenderedFile.rendered(config, EVERYTHING, twins.everything)]

    def tracked(self, files: Files) -> Files:
        return files

    def begin_page(self) -> None:
        """A page is about to be read: what it reads of the model from here is its own."""

    def end_page(self, src_uri: str) -> None:
        """The page has read all it reads."""

    def written(self, page: Page) -> None:
        """The page is written."""

    def after_build(self, site_dir: Path, search: SearchPages) -> bool:
        """What the build leaves for later, begun; False where the build indexes the search
        itself, now."""
        return False


class DirtyServe(FullBuild):
    renders_everything = False
    overlays_problems = True

    def __init__(self) -> None:
        self.tracker = Tracker()  # what each file was drawn from, across the builds of `serve`
        self.background = Background(self._failed)
        self.files: Files | None = None
        # data.json, to write after the build, and the model it was last written from
        self._later: tuple[Model, Render] | None = None
        self._everything_of: Model | None = None
        self._stale = ""  # why data.json or the search index last failed to be written, or ""
        self._compiled = _CompiledTemplates()
        # the files this build made (`generated`), and the last build's, kept where the same
        self._made: dict[str, TrackedFile] = {}
        self._kept: dict[str, TrackedFile] = {}
        _quiet_dirty_warning()

    def start(self, model: Model, project: Path, config: MkDocsConfig, changed: str) -> Reader:
        state = _state(project, config, changed)
        # A page made under another configuration may differ (its canonical URL, say).
        self._kept = self._made if state == self.tracker.state else {}
        self._made = {}
        self.tracker.start(model, state)
        return self.tracker.model

    @property
    def fragments(self) -> Fragments:
        """Kept with what they read, so that an edit renders again only the rows it changed."""
        return self.tracker.fragment

    def theme(self, env: Environment) -> None:
        """MkDocs compiles the theme's templates anew at every build: their compiled code is
        kept between the builds of `serve` instead (Jinja's bytecode cache, which compiles a
        template again when its text changes)."""
        env.bytecode_cache = self._compiled

    def generated(
        self,
        config: MkDocsConfig,
        src_uri: str,
        content: str = "",
        render: Render | None = None,
    ) -> File:
        """Tracked; a JSON twin rendered when written, and only if modified. The last build's
        file (and its page) where it is the same: making thousands anew at each edit costs
        more than the edit's own pages."""
        file = self._kept.get(src_uri)
        if file is None or file.content_string != content:
            file = TrackedFile.made(config, src_uri, content, self.tracker)
        file.render = render
        self._made[src_uri] = file
        return file

    def everything(self, config: MkDocsConfig, model: Model, twins: Twins) -> list[File]:
        # From the model itself: the tracked one would note the background's reads.
        self._later = (model, Twins(model, twins.url_of, twins.history).everything)
        return []

    def tracked(self, files: Files) -> Files:
        """Every page and generated file answers `is_modified()` from what it is drawn from;
        the theme's and docs/ assets keep MkDocs' own answer (their time against the built
        copy's)."""
        self.files = Files(TrackedFile.of(f, self.tracker) if _drawn(f) else f for f in files)
        return self.files

    def begin_page(self) -> None:
        self.tracker.begin()

    def end_page(self, src_uri: str) -> None:
        self.tracker.end(src_uri)

    def written(self, page: Page) -> None:
        """Its Markdown and HTML are not needed again: the page object is kept for the next
        build (`generated`), and held, they would be every page's, all the time."""
        page.markdown = page.content = None

    def after_build(self, site_dir: Path, search: SearchPages) -> bool:
        """Record what each file was drawn from and remove the files of pages that are gone;
        then data.json and the search index, in the background."""
        if self.files is not None:
            self._remove(self.tracker.commit(self.files), site_dir)
            search.keep_only(self.files.src_uris.__contains__)
        pages = search.built()
        if self._stale:
            log.error(f"{self._stale}: this build tries again")
        if pages and self._later:
            self.background.submit(functools.partial(self._after, site_dir, *self._later, pages))
        return True

    def _after(self, site_dir: Path, model: Model, everything: Render, pages: list) -> None:
        """data.json (unless the data is as it was when it was last written), then the search
        index; the terminal says when they are in."""
        if model is not self._everything_of:
            with (site_dir / EVERYTHING).open("w", encoding="utf-8") as out:
                out.writelines(everything())
            self._everything_of = model
        report = index_in_place(site_dir, pages)
        self._stale = ""
        log.info(f"data.json and the search are up to date ({report.pages} pages indexed)")

    def _failed(self, e: Exception) -> None:
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


class _CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, in memory."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def _drawn(file: File) -> bool:
    """A page (it may call a macro) or a generated file, not yet tracked."""
    tracked = isinstance(file, TrackedFile)
    return not tracked and bool(file.generated_by or file.is_documentation_page())


def _state(project: Path, config: MkDocsConfig, changed: str) -> str:
    """What every page depends on besides the data: the templates (the site's and the
    theme's overrides), the configuration, the ledger's older anchors, the data's date."""
    digest = hashlib.sha1(repr((config.site_url, config.site_name, changed)).encode())
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
