"""Which pages the data makes, and the MkDocs hook that adds them to the site.

Each generated page is a stub that calls a macro by id; the data itself is never pasted into a
page's Markdown, where mkdocs-macros would run any `{{ }}` it holds.
"""

from __future__ import annotations

import gc
import html
import os
from pathlib import Path
from typing import NamedTuple

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from macros.model import KINDS, InvalidData, Model, load_model
from macros.render import Renderer
from macros.schema import schema_files
from macros.twin import twin_files

PAGE_KINDS = ("sources", *KINDS)
VIEWS = ("stances", "timeline")  # pages drawn from all the data
# Lists of every entity repeat what the entity pages say: out of search, which stays small.
UNSEARCHED = "---\nsearch: {exclude: true}\n---\n"
FRONT_MATTER = {  # wide tables and lists need the room of the side bars
    "stances": "---\nhide: [navigation, toc]\nsearch: {exclude: true}\n---\n",
    "timeline": "---\nhide: [navigation, toc]\n---\n",
}


class Stub(NamedTuple):
    path: str  # relative to docs/
    content: str


class Redirect(NamedTuple):
    path: str  # the old page's index.html, relative to the site
    target: str  # relative URL of the new page


def entity_pages(model: Model) -> list[Stub]:
    """The stance matrix, the timeline, and an index page per kind and a page per entity:
    each a one-line macro call."""
    stubs = [
        Stub(f"{name}/index.md", f'{FRONT_MATTER[name]}{{{{ render_view("{name}") }}}}\n')
        for name in VIEWS
    ]
    for kind in PAGE_KINDS:
        stubs.append(Stub(f"{kind}/index.md", f'{UNSEARCHED}{{{{ render_index("{kind}") }}}}\n'))
        stubs.extend(
            Stub(f"{kind}/{entity_id}.md", f'{{{{ render("{kind}", "{entity_id}") }}}}\n')
            for entity_id in model.entities(kind)
        )
    return stubs


def redirects(model: Model) -> list[Redirect]:
    """A page at each former id of an entity that sends the reader on to its current URL."""
    return [
        Redirect(f"{kind}/{old}/index.html", f"../{entity_id}/")
        for kind in KINDS
        for entity_id, entity in model.entities(kind).items()
        for old in entity.formerly
    ]


# -- the model of the current data, loaded once a build ------------------------------------

_cache: dict[Path, tuple[tuple, Model, Renderer]] = {}


def _fingerprint(data_dir: Path) -> tuple:
    """Cheap to take: changes whenever any file in data/ is added, removed or edited."""
    return tuple(
        sorted(
            (entry.path, entry.stat().st_mtime_ns, entry.stat().st_size)
            for sub in os.scandir(data_dir)
            if sub.is_dir()
            for entry in os.scandir(sub.path)
        )
    )


def load_renderer(data_dir: Path) -> Renderer:
    """The renderer of data_dir's model, reloaded only when a file there changed. Called once
    a build (on_files), so that `mkdocs serve` picks up edits to data/."""
    fingerprint = _fingerprint(data_dir)
    cached = _cache.get(data_dir)
    if cached is None or cached[0] != fingerprint:
        model = load_model(data_dir)
        cached = _cache[data_dir] = (fingerprint, model, Renderer(model))
        gc.freeze()  # the model lives all build: spare the collector rescanning it every page
    return cached[2]


def site_renderer(data_dir: Path) -> Renderer:
    """The renderer this build loaded: for per-page calls, which must not rescan data/."""
    cached = _cache.get(data_dir)
    return cached[2] if cached else load_renderer(data_dir)


def data_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent / "data"


def add_pages(files: Files, config: MkDocsConfig) -> Files:
    """The on_files hook: data errors stop the build with one line each, no traceback."""
    try:
        renderer = load_renderer(data_dir(config))
    except InvalidData as e:
        raise PluginError(f"data/ has {len(e.errors)} problem(s):\n{e}") from None
    for stub in entity_pages(renderer.model):
        files.append(File.generated(config, stub.path, content=stub.content))
    for name, content in schema_files().items():
        files.append(File.generated(config, f"schema/{name}", content=content))
    for path, content in twin_files(renderer.model).items():
        files.append(File.generated(config, path, content=content))
    template = renderer.env.get_template("redirect.html.j2")
    for redirect in redirects(renderer.model):
        files.append(
            File.generated(
                config, redirect.path, content=template.render(target=Markup(redirect.target))
            )
        )
    return files


def describe_page(page: Page, config: MkDocsConfig) -> None:
    """The on_page_markdown hook: title, description and search tags of an entity page.

    The theme prints both as HTML, so they are escaped here. This runs after mkdocs-macros,
    which would otherwise treat a `{{` in them as Jinja."""
    kind, _, name = page.file.src_uri.partition("/")
    entity_id = name.removesuffix(".md")
    if kind not in PAGE_KINDS or not page.file.generated_by or entity_id == "index":
        return
    renderer = site_renderer(data_dir(config))
    title, description = renderer.describe(kind, entity_id)
    page.meta["title"] = html.escape(title)
    page.meta["description"] = html.escape(description)
    # Aliases and key words, as search tags: indexed with a high boost, shown nowhere else.
    page.meta["tags"] = [html.escape(word) for word in renderer.search_words(kind, entity_id)]
