"""A broken ledger (`published-links.json`) is refused with one line naming it and the fix: a
bad merge, a hand edit or a lost file never crashes `make check`, turns the link checks off, or
reaches a page as markup."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from macros import ledger
from sitetools import ROOT, copy_project

EVIL_ANCHOR = 'x"><img src=x onerror=alert(1)>'


def published() -> ledger.Ledger:
    return json.loads((ROOT / ledger.FILE).read_text(encoding="utf-8"))


def some_page() -> str:
    return next(page for page, anchors in sorted(published().items()) if anchors)


def conflicted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    half = len(text) // 2
    path.write_text(f"<<<<<<< HEAD\n{text[:half]}\n=======\n{text[half:]}>>>>>>> x\n", "utf-8")


def with_anchor(anchor: str) -> Callable[[Path], None]:
    def change(path: Path) -> None:
        ledger = published()
        ledger[some_page()][anchor] = next(iter(ledger[some_page()].values()))
        path.write_text(json.dumps(ledger), encoding="utf-8")

    return change


def folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


# (case, how to break the ledger, words the message holds)
BROKEN: list[tuple[str, Callable[[Path], None], str]] = [
    ("conflict-markers", conflicted, "conflict markers"),
    ("a-list", lambda p: p.write_text("[]\n", encoding="utf-8"), "JSON object"),
    ("null", lambda p: p.write_text("null\n", encoding="utf-8"), "JSON object"),
    ("empty-file", lambda p: p.write_text("", encoding="utf-8"), "not valid JSON"),
    ("a-folder", folder, "folder"),
    ("not-utf-8", lambda p: p.write_bytes(b'{"\xff": {}}'), "not UTF-8"),
    ("markup-in-an-anchor", with_anchor(EVIL_ANCHOR), "must both be ids"),
    ("a-page-that-is-no-page", lambda p: p.write_text('{"../x": {}}', "utf-8"), "not a page"),
    ("anchor-to-a-number", lambda p: p.write_text('{"demands/x/": {"a": 1}}', "utf-8"), "ids"),
]


def check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "macros", "check", "data"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(("change", "words"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_a_broken_ledger_is_refused_naming_it_and_the_fix(tmp_path, change, words):
    project = copy_project(tmp_path / "project")
    change(project / ledger.FILE)
    result = check(project)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(ledger.FILE)]
    assert lines and any(words in line for line in lines), result.stderr
    assert all(": " in line and len(line) < 600 for line in lines)


def committed_project(tmp_path: Path) -> Path:
    """A copy of the project as a git repository, its ledger committed."""
    project = copy_project(tmp_path / "project")
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "published"], check=True)
    return project


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_a_lost_ledger_is_not_taken_for_a_new_project(tmp_path, how):
    """With the ledger gone, a published page could vanish unchecked: git says it was there."""
    project = committed_project(tmp_path)
    path = project / ledger.FILE
    path.unlink() if how == "deleted" else path.write_text("{}\n", encoding="utf-8")
    result = check(project)
    assert result.returncode == 1, result.stdout
    assert f"{ledger.FILE}: " in result.stderr and "git checkout" in result.stderr, result.stderr


def test_a_project_that_never_published_needs_no_ledger(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / ledger.FILE).unlink()
    assert ledger.read(project) == {}


def test_an_anchor_from_the_ledger_is_printed_as_text_even_unchecked(model):
    """The renderer escapes the ledger's anchors too: a second wall behind `ledger.read`."""
    from macros.render import Here, Renderer

    page = some_page()
    statement = next(iter(published()[page].values()))
    evil = {page: {EVIL_ANCHOR: statement, statement: statement}}
    renderer = Renderer(model, lambda src: src.removesuffix(".md") + "/", evil)
    kind, entity_id = page.strip("/").split("/")
    html = renderer.page(kind, entity_id, Here(f"{kind}/{entity_id}.md", page))
    assert "<img" not in html and "x&#34;&gt;&lt;img" in html
