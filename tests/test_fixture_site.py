"""The site built from the tests' own data (tests/fixtures/data, never published): a second kind
of source (with publisher, address and date), a renamed id, a demand whose maker the source does
not name, and a round with a place and a date. Any valid data passes the site's own checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
    assert "The sources do not say who made it." in page
    made = article(fixture_site / "demands" / "truce-30-days" / "index.html").get_text(" ")
    assert "do not say who made it" not in made
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
    assert "made by Alphaland , according to Dana Ray" in text
    assert "supported by Betania , according to Betania" in text
    assert home.select_one(".site-updated") is None  # the copied project has no git history
    # Sources latest first, each with its date where known.
    assert text.index("published 2031-07-03") < text.index("its date is not given")
