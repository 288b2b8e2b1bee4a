"""`make serve` rebuilds only what an edit changes (`serve --dirty`, macros/incremental.py), and
what it serves then is what a full build of the same data makes, byte for byte: every page,
every JSON twin, every redirect, and the same entries in the search index.

One project is served (its builds in this process, as `mkdocs serve --dirty` runs them, the
build object kept between them); after each edit, a second copy of the project with the same
data is built from scratch (a fresh build object) and the two sites are compared.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from macros import kinds
from macros.generated import PROBLEMS_FILE
from macros.incremental import ALL, Fingerprints, Key
from macros.model.store import Model
from sitetools import TESTS, copy_project, pagefind_fragments

FIXTURES = TESTS / "fixtures" / "data"
SERVE_URL = "http://127.0.0.1:8000/"


class Served:
    """A project as `mkdocs serve` builds it: one configuration loaded per build, the hooks'
    build object kept across builds, into one site directory."""

    def __init__(self, project: Path, site: Path, dirty: bool) -> None:
        self.project, self.site, self.dirty = project, site, dirty
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=dirty)
        self.build_object = config.hooks["macros/hooks.py"].BUILD
        self.written: list[str] = []

    def _config(self) -> MkDocsConfig:
        config = load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        return config

    def build(self) -> None:
        before = _times(self.site)
        build(self._config(), serve_url=SERVE_URL, dirty=self.dirty)
        background = getattr(self.build_object.mode, "background", None)
        if background:  # data.json and the search index, after the build
            background.wait()
        after = _times(self.site)
        self.written = sorted(p for p, t in after.items() if before.get(p) != t)


def _times(site: Path) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): p.stat().st_mtime_ns
        for p in site.rglob("*")
        if p.is_file() and "pagefind" not in p.parts
    }


def fixture_project(dest: Path) -> Path:
    project = copy_project(dest)
    shutil.rmtree(project / "data")
    (project / "published-links.json").unlink()
    shutil.copytree(FIXTURES, project / "data")
    return project


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of the site but Pagefind's bundle (compared by its entries)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.relative_to(site).parts[0] != "pagefind"
    }


NEW_DEMAND = """title: Return of the bodies
summary: The return of the bodies of the dead.
kind: proposal
facts:
  - id: return-of-bodies-fact
    text: Alphaland and Betania met.
    cite:
      - {source: wire-report, line: 1, quote: "Delegations of Alphaland and Betania met"}
"""
NEW_STANCE = """stances:
  - id: alphaland-made-prisoner-exchange
    actor: alphaland
    stance: made
    cite:
      - {source: wire-report, line: 1, quote: "Delegations of Alphaland"}
"""


class Edit(NamedTuple):
    """A change an editor makes to data/, the built files it must rewrite, and some it must
    leave alone (what makes the rebuild incremental)."""

    name: str
    change: Callable[[Path], None]
    rewrites: tuple[str, ...]
    keeps: tuple[str, ...] = ()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rename(data: Path) -> None:
    old = data / "demands" / "prisoner-exchange.yml"
    text = old.read_text(encoding="utf-8")
    old.unlink()
    (data / "demands" / "all-prisoners-exchange.yml").write_text(
        f"formerly: [prisoner-exchange]\n{text}", encoding="utf-8"
    )


PAGE = "{}/index.html"
# Written by every build: the hand-written pages (they may call a macro) and the theme's.
HAND_WRITTEN = {"index.html", "about/index.html", "data-format/index.html", "404.html"}
HAND_WRITTEN |= {"sitemap.xml", "sitemap.xml.gz"}
EDITS = [
    Edit(
        "a fact's text",
        lambda d: edit(d / "demands/prisoner-exchange.yml", "text: Neither", "text: No, neither"),
        (PAGE.format("demands/prisoner-exchange"), "demands/prisoner-exchange.json"),
        (PAGE.format("actors/alphaland"), "actors/alphaland.json", PAGE.format("rounds")),
    ),
    Edit(
        "a new stance (shown on the actor's page)",
        lambda d: edit(d / "demands/prisoner-exchange.yml", "stances:\n", NEW_STANCE),
        (PAGE.format("actors/alphaland"), "actors/alphaland.json", PAGE.format("stances")),
        (PAGE.format("actors/dana-ray"), PAGE.format("rounds/gamma-city-round")),
    ),
    Edit(
        "a new entity",
        lambda d: (d / "demands/return-of-bodies.yml").write_text(NEW_DEMAND, encoding="utf-8"),
        (PAGE.format("demands/return-of-bodies"), PAGE.format("demands"), "data.json"),
        (PAGE.format("actors/betania"),),
    ),
    Edit(
        "a deleted entity",
        lambda d: (d / "demands/return-of-bodies.yml").unlink(),
        (PAGE.format("demands"),),
        (PAGE.format("actors/betania"),),
    ),
    Edit(
        "a renamed id",
        rename,
        (PAGE.format("demands/all-prisoners-exchange"), PAGE.format("demands/prisoner-exchange")),
    ),
    Edit(
        "a source line",
        lambda d: edit(d / "sources/wire-report.txt", "agency reported.", "agency reported it."),
        (PAGE.format("sources/wire-report"), "sources/wire-report.json"),
        (PAGE.format("sources/notes"),),
    ),
    Edit(
        "a source's title (in every citation of it)",
        lambda d: edit(d / "sources/wire-report.yml", "title: Fixture", "title: The fixture"),
        (PAGE.format("actors/betania"), PAGE.format("rounds/gamma-city-round")),
        (PAGE.format("sources/notes"),),
    ),
    Edit(
        "an actor's name (in every link to it)",
        lambda d: edit(d / "actors/betania.yml", "name: Betania", "name: Republic of Betania"),
        (PAGE.format("actors/betania"), PAGE.format("demands/all-prisoners-exchange")),
        (PAGE.format("actors/dana-ray"),),
    ),
    Edit(
        "the timeline",
        lambda d: edit(d / "timeline.yml", "was held in", "took place in"),
        (PAGE.format("timeline"),),
        (PAGE.format("actors/betania"),),
    ),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Served:
    project = fixture_project(tmp_path_factory.mktemp("served"))
    served = Served(project, project / "site", dirty=True)
    served.build()
    return served


def full_build(tmp: Path, data: Path) -> Path:
    """The site a clean build of `data` makes, as `mkdocs serve` would without --dirty."""
    project = fixture_project(tmp)
    shutil.rmtree(project / "data")
    shutil.copytree(data, project / "data")
    Served(project, project / "site", dirty=False).build()
    return project / "site"


def assert_same_site(served: Served, full: Path, what: str) -> None:
    ours, theirs = site_files(served.site), site_files(full)
    assert sorted(ours) == sorted(theirs), f"after {what}: other files"
    differ = [path for path in ours if ours[path] != theirs[path]]
    assert not differ, f"after {what}: these files differ from a full build's: {differ}"
    assert pagefind_fragments(served.site) == pagefind_fragments(full), f"after {what}: search"


def test_each_edit_rebuilds_what_it_changes_and_the_site_equals_a_full_build(
    served: Served, tmp_path: Path
) -> None:
    assert_same_site(served, full_build(tmp_path / "first", served.project / "data"), "no edit")
    for number, step in enumerate(EDITS):
        step.change(served.project / "data")
        served.build()
        full = full_build(tmp_path / str(number), served.project / "data")
        assert_same_site(served, full, step.name)
        assert set(step.rewrites) <= set(served.written), f"{step.name}: not rewritten"
        assert not set(step.keeps) & set(served.written), f"{step.name}: rewritten needlessly"


def test_bad_data_keeps_the_last_valid_pages_and_lists_its_problems_until_fixed(
    tmp_path: Path,
) -> None:
    served = Served(fixture_project(tmp_path / "served"), tmp_path / "site", dirty=True)
    served.build()
    demand = served.project / "data" / "demands" / "truce-30-days.yml"
    good = demand.read_text(encoding="utf-8")
    demand.write_text(good.replace("kind: proposal", "kind: wish"), encoding="utf-8")
    served.build()
    problems = json.loads((served.site / PROBLEMS_FILE).read_text(encoding="utf-8"))
    assert len(problems) == 1 and "truce-30-days.yml:4:1: kind: 'wish'" in problems[0]
    # The pages keep the last valid data: only the hand-written ones (always rebuilt) and the
    # theme's own (404, sitemap) are written again.
    assert set(served.written) <= HAND_WRITTEN | {PROBLEMS_FILE}, served.written
    page = (served.site / "demands" / "truce-30-days" / "index.html").read_text("utf-8")
    assert "A 30-day truce" in page and PROBLEMS_FILE in page  # the script that shows them
    demand.write_text(good, encoding="utf-8")
    served.build()
    assert json.loads((served.site / PROBLEMS_FILE).read_text(encoding="utf-8")) == []
    assert_same_site(served, full_build(tmp_path / "full", served.project / "data"), "a fix")


def test_a_fact_edit_renders_again_only_the_rows_that_show_its_demand(tmp_path: Path) -> None:
    """The pages that name every entity are rewritten at each edit of their kind, but each of
    their rows is kept with what it read: only the rows of the edited demand (and of the actors
    with a stance on it, whose rows count their stances) are rendered again. The first test
    proves that what is kept equals a full build."""
    served = Served(fixture_project(tmp_path / "served"), tmp_path / "site", dirty=True)
    served.build()
    tracker = served.build_object.mode.tracker
    every_row = set(tracker.rendered)
    data = served.project / "data"
    demand_id = sorted(p.stem for p in (data / "demands").glob("*.yml"))[0]
    demand = kinds.load(data).demands[demand_id]
    edit(data / "demands" / f"{demand_id}.yml", "text: ", "text: Edited, ")
    served.build()
    showing = {("demands/index.md", "row", demand_id), ("stances/index.md", "matrix", demand_id)}
    showing |= {("actors/index.md", "row", s.actor) for s in demand.stances}
    assert set(tracker.rendered) == showing
    assert len(every_row) > len(showing)  # the others were kept


def _every_key(model: Model) -> set[Key]:
    """Every key a view can read of the model: each entity and kind, each entry of each
    relation and each cited line, and each of those whole."""
    keys: set[Key] = {("timeline",), ("citations_by_line", ALL)}
    for kind, entities in model.by_kind.items():
        keys |= {("entity", kind, ALL), *(("entity", kind, i) for i in entities)}
    for relation in model.relations:
        keys.add(("related", relation.field, ALL))
        keys |= {("related", relation.field, i) for i in model.related(relation.field)}
    keys |= {("citations_by_line", line) for line in model.citations_by_line}  # type: ignore[misc]
    return keys


def test_the_fingerprints_kept_across_an_edit_are_those_a_fresh_model_gives(
    tmp_path: Path,
) -> None:
    """A build takes the last build's fingerprints of the keys no changed file touches
    (`Fingerprints(model, last)`): after each edit, every key of the old model and of the new
    has the fingerprint a fresh computation gives."""
    data = fixture_project(tmp_path).joinpath("data")
    before = kinds.load(data)
    for step in EDITS:
        last = Fingerprints(before)
        for key in _every_key(before):
            last[key]  # computed, as the last build's reads were
        step.change(data)
        after = kinds.load(data)
        kept, fresh = Fingerprints(after, last), Fingerprints(after)
        for key in _every_key(before) | _every_key(after):
            assert kept[key] == fresh[key], f"{step.name}: {key}"
        assert len(kept) > len(_every_key(before)) // 2, f"{step.name}: little was kept"
        before = after
