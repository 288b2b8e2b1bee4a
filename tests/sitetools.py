"""Helpers for the tests: building a project and reading the built HTML."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from bs4 import BeautifulSoup

from macros.kinds import KINDS
from macros.model.store import Model

ROOT = Path(__file__).resolve().parents[1]
SOURCE_ID = "istanbul-round-2"
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


def copy_project(dest: Path) -> Path:
    """A copy of the project (config, pages, code, real data) to break on purpose."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "published-links.json", "docs", "overrides", "macros", "data"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dest / name)
    return dest


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


def check_internal_links(site: Path) -> int:
    """Every link of every page's content lands on a page, and on its anchor; returns the count
    of pages checked. Redirect pages (left by `formerly:`) must lead to a page."""
    pages = list(site.rglob("index.html"))
    for page in pages:
        if is_redirect(page):
            refresh = soup(page).select_one('meta[http-equiv="refresh"]')["content"]
            assert resolve(site, page, refresh.split("url=")[1])[0].exists(), page
            continue
        for a in article(page).select("a[href]"):
            href = a["href"]
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            target, anchor = resolve(site, page, href)
            assert target.exists(), f"{page}: {href}"
            if anchor:
                assert article(target).find(id=anchor), f"{page}: {href}"
    return len(pages)


def type_search(page: object, query: str) -> object:
    """Type `query` into the theme's search box, as a reader does, and wait for its results;
    returns the results' meta line ("3 matching documents"), a Playwright locator."""
    meta = page.locator(".md-search-result__meta")
    box = page.get_by_role("textbox", name="Search")
    box.click()
    meta.evaluate("meta => meta.textContent = ''")  # so as to wait for this query's results
    box.fill(query)
    box.press("End")  # mkdocs-material searches on keyup
    meta.filter(has_text="matching document").wait_for(state="attached")
    return meta
