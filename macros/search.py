"""Search: Pagefind's index of the built site, and what each page is found by beyond its text.

After every build (`make build`, `make serve`, the tests' builds), Pagefind (the binary in the
`pagefind[bin]` wheel, offline) indexes the pages the build rendered into
`<site>/pagefind/`, which its search interface in the header (`overrides/main.html`) fetches
in chunks. What it indexes of a page:

- its `<article>` (the page's own content: no navigation, header or footer), less the regions
  marked `data-search-exclude` in the templates (quotes, relation tables, diagrams, the lists
  under source lines, the timeline's events) and the headings' `¶` links; pages whose front
  matter says `search: {exclude: true}` (the index pages, the stance matrix) not at all;
- for an entity's page, its other names (an actor's aliases, a round's place), its spelling
  variants (`search_variants`), a demand's key words and readers' terms (`search_terms`), as
  Pagefind metadata fields (`names`, `aliases`, `keywords`, `terms`); a hand-written page is
  marked with a filter (`GUIDE_FILTER`), so that the interface lists it after the others.
  Pagefind 1.5 searches metadata and weighs each field by `META_WEIGHTS` (the
  interface's `ranking.metaWeights`), so a page's own names put it first; unlike text, metadata
  is never part of a result's excerpt, and no result template here prints these fields. They are
  added to the HTML that Pagefind reads, in memory: the published page never holds them.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

INDEX_DIR = "pagefind"  # under the site directory: where the interface looks for the index
ROOT_SELECTOR = "article"  # the page's own content: no navigation, header or footer
EXCLUDE_SELECTORS = ("[data-search-exclude]", ".headerlink", "code")
# Pagefind adds each field's weight to a page's score when a query word is in it (its default:
# title 5, other fields 1). A page's one-word names come first; its title, longer names and key
# words count a little (measured on the query set, tests/browser/test_search_queries.py: a
# title weight of 5 put the source, whose title names Russia, above Russia's page).
# Readers' terms (`search_terms`: NATO, POWs, Donbas) weigh as key words: a topic's words, which
# may fit several pages, where a spelling variant is the page's own name.
META_WEIGHTS = {"title": 2.0, "names": 10.0, "aliases": 1.0, "keywords": 2.0, "terms": 2.0}
# The filter marking the site's pages about itself (home, About, Data format: the hand-written
# pages of docs/), which the interface lists after the reader's pages (overrides/main.html).
GUIDE_FILTER = ("page", "guide")
HIGHLIGHT_PARAM = "highlight"  # the query's words, in the address of the page a result opens


class SearchWords(NamedTuple):
    """The words one page should be found by, beyond its text."""

    title: str = ""  # its title: Pagefind's `title` field already; a one-word title is a name
    names: tuple[str, ...] = ()  # its other names and spelling variants
    keywords: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()  # readers' words the sources do not use (search_terms)
    guide: bool = False  # a page about the site itself (hand-written), listed after the others

    def meta(self) -> dict[str, str]:
        """Pagefind metadata fields of these words (only those that have any): `names`, its
        one-word names (Russia, Kyiv, the Kremlin, Zelenskyy), all a reader types for it;
        `aliases`, its longer names ("Ukraine's negotiators"), which only contain a name;
        `keywords`."""
        parts = [
            part.strip() for name in self.names for part in name.split(",")
        ]  # "Istanbul, Turkey"
        fields = {
            "names": [n for n in (self.title, *parts) if n and _one_word(n)],
            "aliases": [n for n in parts if not _one_word(n)],
            "keywords": list(self.keywords),
            "terms": list(self.terms),
        }
        return {name: _plain(words) for name, words in fields.items() if words}


def _one_word(name: str) -> bool:
    """One word to a reader, an article aside ("the Kremlin")."""
    return len(re.sub(r"(?i)^the\s+", "", name.strip()).split()) == 1


def _plain(words: list[str]) -> str:
    """The words as one field, without possessive endings: Pagefind 1.5 counts a metadata
    "Ukraine's" eight times a "Ukraine" for the query "Ukraine" (measured), which put the team
    named "Ukraine's negotiators" above Ukraine."""
    return " ".join(_POSSESSIVE.sub("", w) for w in words)


_POSSESSIVE = re.compile(r"['’]s\b")


class IndexedPage(NamedTuple):
    """A page the build rendered, to be indexed."""

    path: Path  # the built file
    url: str  # from the site's root, as MkDocs gives it ("actors/russia/"; "" for home)
    words: SearchWords | None = None  # an entity page's words beyond its text


class SearchPages:
    """The pages to index, noted as each is rendered (a page's front matter may leave it out),
    kept across the builds of `serve --dirty`, where a build renders only the changed pages."""

    def __init__(self) -> None:
        self._pages: dict[str, IndexedPage] = {}  # page source -> the page

    def note(self, src_uri: str, page: IndexedPage | None) -> None:
        """The page as rendered now: to be indexed, or (None) no longer."""
        self._pages.pop(src_uri, None)
        if page is not None:
            self._pages[src_uri] = page

    def keep_only(self, kept: Callable[[str], bool]) -> None:
        self._pages = {src: page for src, page in self._pages.items() if kept(src)}

    def clear(self) -> None:
        self._pages = {}

    def built(self) -> list[IndexedPage]:
        """The noted pages that the build wrote."""
        return [page for page in self._pages.values() if page.path.is_file()]


class IndexReport(NamedTuple):
    pages: int
    seconds: float


def with_meta(page_html: str, words: SearchWords | None) -> str:
    """The page as Pagefind should read it: with its words as metadata, in an empty element
    at the end of its article (values in attributes, so commas in a name stay in it)."""
    meta = words.meta() if words else {}
    if not meta and not (words and words.guide):
        return page_html
    element = ""
    if meta:
        fields = ", ".join(f"{name}[data-{name}]" for name in meta)
        values = "".join(f' data-{name}="{html.escape(value)}"' for name, value in meta.items())
        element = f'<span data-pagefind-meta="{fields}"{values}></span>'
    if words and words.guide:  # a filter: returned with a result, never searched
        element += f'<span data-pagefind-filter="{":".join(GUIDE_FILTER)}"></span>'
    head, found, tail = page_html.rpartition("</article>")
    if not found:
        raise ValueError("no <article> in the page: nothing Pagefind would index")
    return f"{head}{element}</article>{tail}"


def index_site(
    site_dir: Path, pages: Iterable[IndexedPage], output: Path | None = None
) -> IndexReport:
    """Index `pages` with Pagefind into `output` (by default `<site_dir>/pagefind/`).

    Pagefind's binary reads a copy of the pages (hard links where a page is as built, files
    where its words were added) in a directory beside the site, and exits when its files are
    written. (Its Python API answers one request at most every 0.1 s, 20 minutes for a request
    per page at 10,000 pages, and stops its process once the last answer is in, which under
    load left a file of the bundle half written.)"""
    started = time.perf_counter()
    pages = list(pages)
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site_dir.parent) as tree:
        for page in pages:
            _copy_for_index(site_dir, page, Path(tree))
        _run_pagefind(Path(tree), output or site_dir / INDEX_DIR)
    return IndexReport(len(pages), time.perf_counter() - started)


def _copy_for_index(site_dir: Path, page: IndexedPage, tree: Path) -> None:
    target = tree / page.path.relative_to(site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    if page.words and (page.words.meta() or page.words.guide):
        target.write_text(with_meta(page.path.read_text("utf-8"), page.words), "utf-8")
        return
    try:
        target.hardlink_to(page.path)
    except OSError:  # another file system
        shutil.copyfile(page.path, target)


def _run_pagefind(tree: Path, output: Path) -> None:
    from pagefind_bin import get_executable  # the binary in the pagefind[bin] wheel

    command = [str(get_executable()), "--site", str(tree), "--output-path", str(output)]
    command += ["--root-selector", ROOT_SELECTOR, "--quiet"]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip().splitlines()
        raise RuntimeError(said[-1] if said else f"exit status {result.returncode}")


def ui_options() -> dict[str, object]:
    """The options of Pagefind's interface (`configureInstance`) that the page template sets."""
    return {
        "ranking": {"metaWeights": META_WEIGHTS},
        "highlightParam": HIGHLIGHT_PARAM,
        "guideFilter": list(GUIDE_FILTER),
    }


def index_in_place(site_dir: Path, pages: list[IndexedPage]) -> IndexReport:
    """Index as `index_site` does, into a new directory swapped in whole once written: the
    site being served never shows a half-written index."""
    current = site_dir / INDEX_DIR
    fresh, old = site_dir / f".{INDEX_DIR}-new", site_dir / f".{INDEX_DIR}-old"
    try:
        report = index_site(site_dir, pages, fresh)
    except Exception:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if current.exists():
        current.rename(old)
    fresh.rename(current)
    shutil.rmtree(old, ignore_errors=True)
    return report
