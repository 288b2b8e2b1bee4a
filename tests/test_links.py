"""Links that last: an anchor keeps its statement whatever is added, removed or reordered around
it; a published anchor or page never vanishes without a tombstone or a redirect; the ledger
records every link the site shows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from macros import ledger, wording
from macros.kinds import load
from macros.model.errors import InvalidData
from sitetools import (
    PUBLISHED_AT,
    ROOT,
    article,
    build,
    copy_project,
    entity_pages,
    link_check,
    soup,
)

# The engine tests below edit this demand of the article's data in a copy of the project.
DEMAND_ID = "unconditional-ceasefire"
DEMAND = f"data/demands/{DEMAND_ID}.yml"


@pytest.fixture
def demand_file(model) -> str:
    if DEMAND_ID not in model.demands:
        pytest.skip(f"data/ has no demand {DEMAND_ID!r}: point DEMAND_ID at one it has")
    return DEMAND


def stanced_demand(model) -> str:
    """A demand with a stance (every demand has a cited fact)."""
    return next(d for d, demand in model.demands.items() if demand.stances)


def facts_block(text: str) -> tuple[str, list[str], str]:
    """The file's text before its facts, each fact item, and what follows them."""
    start = text.index("\nfacts:\n") + len("\nfacts:\n")
    end = re.search(r"\n(?! |\n)", text[start:])
    end = start + end.start() + 1 if end else len(text)
    items = re.split(r"\n(?=  - )", text[start:end].rstrip("\n"))
    return text[:start], items, text[end:]


def rewrite_facts(project: Path, change) -> None:
    path = project / DEMAND
    head, items, tail = facts_block(path.read_text(encoding="utf-8"))
    path.write_text(head + "\n".join(change(items)) + "\n" + tail, encoding="utf-8")


NEW_FACT = """  - id: new-first-fact
    text: A new fact, put first.
    cite:
      - {source: istanbul-round-2, line: 2, quote: unconditional ceasefire}"""


def test_anchors_hold_their_statements_when_facts_are_added_and_reordered(tmp_path, demand_file):
    project = copy_project(tmp_path / "project")
    before = load(project / "data").demands["unconditional-ceasefire"].facts
    rewrite_facts(project, lambda items: [NEW_FACT, *reversed(items)])
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = article(tmp_path / "site" / "demands" / "unconditional-ceasefire" / "index.html")
    for fact in before:
        assert fact.text in page.find(id=fact.id).get_text(), fact.id
    published = ledger.read(project)["demands/unconditional-ceasefire/"]
    for anchor, statement in published.items():  # old positional anchors too
        alias = page.find(id=anchor)
        assert alias is not None, anchor
        holder = alias if anchor == statement else alias.parent  # an alias sits by its statement
        held = holder.get("id") == statement or holder.find_parent(id=statement)
        assert held or holder.find(id=statement), (anchor, statement)


def test_a_removed_fact_stops_the_build_naming_file_and_anchor(tmp_path, demand_file):
    project = copy_project(tmp_path / "project")
    gone = load(project / "data").demands["unconditional-ceasefire"].facts[-1].id
    rewrite_facts(project, lambda items: items[:-1])
    result = build(project, tmp_path / "site")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    line = next(x for x in result.stderr.splitlines() if f"#{gone} " in x)
    assert line.startswith(DEMAND) and "would vanish" in line and "withdrawn:" in line


def test_a_withdrawn_fact_leaves_a_tombstone_at_its_anchors(tmp_path, demand_file):
    project = copy_project(tmp_path / "project")
    facts = load(project / "data").demands["unconditional-ceasefire"].facts
    gone, kept = facts[-1], facts[0]
    rewrite_facts(project, lambda items: items[:-1])
    path = project / DEMAND
    reason = "The source says this of someone else."
    entry = f"  - {{id: {gone.id}, date: 2026-11-20, see: {kept.id}, reason: {reason}}}\n"
    text = path.read_text(encoding="utf-8")
    if "\nwithdrawn:\n" in text:  # join the page's other withdrawn statements
        path.write_text(text.replace("\nwithdrawn:\n", f"\nwithdrawn:\n{entry}"), "utf-8")
    else:
        path.write_text(f"{text}withdrawn:\n{entry}", encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = article(tmp_path / "site" / "demands" / "unconditional-ceasefire" / "index.html")
    tombstone = page.find(id=gone.id)
    said = tombstone.get_text()
    assert "2026-11-20" in said and "withdrawn" in said and reason in said, said
    assert tombstone.find_parent(class_="corrections")  # the page's one Corrections note
    assert gone.text not in page.get_text()
    assert tombstone.a["href"] == f"#{kept.id}"
    old = f"facts-{len(facts)}"  # the anchor this statement had before ids
    assert page.find(id=old).find_parent(id=gone.id)


def test_a_renamed_page_keeps_its_published_links(tmp_path, model):
    published = ledger.read(ROOT)
    old = next(d for d in model.demands if f"demands/{d}/" in published)
    shutil.copytree(ROOT / "data", tmp_path / "data")
    demands = tmp_path / "data" / "demands"
    text = (demands / f"{old}.yml").read_text(encoding="utf-8")
    (demands / f"{old}.yml").unlink()
    (demands / f"renamed-{old}.yml").write_text(text, encoding="utf-8")
    problems = list(ledger.vanishing(published, load(tmp_path / "data")))
    assert [p.file for p in problems] == [f"data/demands/{old}.yml"]
    assert f"formerly: [{old}]" in problems[0].message
    former = f"formerly: [{', '.join((*model.demands[old].formerly, old))}]\n"
    body = "".join(line for line in text.splitlines(True) if not line.startswith("formerly:"))
    (demands / f"renamed-{old}.yml").write_text(former + body, encoding="utf-8")
    assert list(ledger.vanishing(published, load(tmp_path / "data"))) == []


def test_every_link_the_site_shows_is_in_the_ledger(model):
    missing = ledger.unrecorded(ledger.read(ROOT), model)
    assert not missing, f"run `make links` and commit {ledger.FILE}: {sorted(missing)}"


def test_a_fact_without_an_id_gets_one_from_the_tool(tmp_path, demand_file):
    from macros.fact_ids import assign_ids

    shutil.copytree(ROOT / "data", tmp_path / "data")
    rewrite = tmp_path / DEMAND
    rewrite.write_text(
        rewrite.read_text(encoding="utf-8") + "  - text: Ukraine’s allies back it.\n    cite:\n"
        "      - {source: istanbul-round-2, line: 2, quote: unconditional ceasefire}\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidData, match="has no id: run `make fact-ids`"):
        load(tmp_path / "data")
    assert list(assign_ids(tmp_path / "data")) == [f"{tmp_path / DEMAND}: 1 id(s) added"]
    facts = load(tmp_path / "data").demands["unconditional-ceasefire"].facts
    assert facts[-1].id == "ukraine-allies-back"


@pytest.mark.parametrize(
    ("quote", "encoded"),
    [
        ("plain words", "plain%20words"),
        (
            "“full and and unconditional ceasefire”",
            "%E2%80%9Cfull%20and%20and%20unconditional%20ceasefire%E2%80%9D",
        ),
        ("30-day truce, then talks", "30%2Dday%20truce%2C%20then%20talks"),
        ("50% & more", "50%25%20%26%20more"),
        ("Russia–Ukraine", "Russia%E2%80%93Ukraine"),
    ],
)
def test_a_quote_links_to_the_publisher_as_a_text_fragment(quote, encoded):
    from macros.render import text_fragment

    url = "https://news.example.org/a?lang=en#top"
    assert text_fragment(url, quote) == f"https://news.example.org/a?lang=en#:~:text={encoded}"


DATED = r" Published on this site \d{4}-\d\d-\d\d(, last changed \d{4}-\d\d-\d\d)?\."
NO_HISTORY = not (ROOT / ".git").exists()  # a copy of the project: no history to date it by


def test_each_statement_has_a_permalink_and_a_ready_citation(site, model):
    for demand_id, demand in model.demands.items():
        page = article(site / "demands" / demand_id / "index.html")
        assert "Cite this page" in page.select_one("details.cite-page").get_text()
        for fact in (f for f in demand.facts if len(f.cite) == 1 and len(f.according_to) < 2):
            link = page.find(id=fact.id).select_one("a.permalink")
            assert link["href"] == f"#{fact.id}"
            source = model.sources[fact.cite[0].source].meta.title
            shown = wording.voices_to_show(model.actors, fact.according_to, fact.text)
            voice = "".join(f" (according to {model.actors[a].name})" for a in shown)
            statement = f"{fact.text}{voice}"
            statement += "" if statement.endswith((".", "?", "!")) else "."
            # The site's own words, in no quotation marks: those are for the source's words.
            cited = (
                f"{statement} In: {demand.title}. Talks facts. "
                f"/demands/{demand_id}/#{fact.id} (citing {source}, line {fact.cite[0].line})."
            )
            # When it was published (and changed), where the build has the data's history.
            dated = re.escape(cited) + rf"({DATED})? Accessed \[date\]\."
            assert re.fullmatch(dated, link["data-cite"]), link["data-cite"]
            assert NO_HISTORY or "Published on this site" in link["data-cite"], link["data-cite"]


def test_a_published_page_has_its_canonical_address(published_site, model):
    for kind, entity_id in entity_pages(model):
        head = soup(published_site / kind / entity_id / "index.html").head
        address = f"{PUBLISHED_AT}{kind}/{entity_id}/"
        assert head.select_one('link[rel="canonical"]')["href"] == address
        assert head.select_one('meta[property="og:url"]')["content"] == address
        cite = article(published_site / kind / entity_id / "index.html").select("a.permalink")
        assert all(address in a["data-cite"] for a in cite), entity_id
    missing = soup(published_site / "404.html")
    assert {a.get_text() for a in missing.select("article a")} >= {"Actors", "Demands", "Sources"}


def test_the_link_check_covers_the_links_in_the_pages_html(site, tmp_path, model):
    """Pages are HTML blocks that MkDocs neither checks nor rewrites: the link check over the
    built site (lychee) is what catches a citation's line anchor or a relation's page gone."""
    demand_id = stanced_demand(model)
    demand = model.demands[demand_id]
    cited, actor = demand.facts[0].cite[0], demand.stances[0].actor
    broken = shutil.copytree(site, tmp_path / "site")
    page = broken / "demands" / demand_id / "index.html"
    html = page.read_text(encoding="utf-8")
    line = f"{cited.source}/#L{cited.line}"
    for good, bad in ((line, f"{cited.source}/#L999"), (f"{actor}/", "nowhere/")):
        assert f'href="../../sources/{good}"' in html or f'href="../../actors/{good}"' in html
        html = html.replace(f'/{good}"', f'/{bad}"')
    page.write_text(html, encoding="utf-8")
    with pytest.raises(AssertionError) as failed:
        link_check(broken)
    assert "#L999" in str(failed.value) and "actors/nowhere" in str(failed.value)


def test_a_deleted_timeline_is_to_be_restored_not_renamed(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "data" / "timeline.yml").unlink()
    published = ledger.read(ROOT)
    assert "timeline/" in published, "the timeline is published: update this test to the ledger"
    problems = list(ledger.vanishing(published, load(tmp_path / "data")))
    assert [p.file for p in problems] == ["data/timeline.yml"]
    assert "formerly" not in problems[0].message and "git checkout" in problems[0].message


def test_an_older_anchor_is_never_taken_by_a_new_statement(tmp_path):
    """A link shared as #facts-2 keeps leading to its statement: a new id may not take it."""
    page = "demands/unconditional-ceasefire/"
    older = [a for a, s in ledger.read(ROOT)[page].items() if a != s]
    if not older:
        pytest.skip(f"/{page} has no older anchor in {ledger.FILE}")
    project = copy_project(tmp_path / "project")
    rewrite_facts(project, lambda items: [NEW_FACT.replace("new-first-fact", older[0]), *items])
    with pytest.raises(InvalidData) as refused:
        ledger.load_checked(project / "data")
    assert any(f"'{older[0]}' is a published anchor" in str(e) for e in refused.value.errors)
