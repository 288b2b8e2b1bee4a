"""The home page's summary of the data, the index tables and the source pages' "cited by"
entries, checked in the HTML of the one real build (and of the fixture site where its data has
what the real data lacks)."""

from __future__ import annotations

import subprocess
from urllib.parse import urljoin

from macros import views, wording
from macros.render import Here, Renderer
from sitetools import ENTITY_KINDS, PUBLISHED_AT, ROOT, article


def summary(site):
    return article(site / "index.html").select_one(".where-things-stand")


def linked(node, base: str = "/") -> set[str]:
    """The pages a node links to, less the speakers named in its "(according to …)"."""
    return {
        urljoin(base, a["href"])
        for a in node.select("a[href]")
        if not a.find_parent(class_="according-to")
    }


def status_lines(site) -> dict:
    """The summary's lines that lead with a link to a round or demand, by its address."""
    leads = summary(site).select("li > strong:first-child > a")
    return {urljoin("/", a["href"]): a.find_parent("li") for a in leads}


def test_every_round_and_demand_has_a_status_line_linking_to_its_page(site, model):
    leads = set(status_lines(site))
    assert {f"/rounds/{r}/" for r in model.rounds} <= leads
    assert {f"/demands/{d}/" for d in model.demands} <= leads


def test_a_demand_line_names_each_stance_and_round_with_its_citations(site, model):
    lines = status_lines(site)
    for demand_id, demand in model.demands.items():
        line = lines[f"/demands/{demand_id}/"]
        text = " ".join(line.get_text(" ").split())
        for s in demand.stances:
            assert wording.stance_by(s.stance, demand.kind) in text, (demand_id, s.stance)
            assert f"/actors/{s.actor}/" in linked(line)
            for c in s.cite:
                assert f"/sources/{c.source}/#L{c.line}" in linked(line)
        for m in demand.raised_in:
            assert f"/rounds/{m.round}/" in linked(line)


def test_the_scope_names_each_source_and_the_counts(site, model):
    text = " ".join(summary(site).get_text(" ").split())
    kinds = {d.kind for d in model.demands.values()}
    counted = {k: sum(1 for d in model.demands.values() if d.kind == k) for k in kinds}
    assert wording.counted(len(model.sources), "source") in text
    assert wording.counted(len(model.actors), "actor") in text
    for kind, n in counted.items():  # each kind named with its own count: conditions, issues too
        assert wording.counted(n, kind) in text, kind
    for source in model.sources.values():
        assert source.meta.title in text
        assert "its date is not given" in text or str(source.meta.published) in text


def test_the_update_date_is_the_last_change_of_the_data_from_git(site):
    result = subprocess.run(
        ["git", "log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%d", "--", "data"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"TZ": "UTC", "PATH": "/usr/bin:/bin"},
    )
    updated = summary(site).select_one(".site-updated")
    if result.returncode != 0 or not result.stdout.strip():  # not a git clone: no date at all
        assert updated is None
        return
    assert updated.time["datetime"] == result.stdout.strip()
    assert "not of any source" in updated.get_text()


def test_at_scale_the_home_page_lists_the_latest_rounds_and_what_they_raised(model, monkeypatch):
    monkeypatch.setattr(views, "HOME_LINES", 4)
    monkeypatch.setattr(views, "HOME_ROUNDS", 1)
    renderer = Renderer(model, lambda src: src.removesuffix(".md") + "/")
    markdown = renderer.home(Here("index.md", ""), "")
    latest = max(model.rounds, key=lambda r: model.rounds[r].sequence)
    raised = {d for d, _ in model.related("raised_in")[latest]}
    lead = '<strong><a href="{}/">'  # a status line leads with its page's link (its final URL)
    shown = {d for d in model.demands if lead.format(f"demands/{d}") in markdown}
    assert shown == raised and len(raised) < len(model.demands)
    assert f'href="rounds/{latest}/"' in markdown
    assert not [r for r in model.rounds if r != latest and lead.format(f"rounds/{r}") in markdown]
    assert 'href="demands/index/"' in markdown and 'href="rounds/index/"' in markdown


def test_each_cited_by_entry_says_what_its_fact_states(site, model):
    facts = {
        f"/{kind}/{entity_id}/#{fact.id}": fact.text
        for kind in ENTITY_KINDS
        for entity_id, entity in model.entities(kind).items()
        for fact in entity.facts
    }
    shown = set()
    for source_id in model.sources:
        page = article(site / "sources" / source_id / "index.html")
        for a in page.select(".cited-by a.cited-part"):
            target = urljoin(f"/sources/{source_id}/", a["href"])
            assert not a.get_text().startswith("fact "), a
            if target in facts:
                assert a.get_text() == views.shorten(facts[target]), target
                shown.add(target)
    assert shown == set(facts)  # every fact cites a line, so every fact is cited by one


def test_printed_citations_carry_the_absolute_address_of_their_line(published_site, site, model):
    demand = next(iter(model.demands))  # any: every demand has a cited fact
    page = article(published_site / "demands" / demand / "index.html")
    cites = page.select("a.cite")
    assert cites
    for a in cites:
        expected = urljoin(f"{PUBLISHED_AT}demands/{demand}/", a["href"])
        assert a["data-address"] == expected
    # Built without an address, the printed one starts at the site's root.
    local = article(site / "demands" / demand / "index.html").select("a.cite")
    assert all(a["data-address"].startswith("/sources/") for a in local)


def test_the_demands_table_gives_each_stance_and_round(site, model):
    table = article(site / "demands" / "index.html").select_one("table#demands-table")
    columns = [th.get_text(" ", strip=True) for th in table.thead.select("th")]
    assert columns == [
        "Demand", "Kind", "Put forward by", "Supported by", "Rejected or opposed by", "Came up in"
    ]  # fmt: skip
    rows = {urljoin("/demands/", tr.th.a["href"]): tr for tr in table.tbody.select("tr")}
    assert set(rows) == {f"/demands/{d}/" for d in model.demands}
    for demand_id, demand in model.demands.items():
        cells = rows[f"/demands/{demand_id}/"].select("td")
        assert cells[0].get_text() == demand.kind
        for s in demand.stances:
            column = {"made": 1, "raised": 1, "supports": 2, "rejects": 3, "opposes": 3}[s.stance]
            assert f"/actors/{s.actor}/" in linked(cells[column], "/demands/"), demand_id
        assert linked(cells[4], "/demands/") == {f"/rounds/{m.round}/" for m in demand.raised_in}
