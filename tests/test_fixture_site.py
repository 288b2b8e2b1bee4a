"""The site built from the tests' own data (tests/fixtures/data, never published): a second kind
of source (with publisher, address and date), a renamed id, a demand whose maker the source does
not name, a round with a place and a date, and several reports of one stance (corroborated, changed
between rounds, accounts that differ). Any valid data passes the site's own checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from macros import wording
from macros.kinds import load
from sitetools import TESTS, article, build, check_redirects, copy_project, link_check

FIXTURES = TESTS / "fixtures" / "data"

# Its tests share a module fixture: one worker runs them all (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("fixture-site")


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("fixture"))
    shutil.rmtree(project / "data")
    (project / "published-links.json").unlink()  # the real site's links: none of these pages
    shutil.copytree(FIXTURES, project / "data")
    result = build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_every_link_and_redirect_of_the_fixture_site_resolves(fixture_site):
    link_check(fixture_site, at_least=10)
    assert check_redirects(fixture_site, load(FIXTURES)) == 1  # short-truce, now truce-30-days


def test_a_demand_without_a_named_maker_says_so(fixture_site):
    page = article(fixture_site / "demands" / "prisoner-exchange" / "index.html").get_text(" ")
    assert "The sources do not say who put it forward." in page
    made = article(fixture_site / "demands" / "truce-30-days" / "index.html").get_text(" ")
    assert "do not say who put it forward" not in made
    listing = article(fixture_site / "demands" / "index.html").get_text(" ")
    assert "not said in the sources" in listing


def test_a_round_shows_its_place_and_date_in_the_sources_words(fixture_site):
    page = article(fixture_site / "rounds" / "gamma-city-round" / "index.html").get_text(" ")
    page = " ".join(page.split())
    assert "Where: Gamma City." in page and "When: 3 July 2031." in page
    assert "according to Betania" in page  # the length is Betania's claim


def test_a_source_shows_what_is_known_of_it(fixture_site):
    known = article(fixture_site / "sources" / "wire-report" / "index.html").get_text(" ")
    assert "Fixture Agency" in known and "2031-07-03" in known
    unknown = article(fixture_site / "sources" / "notes" / "index.html").get_text(" ")
    assert "does not give its publisher or its date" in unknown


def test_a_quote_of_a_source_with_an_address_links_to_the_publisher(fixture_site):
    page = article(fixture_site / "demands" / "truce-30-days" / "index.html")
    original = page.select_one("a.original")["href"]
    assert original.startswith("https://news.example.org/talks/round-1?lang=en#:~:text=")
    assert "%E2%80%9Ctruce%20of%2030%20days%E2%80%9D%2C" in original


def test_the_home_page_gives_the_voice_of_each_relation_and_no_date_without_git(fixture_site):
    home = article(fixture_site / "index.html").select_one(".where-things-stand")
    text = " ".join(home.get_text(" ").split())
    assert "came up in First round of talks in Gamma City , according to Dana Ray" in text
    wire = "Fixture wire report on a first round of talks"
    truce = load(FIXTURES).demands["truce-30-days"]
    made_by = wording.stance_by("made", truce.kind)
    assert f"{made_by} Alphaland : {wire} , according to Dana Ray" in text
    assert home.select_one(".site-updated") is None  # the copied project has no git history
    # Sources latest first, each with its date where known.
    assert text.index("published 2031-07-03") < text.index("its date is not given")


def _reports(fixture_site: Path, demand_id: str) -> dict[str, list]:
    """Each side's row on a demand's page: its cells, and its reports' list items."""
    page = article(fixture_site / "demands" / demand_id / "index.html")
    rows = page.select(".relations")[0].select("tbody tr")
    return {row.td.get_text(" ", strip=True): row for row in rows}


def test_every_report_of_a_stance_shows_with_its_own_source_voice_line_and_time(fixture_site):
    model = load(FIXTURES)
    demand = model.demands["truce-30-days"]
    alphaland = _reports(fixture_site, "truce-30-days")["Alphaland"]
    items = alphaland.select("li.report")
    reports = [s for s in demand.stances if s.actor == "alphaland"]
    assert len(items) == len(reports) == 3
    for item, stance in zip(items, reports, strict=True):
        assert item["id"] == stance.id  # every report keeps its own anchor
        text = item.get_text(" ", strip=True)
        assert model.sources[stance.cite[0].source].meta.title in text
        assert f"line {stance.cite[0].line}" in text
        for speaker in stance.according_to:
            assert f"according to {model.actors[speaker].name}" in text
        assert ("according to" in text) == bool(stance.according_to)
    assert "reported by 3 sources" in alphaland.get_text(" ")
    assert "round 2" in items[-1].get_text() and "2031-07-03" in items[0].get_text()


def test_a_changed_position_reads_as_a_history_and_differing_accounts_side_by_side(fixture_site):
    betania = _reports(fixture_site, "truce-30-days")["Betania"]
    stance = " ".join(betania.select("td")[1].get_text(" ").split())
    assert stance == "rejects (since round 2); earlier supports (round 1)"
    assert [li.get("class") for li in betania.select("li.report")] == [
        ["report", "earlier"],
        ["report"],
    ]
    differ = _reports(fixture_site, "prisoner-exchange")["Betania"]
    assert " ".join(differ.select("td")[1].get_text(" ").split()).startswith("accounts differ:")
    assert len(differ.select("li.report")) == 2  # both accounts, neither resolved


def test_the_matrix_home_and_tables_show_the_latest_position_with_its_mark(fixture_site):
    matrix = article(fixture_site / "stances" / "index.html").get_text(" ")
    home = " ".join(article(fixture_site / "index.html").get_text(" ").split())
    table = " ".join(article(fixture_site / "demands" / "index.html").get_text(" ").split())
    made = wording.stance_label("made", load(FIXTURES).demands["truce-30-days"].kind)
    assert f"{made}, reported by 3 sources" in matrix
    assert "rejects (since round 2); earlier supports (round 1)" in matrix
    assert "accounts differ: supports (2031-07-03); opposes (undated)" in matrix
    assert "rejected by Betania (changed: earlier supports (round 1))" in home
    assert "accounts differ on the stance of Betania : " in home
    assert "supported by Betania" not in home  # the earlier stance is history, not the latest
    assert "Alphaland ( 3 sources ; according to Dana Ray" in table
    # Betania's own account of its stance: named once, as the holder.
    assert "Betania ( changed: earlier supports (round 1) )" in table


def test_the_json_twin_carries_every_report_with_its_source_voice_and_time(fixture_site):
    import json

    twin = json.loads((fixture_site / "demands" / "truce-30-days.json").read_text())
    demand = load(FIXTURES).demands["truce-30-days"]
    sides = {p["actor"]: p for p in twin["positions"]}
    assert sorted(r["id"] for p in sides.values() for r in p["reports"]) == sorted(
        s.id for s in demand.stances
    )
    betania = sides["betania"]
    assert betania["changed"] and not betania["accounts_differ"]
    assert [r["round"] for r in betania["reports"]] == ["gamma-city-round", "gamma-city-round-2"]
    assert betania["stances"] == ["rejects"] and len(betania["earlier"]) == 1
    wire = next(r for r in sides["alphaland"]["reports"] if r["source"] == "wire-report")
    assert wire["date"] == "2031-07-03" and not wire["time_given"]


def test_a_fact_citing_several_sources_names_each_beside_its_line(fixture_site):
    model = load(FIXTURES)
    several = 0
    for kind, entity_id, document in model.documents():
        for fact in getattr(document, "facts", ()):
            titles = {model.sources[c.source].meta.title for c in fact.cite}
            several += len(titles) > 1
            page = article(fixture_site / kind / entity_id / "index.html")
            item = page.select_one(f"#{fact.id}")
            shown = [" ".join(a.get_text(" ").split()) for a in item.select("a.cite")]
            if len(titles) > 1:
                assert all(any(t in s for t in titles) for s in shown), shown
                assert not item.select("a.cite .visually-hidden")
            else:
                assert len(item.select("a.cite .visually-hidden")) == len(shown)  # "line N" alone
    assert several, "the fixtures should hold a fact citing two sources"


def test_an_unnamed_speaker_reads_as_the_source_words_it_mid_sentence(fixture_site):
    model = load(FIXTURES)
    unnamed = {i: a for i, a in model.actors.items() if a.kind == "unnamed"}
    assert unnamed, "the fixtures should hold a speaker the source does not name"
    for actor_id, actor in unnamed.items():
        heading = article(fixture_site / "actors" / actor_id / "index.html").h1.get_text()
        assert heading.strip().rstrip("¶").strip() == actor.name[0].upper() + actor.name[1:]
        voiced = [
            (kind, entity_id)
            for kind, entity_id, document in model.documents()
            for fact in getattr(document, "facts", ())
            if actor_id in fact.according_to
        ]
        assert voiced, f"no fact is voiced by {actor_id}"
        for kind, entity_id in voiced:
            page = article(fixture_site / kind / entity_id / "index.html").get_text(" ")
            assert f"according to {actor.name}" in " ".join(page.split())


def test_the_diagram_marks_a_changed_position_and_accounts_that_differ(fixture_site):
    def boxes(page_path: str) -> str:
        page = article(fixture_site / page_path / "index.html")
        return " ".join(t.get_text(" ") for t in page.select(".stance-diagram svg.wide text"))

    assert "(changed)" in boxes("demands/truce-30-days")
    betania = boxes("actors/betania")  # a truce it changed on, an exchange told two ways
    assert "(changed)" in betania and betania.count("(accounts differ)") == 2
