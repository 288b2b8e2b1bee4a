"""What changed, and when: a throwaway git repository of the project, whose commits (at fixed
dates) edit and withdraw statements, built; each change is found on the changes page, in the
Atom feed and beside its statement with its commit's date, and the build is the same under
another clock. Expectations come from the data the test runs on."""

from __future__ import annotations

import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_integrity import FAKETIME, NO_FAKETIME, differences, digest

from macros import history
from macros.feed import entry_id
from macros.history import HistoryReader
from macros.kinds import load
from macros.model.schema import Fact
from sitetools import article, build, copy_project, soup

ATOM = "{http://www.w3.org/2005/Atom}"
DAYS = ("2030-01-02", "2030-02-03", "2030-03-04")  # the three commits' dates
EDITED = "An edited wording of this statement, for the test."
REASON = "Withdrawn by the test: the source does not say it."


def commit(repo: Path, day: str, message: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{day}T10:00:00Z",
        "GIT_COMMITTER_DATE": f"{day}T10:00:00Z",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def two_facts(project: Path) -> tuple[str, Fact, Fact]:
    """A demand with two facts or more: the first to edit, the last to withdraw."""
    demands = load(project / "data").demands
    demand_id = next(d for d, demand in demands.items() if len(demand.facts) >= 2)
    facts = demands[demand_id].facts
    return demand_id, facts[0], facts[-1]


def edit_text(path: Path, fact_id: str, text: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index(f"  - id: {fact_id}") + 1
    assert lines[at].startswith("    text: "), "update this test to the data's layout"
    lines[at] = f"    text: {text}"
    path.write_text("\n".join(lines), encoding="utf-8")


def withdraw(path: Path, fact_id: str, day: str) -> None:
    """Take the fact off its page, under `withdrawn:` with its reason."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"  - id: {fact_id}")
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    del lines[start:end]
    text = "\n".join(lines)
    entry = f"  - {{id: {fact_id}, date: {day}, reason: {json.dumps(REASON)}}}\n"
    if "\nwithdrawn:\n" in text:
        text = text.replace("\nwithdrawn:\n", f"\nwithdrawn:\n{entry}")
    else:
        text = f"{text.rstrip()}\nwithdrawn:\n{entry}"
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def history_site(tmp_path_factory):
    """The project in a repository of three commits, and its site: (project, site, demand,
    edited fact, withdrawn fact)."""
    root = tmp_path_factory.mktemp("history")
    project = copy_project(root / "project")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    commit(project, DAYS[0], "The data")
    demand_id, edited, gone = two_facts(project)
    path = project / "data" / "demands" / f"{demand_id}.yml"
    edit_text(path, edited.id, EDITED)
    commit(project, DAYS[1], "A fact corrected")
    withdraw(path, gone.id, DAYS[2])
    commit(project, DAYS[2], "A fact withdrawn")
    result = build(project, root / "site")
    assert result.returncode == 0, result.stderr
    return project, root / "site", demand_id, edited, gone


def test_each_statement_says_when_it_was_published_and_changed(history_site):
    _, site, demand_id, edited, _ = history_site
    page = article(site / "demands" / demand_id / "index.html")
    permalink = page.find(id=edited.id).select_one("a.permalink")
    when = f"published on this site {DAYS[0]}, last changed {DAYS[1]}"
    assert when in permalink["title"] and when.capitalize() in permalink["data-cite"]
    other = next(d for d in load(site.parent / "project" / "data").demands if d != demand_id)
    others = article(site / "demands" / other / "index.html").select("a.permalink")
    assert others and all(f"published on this site {DAYS[0]})" in a["title"] for a in others)
    twin = json.loads((site / "demands" / f"{demand_id}.json").read_text(encoding="utf-8"))
    assert twin["history"][edited.id] == {"published": DAYS[0], "changed": DAYS[1]}


def test_the_changes_page_lists_the_correction_and_the_withdrawal(history_site):
    _, site, demand_id, edited, gone = history_site
    page = article(site / "changes" / "index.html")
    days = [h["id"] for h in page.find_all("h2")]
    assert days == [f"on-{d}" for d in reversed(DAYS)]  # newest first
    withdrawn = section(page, DAYS[2]).select_one("li.change.withdrawn")
    assert REASON in withdrawn.get_text() and gone.text in withdrawn.find("del").get_text()
    changed = section(page, DAYS[1]).select_one("li.change.changed")
    assert changed.find("del").get_text() == edited.text  # the earlier wording, no longer stated
    assert changed.a["href"] == f"../demands/{demand_id}/#{edited.id}"
    assert EDITED in changed.a.get_text()
    first = section(page, DAYS[0]).get_text()
    assert "page added" in first
    tombstone = article(site / "demands" / demand_id / "index.html").find(id=gone.id)
    assert REASON in tombstone.get_text() and tombstone.find_parent(class_="corrections")
    home = soup(site / "index.html").select_one(".site-updated")
    assert DAYS[2] in home.get_text() and home.a["href"] == f"changes/#on-{DAYS[2]}"


def section(page, day: str) -> object:
    """The list under a day's heading."""
    return page.find("h2", id=f"on-{day}").find_next_sibling("ul")


def test_the_feed_lists_each_commit_with_its_date_and_a_stable_id(history_site):
    project, site, demand_id, edited, _ = history_site
    feed = ET.fromstring((site / "changes.xml").read_bytes())
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        f"{d}T10:00:00+00:00" for d in reversed(DAYS)
    ]
    assert feed.findtext(f"{ATOM}updated") == f"{DAYS[2]}T10:00:00+00:00"
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 3 and all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i) for i in ids)
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links == [f"changes/#on-{d}" for d in reversed(DAYS)]
    latest = entries[0].findtext(f"{ATOM}content")
    assert REASON in latest and f'href="demands/{demand_id}/' in latest
    assert edited.text in entries[1].findtext(f"{ATOM}content")
    head = soup(site / "demands" / demand_id / "index.html").find(
        "link", type="application/atom+xml"
    )
    assert head["href"] == "../../changes.xml"
    # The ids come from the commits, not from the build: the same at every build.
    commits = subprocess.run(
        ["git", "log", "--format=%H"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.split()
    assert ids == [entry_id(c) for c in commits]


@pytest.mark.skipif(not FAKETIME, reason=NO_FAKETIME)
def test_one_commit_builds_the_same_history_on_any_day(history_site, tmp_path):
    project, site, *_ = history_site
    later = build(project, tmp_path / "site", prefix=(FAKETIME, "-f", "@2041-05-06 12:00:00"))
    assert later.returncode == 0, later.stderr
    assert differences(digest(site), digest(tmp_path / "site")) == []


def test_without_git_the_history_is_not_available(tmp_path):
    project = copy_project(tmp_path / "project")
    history = HistoryReader().read(project)
    assert not history.available and not history.changes


def test_a_later_read_takes_only_the_commits_it_has_not_seen(history_site, monkeypatch):
    project = history_site[0]
    first = HistoryReader().read(project)  # the build's cache on disk, or read whole
    read: list[int] = []
    real = history._log

    def counted(project: Path, since: str):
        commits = real(project, since)
        read.append(len(commits or []))
        return commits

    monkeypatch.setattr(history, "_log", counted)
    again = HistoryReader().read(project)  # another process: from the cache
    assert read == [0], "the cache's commits were read again"
    assert again.changes == first.changes
