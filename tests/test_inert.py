"""Data is text, never code or markup: whatever an editor types shows exactly as typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitetools import article, build, copy_project, soup

# Its tests share a module fixture: one worker runs them all (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("evil-site")

EVIL_NAME = "</title><script>alert(1)</script>{{ 7*7 }} *Evil* [x](javascript:alert(2))"
EVIL_TEXT = (
    "{% if true %}RAN{% endif %} <b onclick=alert(4)>bold</b> [link](javascript:alert(5)) "
    "`code` {: .x } | a | b | <!-- c --> &amp; ![img](x.png)"
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


def test_the_title_and_description_are_text(evil_site):
    head = soup(evil_site / "actors" / "evil" / "index.html").head
    assert head.title.get_text() == f"{EVIL_NAME} - Talks facts"
    assert head.select_one('meta[name="description"]')["content"] == EVIL_TEXT


def test_a_source_line_holding_markup_shows_verbatim(evil_site):
    page = article(evil_site / "sources" / "evil" / "index.html")
    assert page.find(id="L1").get_text() == EVIL_LINE
    assert page.h1.get_text().rstrip("¶") == "<i>{{ 6*7 }}</i>"
