"""Data is text, never code or markup: whatever an editor types shows exactly as typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.render import escape_text
from sitetools import article, build, copy_project, soup

# Its tests share a module fixture: one worker runs them all (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("evil-site")

EVIL_NAME = "</title><script>alert(1)</script>{{ 7*7 }} *Evil* [x](javascript:alert(2))"
EVIL_TEXT = (
    "{% if true %}RAN{% endif %} <b onclick=alert(4)>bold</b> [link](javascript:alert(5)) "
    "`code` {: .x } | a | b | <!-- c --> &amp; ![img](x.png)"
)
EVIL_TITLE = (
    "Army [size](javascript:alert(document.domain)) limit ![p](https://tracker.example/p.png) *x*"
)
EVIL_LINE = 'Line with <script>alert("src")</script> and {{ 7*7 }} and [a](javascript:alert(1)).'


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("evil"))
    data = project / "data"
    (data / "sources" / "evil.txt").write_text(EVIL_LINE + "\n", encoding="utf-8")
    (data / "sources" / "evil.yml").write_text('title: "<i>{{ 6*7 }}</i>"\n', encoding="utf-8")
    quote = '<script>alert(\\"src\\")</script> and {{ 7*7 }}'
    (data / "actors" / "evil.yml").write_text(
        f"name: '{EVIL_NAME}'\nkind: group\naliases: ['<img src=x onerror=alert(3)>']\n"
        f"facts:\n  - id: evil\n    text: '{EVIL_TEXT}'\n    cite:\n"
        f'      - {{source: evil, line: 1, quote: "{quote}"}}\n',
        encoding="utf-8",
    )
    # A demand and a round with hostile titles, joined to the actor: the home page, the indexes
    # and the matrix name all three.
    cite = "cite: [{source: evil, line: 1, quote: Line with}]"
    facts = f"facts:\n  - {{id: evil-fact, text: Evil., {cite}}}\n"
    (data / "demands" / "evil.yml").write_text(
        f"title: '{EVIL_TITLE}'\nsummary: '{EVIL_TITLE}'\nkind: demand\n"
        f"stances:\n  - {{id: evil-made, actor: evil, stance: made, {cite}}}\n"
        f"raised_in:\n  - {{id: evil-raised, round: evil, {cite}}}\n{facts}",
        encoding="utf-8",
    )
    (data / "rounds" / "evil.yml").write_text(
        f"title: '{EVIL_TITLE}'\nsequence: 99\n{facts.replace('evil-fact', 'evil-round-fact')}",
        encoding="utf-8",
    )
    result = build(project, project / "site")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_names_and_facts_show_exactly_as_typed(evil_site):
    page = article(evil_site / "actors" / "evil" / "index.html")
    assert page.h1.get_text().rstrip("¶") == EVIL_NAME
    texts = [li.get_text(" ", strip=True) for li in page.select("li")]
    assert any(t.startswith(EVIL_TEXT) for t in texts), texts


def test_no_markup_from_data_is_live(evil_site):
    for path in [
        evil_site / "actors" / "evil" / "index.html",
        evil_site / "sources" / "evil" / "index.html",
    ]:
        html = soup(path)
        assert not [s for s in html.select("script") if "alert" in s.get_text()]
        assert not html.select(
            '[href^="javascript:"], [onclick], [onerror], img[src="x.png"], b, em, i'
        )
        assert "49" not in html.get_text() and "42" not in html.get_text()


def test_no_page_of_the_site_makes_a_name_live(evil_site):
    """Every page, the home page's lists included: no name is read as Markdown or HTML."""
    for path in evil_site.rglob("*.html"):
        html = soup(path)
        live = html.select(
            '[href^="javascript:"], [onclick], [onerror], img[src*="tracker.example"]'
        )
        assert not live, (path, live)
        assert "klzzwxh" not in html.get_text(), path
        assert not [s for s in html.select("script") if "alert" in s.get_text()], path


def test_the_home_page_shows_the_hostile_titles_as_typed(evil_site):
    text = soup(evil_site / "index.html").get_text()
    assert EVIL_TITLE in text and EVIL_NAME in text


def test_the_title_and_description_are_text(evil_site):
    head = soup(evil_site / "actors" / "evil" / "index.html").head
    assert head.title.get_text() == f"{EVIL_NAME} - Talks facts"
    assert head.select_one('meta[name="description"]')["content"] == EVIL_TEXT


def test_a_source_line_holding_markup_shows_verbatim(evil_site):
    page = article(evil_site / "sources" / "evil" / "index.html")
    assert page.find(id="L1").get_text() == EVIL_LINE
    assert page.h1.get_text().rstrip("¶") == "<i>{{ 6*7 }}</i>"


@pytest.mark.parametrize("markdown", [True, False])
def test_a_printed_value_has_its_whitespace_folded_to_single_spaces(markdown: bool) -> None:
    """A value never starts or ends a block: every run of whitespace, whatever the character
    (a line break, a tab, a no-break or a line separator, two spaces), prints as one space; a
    value without any prints as it is."""
    folded = "a b c d e"
    for value in ["a\nb\r\nc\td  e", "a\u00a0b\u2028c\u3000d \x85 e", "a b\x0bc\x1fd\u2009e"]:
        assert str(escape_text(value, markdown)) == folded, repr(value)
    assert str(escape_text("plain words", markdown)) == "plain words"
