"""The built site as a whole: nothing in data/ is lost, no link is broken, builds are repeatable."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest

from macros.kinds import load
from macros.model.schema import Citation, Fact
from macros.model.store import walk
from sitetools import (
    ENTITY_KINDS,
    PUBLISHED_AT,
    ROOT,
    article,
    build,
    copy_project,
    link_check,
)


def shown_citations(site: Path, kind: str, entity_id: str) -> Counter:
    """(quote, source id, anchor) of every citation shown on an entity's page."""
    page = site / kind / entity_id / "index.html"
    shown = Counter()
    for span in article(page).select("span.citation"):
        url, anchor = urldefrag(urljoin(f"{kind}/{entity_id}/", span.select_one("a.cite")["href"]))
        shown[(span.q.get_text(), url.strip("/").split("/")[-1], anchor)] += 1
    return shown


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_fact_and_citation_in_data_is_on_its_page(site, model):
    facts = citations = 0
    for kind in ENTITY_KINDS:
        for entity_id, entity in model.entities(kind).items():
            page_text = plain(article(site / kind / entity_id / "index.html").get_text(" "))
            shown = shown_citations(site, kind, entity_id)
            wanted = Counter()
            for path, node in walk(entity):
                if isinstance(node, Fact):
                    facts += 1
                    assert plain(node.text) in page_text, f"{kind}/{entity_id}: {path}"
                if isinstance(node, Citation):
                    citations += 1
                    wanted[(node.quote, node.source, f"L{node.line}")] += 1
            missing = wanted - shown
            assert not missing, f"{kind}/{entity_id} lacks {missing}"
    assert facts >= len(model.actors) + len(model.demands) + len(model.rounds)
    assert citations > facts


def test_every_relation_in_data_is_on_both_its_pages(site, model):
    relations = [
        (("demands", d), ("actors", s.actor)) for d, x in model.demands.items() for s in x.stances
    ]
    relations += [
        (("demands", d), ("rounds", m.round)) for d, x in model.demands.items() for m in x.raised_in
    ]
    relations += [
        (("rounds", r), ("actors", a))
        for r, x in model.rounds.items()
        for dl in x.delegations
        for a in filter(None, (dl.actor, dl.led_by))
    ]
    relations += [
        (("actors", a), ("actors", x.affiliation.actor))
        for a, x in model.actors.items()
        if x.affiliation
    ]
    for one, other in relations:
        for (kind, entity_id), (to_kind, to_id) in ((one, other), (other, one)):
            page = article(site / kind / entity_id / "index.html")
            targets = {urljoin(f"/{kind}/{entity_id}/", a["href"]) for a in page.select("a[href]")}
            assert f"/{to_kind}/{to_id}/" in targets, f"{kind}/{entity_id} -> {to_kind}/{to_id}"
    assert len(relations) >= 10


def test_a_link_checker_finds_no_broken_link_or_anchor(site):
    link_check(site)


def test_a_build_from_another_folder_without_directory_urls_passes_the_link_check(tmp_path):
    """URLs come from MkDocs, so `use_directory_urls: false` works; the hooks find their package
    whatever the working directory."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n")
    result = build(project, tmp_path / "site", cwd=Path("/"))
    assert result.returncode == 0, result.stderr
    assert "[macros]" not in result.stderr  # the terminal holds the build's own lines only
    demand = next(iter(load(project / "data").demands))
    assert (tmp_path / "site" / "demands" / f"{demand}.html").exists()
    twin = json.loads((tmp_path / "site" / "demands" / f"{demand}.json").read_text())
    assert twin["url"] == f"demands/{demand}.html"
    link_check(tmp_path / "site")


def digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


FAKETIME = shutil.which("faketime")
NO_FAKETIME = "faketime not found: apt-get install faketime (.ci/run installs it)"
# Without git the build has no commit to take its date from (the sitemap's gzip then takes
# the clock's): a copy of the project, as tests/test_any_valid_data.py runs these on.
NO_COMMIT = not (ROOT / ".git").exists()


def build_on(day: str, site: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """The digest of the real site built with the clock set to `day`."""
    result = build(ROOT, site, env=env, prefix=(FAKETIME, "-f", f"@{day} 12:00:00"))
    assert result.returncode == 0, result.stderr
    return digest(site)


def differences(first: dict[str, str], second: dict[str, str]) -> list[str]:
    assert first.keys() == second.keys()
    return [name for name in first if first[name] != second[name]]


@pytest.mark.skipif(not FAKETIME, reason=NO_FAKETIME)
@pytest.mark.skipif(NO_COMMIT, reason="not a git clone: no commit to build the same site from")
def test_one_commit_builds_the_same_site_on_any_day(site, tmp_path):
    assert differences(digest(site), build_on("2031-03-04", tmp_path / "later")) == []


@pytest.mark.skipif(not FAKETIME, reason=NO_FAKETIME)
@pytest.mark.skipif(NO_COMMIT, reason="not a git clone: no commit to build the same site from")
def test_a_published_site_is_the_same_on_any_day(published_site, tmp_path, model):
    later = build_on("2032-12-31", tmp_path / "later", {"SITE_URL": PUBLISHED_AT})
    assert differences(digest(published_site), later) == []
    sitemap = (published_site / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"{PUBLISHED_AT}demands/{d}/" in sitemap for d in model.demands)
