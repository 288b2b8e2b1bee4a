"""Helpers for the tests: building a project and reading the built HTML."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
SOURCE_ID = "istanbul-round-2"


def build(project: Path, site: Path) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of `project` into `site`, as `make build` runs it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )


def copy_project(dest: Path) -> Path:
    """A copy of the project (config, pages, code, real data) to break on purpose."""
    for name in ("mkdocs.yml", "docs", "overrides", "macros", "data"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, dest / name)
    return dest


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(path: Path) -> BeautifulSoup:
    """The page's own content, without the theme's header, navigation and footer."""
    return soup(path).select_one("article.md-content__inner")
