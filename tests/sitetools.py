"""Helpers for the tests: building a project and reading the built HTML."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin

import pytest
from bs4 import BeautifulSoup

from macros.kinds import KINDS
from macros.model.store import Model

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, CDPSession, Page

TESTS = Path(__file__).resolve().parent
# The project the tests read and build: this checkout, or a copy with other data
# (TALKS_PROJECT=/path; tests/test_any_valid_data.py runs the data-dependent tests so).
CHECKOUT = TESTS.parent  # its code, schema and tools, whatever data the tests read
ROOT = Path(os.environ.get("TALKS_PROJECT") or CHECKOUT).resolve()
PUBLISHED_AT = "https://talks.example.org/"  # SITE_URL of the published_site fixture


ENTITY_KINDS = [kind.name for kind in KINDS if not kind.with_text]  # actors, demands, rounds
PAGE_KINDS = [kind.name for kind in KINDS]


def build(
    project: Path,
    site: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    prefix: tuple[str, ...] = (),
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of `project` into `site`, as `make build` runs it; `prefix` runs
    it under another command (faketime), `env` adds to its environment."""
    return subprocess.run(
        [
            *prefix,
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(project / "mkdocs.yml"),
            "--site-dir",
            str(site),
        ],
        cwd=cwd or project,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", **(env or {})},
    )


# What a build reads of the project: its config, pages, code and data.
PROJECT_FILES = ("mkdocs.yml", "published-links.json", "docs", "overrides", "macros", "data")


def copy_project(dest: Path) -> Path:
    """A copy of the project (config, pages, code, real data) to break on purpose."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dest / name)
    return dest


def tree_key(env: dict[str, str], root: Path = ROOT) -> str:
    """A digest of everything a build of the project at `root` reads: every file it may read (names
    and bytes; links by their target), the commit it takes its date from, and the environment
    it adds. Two builds with the same key build the same site."""
    digest = hashlib.sha256()
    for name in PROJECT_FILES:
        top = root / name
        if not (top.exists() or top.is_symlink()):
            continue
        paths = sorted(top.rglob("*")) if top.is_dir() and not top.is_symlink() else [top]
        for path in paths:
            if "__pycache__" in path.parts or (path.is_dir() and not path.is_symlink()):
                continue
            content = (
                b"link:" + os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            )
            digest.update(f"{path.relative_to(root).as_posix()}\0{len(content)}\0".encode())
            digest.update(content)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=False
    )
    digest.update(f"\0{head.stdout.strip()}\0{json.dumps(env, sort_keys=True)}".encode())
    return digest.hexdigest()[:20]


@contextlib.contextmanager
def locked(path: Path, wait: bool = True) -> Iterator[bool]:
    """An exclusive lock on `path` (a file) between processes: yields whether it is held (without
    `wait`, False at once when another process holds it)."""
    with path.open("a") as file:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)


# The builds of the real project that tests only read, by name: the environment each adds.
SHARED_BUILDS = {"site": {}, "published": {"SITE_URL": PUBLISHED_AT}}


def _build_once(folder: Path, name: str) -> tuple[Path, dict]:
    """The shared build `name` of the tree as it is now, made unless made already (call with its
    lock held): its folder and its result."""
    env = SHARED_BUILDS[name]
    while True:
        key = tree_key(env)
        site = folder / f"{name}-{key}"
        done = site.with_name(site.name + ".result.json")
        if done.exists():
            return site, json.loads(done.read_text())
        shutil.rmtree(site, ignore_errors=True)  # a build cut short
        result = build(ROOT, site, env=env)
        if tree_key(env) == key:  # else the tree changed while it built: build it again
            done.write_text(json.dumps({"returncode": result.returncode, "stderr": result.stderr}))


def shared_build(folder: Path, name: str) -> Path:
    """The real site built once for all the test processes that share `folder` (the session's:
    xdist's workers), whichever asks first; the others wait for it, and build another shared
    build meanwhile. Keyed by the tree's content, so that a changed tree is built anew."""
    lock = folder / f"{name}.lock"
    with locked(lock, wait=False) as free:
        if free:
            site, result = _build_once(folder, name)
    if not free:  # another worker builds it: meanwhile, one that nobody builds yet
        for other in SHARED_BUILDS.keys() - {name}:
            with locked(folder / f"{other}.lock", wait=False) as free_other:
                if free_other:
                    _build_once(folder, other)
        with locked(lock):
            site, result = _build_once(folder, name)
    assert result["returncode"] == 0, result["stderr"]
    return site


@functools.cache
def soup(path: Path) -> BeautifulSoup:
    """The parsed page, parsed once per test session: tests only read it."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def entity_pages(model: Model) -> list[tuple[str, str]]:
    """(kind, id) of every actor, demand and round."""
    return [(kind, i) for kind in ENTITY_KINDS for i in model.entities(kind)]


def article(path: Path) -> BeautifulSoup:
    """The page's own content, without the theme's header, navigation and footer."""
    return soup(path).select_one("article.md-content__inner")


def resolve(site: Path, page: Path, href: str) -> tuple[Path, str]:
    """The built file an internal link of `page` points to, and its anchor."""
    url, anchor = urldefrag(urljoin(page.relative_to(site).as_posix(), href))
    target = site / url
    return (target / "index.html" if url.endswith("/") or not url else target), anchor


def is_redirect(page: Path) -> bool:
    return soup(page).select_one('meta[http-equiv="refresh"]') is not None


def check_redirects(site: Path, model: Model) -> int:
    """Each id in a `formerly:` leaves a page that redirects to the entity's page, #anchor
    included; returns how many. (Links and anchors of the pages: `link_check`.)"""
    checked = 0
    for kind, entity_id in entity_pages(model):
        for old in model.entities(kind)[entity_id].formerly:
            page = soup(site / kind / old / "index.html")
            refresh = page.select_one('meta[http-equiv="refresh"]')
            assert refresh, f"/{kind}/{old}/ (formerly of {entity_id}) is not a redirect"
            target = urljoin(f"/{kind}/{old}/", refresh["content"].split("url=")[1])
            assert target == f"/{kind}/{entity_id}/", (old, target)
            assert "location.hash" in page.select_one("script").get_text(), old
            checked += 1
    return checked


LYCHEE_OPTIONS = [
    "--offline",
    "--include-fragments",
    "--no-progress",
    "--index-files",
    "index.html",
]


def link_check(site: Path, at_least: int = 100) -> None:
    """lychee over the built site, offline: every link and #anchor of every page (HTML blocks
    that MkDocs neither checks nor rewrites included)."""
    lychee = Path(sys.executable).parent / "lychee"
    result = subprocess.run(
        [str(lychee), *LYCHEE_OPTIONS, "--root-dir", str(site), str(site)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    checked = int(re.search(r"(\d+) OK", result.stdout + result.stderr).group(1))
    assert checked >= at_least


# Pagefind's interface (overrides/main.html): the button in the header opens a dialog holding
# the search box, a summary ("3 results for Kremlin", "No results for NATO") and the results.
SEARCH_BUTTON = ".md-header pagefind-modal-trigger button"
SEARCH_BOX = "pagefind-modal .pf-input"
SEARCH_SUMMARY = "pagefind-modal .pf-summary"
SEARCH_RESULT = "pagefind-modal li.pf-result"
SEARCH_LIST = "pagefind-modal pagefind-results"


# The summary of the query typed, once its results are in ("3 results for Kremlin"), watched
# frame by frame (quicker than Playwright's polling, which backs off to half a second).
_SUMMARY_OF = """([selector, query]) => {
    const text = document.querySelector(selector)?.textContent.trim() ?? "";
    return /(results?|No results) for /.test(text) && text.endsWith(` for ${query}`) && text;
}"""


def type_search(page: object, query: str) -> int:
    """Type `query` into the search box, as a reader does (opening it with the button in the
    header first, unless it is open), and wait for its results; returns how many were found."""
    box = page.locator(SEARCH_BOX)
    if not box.is_visible():
        page.locator(SEARCH_BUTTON).click()
    if box.input_value() == query:
        box.fill("")  # the same query again: its summary must change before it counts
        page.wait_for_function(
            "s => !document.querySelector(s)?.textContent.includes(' for ')",
            arg=SEARCH_SUMMARY,
            polling="raf",
        )
    box.fill(query)
    summary = page.wait_for_function(
        _SUMMARY_OF, arg=[SEARCH_SUMMARY, query.strip()], polling="raf"
    ).json_value()
    count = summary.split()[0]
    return int(count) if count.isdigit() else 0


# Pagefind lists a result as a placeholder, and loads it when it scrolls into view: each of the
# results wanted is brought there until its link is in, frame after frame (the list may be
# drawn again meanwhile).
# With `until` (a path), it stops at the first result that leads there.
_LOAD_RESULTS = """async ([selector, wanted, until]) => {
    const frame = () => new Promise(done => requestAnimationFrame(done));
    const path = li => new URL(li.querySelector(".pf-result-link").href).pathname;
    for (let tries = 0; tries < 600; tries++) {
        const items = [...document.querySelectorAll(selector)].slice(0, wanted);
        const waiting = items.findIndex(li => !li.querySelector(".pf-result-link"));
        const loaded = items.slice(0, waiting < 0 ? items.length : waiting).map(path);
        if (until && loaded.includes(until)) return loaded;
        if (items.length === wanted && waiting < 0) return loaded;
        if (waiting >= 0) items[waiting].scrollIntoView({block: "nearest"});
        await frame();
    }
    throw new Error(`${wanted} results did not load`);
}"""


def result_paths(page: object, found: int, first: int | None = None, until: str = "") -> list[str]:
    """The paths of the pages listed by the search just typed (which `found` pages), best
    first: the first `first` of them (all listed if None), or up to the first leading to
    `until`. The list holds at most its `max-results`."""
    listed = page.evaluate(f"document.querySelector('{SEARCH_LIST}').getAttribute('max-results')")
    found = min(found, int(listed)) if listed else found
    wanted = found if first is None else min(first, found)
    return page.evaluate(_LOAD_RESULTS, [SEARCH_RESULT, wanted, until])


def pagefind_fragments(site: Path) -> dict[str, dict]:
    """What Pagefind's index holds of each page (its URL, text, metadata), keyed by URL: each
    fragment file is gzip, its JSON after a 12-byte signature."""
    fragments = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes())[12:])
        fragments[data["url"]] = data
    return fragments


def missing_tool(message: str) -> None:
    """A tool the tests need is absent: skip, saying how to install it; but fail under CI,
    whose `.ci/run` installs every one, so that a broken install never passes as skips."""
    if os.environ.get("CI"):
        pytest.fail(f"CI should have installed it: {message}")
    pytest.skip(message)


# -- browser contexts and the reused tab (tests/browser/conftest.py) ------------------------------

VIEWPORT = {"width": 1280, "height": 720}


def new_context(browser: Browser, base_url: str, **options: Any) -> BrowserContext:
    """A context whose relative goto() paths start at the site, at the default viewport."""
    context = browser.new_context(base_url=base_url, **{"viewport": VIEWPORT, **options})
    context.set_default_timeout(10_000)
    return context


class Tab:
    """One tab, reused test after test, emptied before each as a new context would be."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.origin = base_url.rstrip("/")
        self.context = new_context(browser, base_url)
        self.page = self.context.new_page()
        self.cdp: CDPSession = self.context.new_cdp_session(self.page)

    def reset(self) -> Page:
        page = self.page
        if page.url.startswith(self.origin):  # the tab's own session storage, before leaving
            page.evaluate("() => { sessionStorage.clear(); localStorage.clear(); }")
        page.goto("about:blank")
        self.cdp.send("Storage.clearDataForOrigin", {"origin": self.origin, "storageTypes": "all"})
        self.cdp.send("Network.clearBrowserCache")
        self.context.clear_cookies()
        page.set_viewport_size(VIEWPORT)
        page.emulate_media(
            media="null",
            color_scheme="light",
            reduced_motion="no-preference",
            forced_colors="none",
            contrast="no-preference",
        )
        page.mouse.move(0, 0)
        return page

    def close(self) -> None:
        self.context.close()
