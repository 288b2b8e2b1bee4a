"""What a reader gets beyond the facts: links back from source lines, an anchor per statement,
link previews, diagrams and the JSON twin. Checked in the HTML of the one real build."""

from __future__ import annotations

import json
import re
from urllib.parse import urldefrag, urljoin

import pytest

from macros.model.schema import Citation, Cited, Fact
from macros.model.store import walk
from macros.twin import dumps
from macros.wording import stance_label
from sitetools import (
    ENTITY_KINDS,
    PAGE_KINDS,
    ROOT,
    article,
    entity_pages,
    pagefind_fragments,
    soup,
)


def cited_by_targets(site, source_id: str) -> dict[int, set[str]]:
    """Line number -> every page#anchor its "cited by" links lead to."""
    page = article(site / "sources" / source_id / "index.html")
    targets = {}
    for li in page.select("ol > li"):
        number = int(li.select_one(".line-text")["id"][1:])
        links = li.select(".cited-by a[href]")
        targets[number] = {urljoin(f"/sources/{source_id}/", a["href"]) for a in links}
    return targets


def test_each_source_line_links_back_to_every_fact_that_cites_it(site, model):
    targets = {source_id: cited_by_targets(site, source_id) for source_id in model.sources}
    expected = 0
    for kind in ENTITY_KINDS:
        for entity_id, entity in model.entities(kind).items():
            for path, node in walk(entity):
                if isinstance(node, Cited):
                    for citation in node.cite:
                        link = f"/{kind}/{entity_id}/#{node.id}"
                        assert link in targets[citation.source][citation.line], path
                        expected += 1
    assert expected > 0


def test_every_cited_by_link_lands_on_an_element_of_its_page(site, model):
    for source_id in model.sources:
        for links in cited_by_targets(site, source_id).values():
            for link in links:
                url, fragment = urldefrag(link)
                page = site / url.strip("/") / "index.html"
                assert page.exists() and (not fragment or article(page).find(id=fragment)), link


def marked(line) -> set[int]:
    """The positions of a line's text that are marked as quoted."""
    positions, at = set(), 0
    for piece in line.descendants:
        if isinstance(piece, str):
            if piece.find_parent("mark") is not None:
                positions.update(range(at, at + len(piece)))
            at += len(piece)
    return positions


def test_quoted_words_are_marked_and_uncited_lines_said(site, model):
    citations = [n for _, _, d in model.documents() for _, n in walk(d) if isinstance(n, Citation)]
    cited = {(c.source, c.line) for c in citations}
    for source_id in model.sources:
        page = article(site / "sources" / source_id / "index.html")
        for c in (c for c in citations if c.source == source_id):
            line = page.find(id=f"L{c.line}")
            start = line.get_text().find(c.quote)
            missing = set(range(start, start + len(c.quote))) - marked(line)
            assert start >= 0 and not missing, (source_id, c.line, c.quote)
        lines = page.select("ol > li")
        uncited = [li for li in lines if li.select_one(".uncited")]
        assert all(not li.select_one(".cited-by") for li in uncited)
        covered = len(lines) - len(uncited)
        assert covered == len({n for s, n in cited if s == source_id}), source_id
        assert f"{covered} of {len(lines)}" in page.get_text()


@pytest.mark.parametrize("kind", ENTITY_KINDS)
def test_every_fact_and_relation_is_anchored_at_its_id(site, model, kind):
    for entity_id, entity in model.entities(kind).items():
        page = article(site / kind / entity_id / "index.html")
        for path, node in walk(entity):
            if isinstance(node, Cited):
                element = page.find(id=node.id)
                assert element is not None, (entity_id, path, node.id)
                assert getattr(node, "text", "") in element.get_text(), (entity_id, path)


def test_a_relation_has_the_same_anchor_on_both_its_pages(site, model):
    checked = 0
    for demand_id, demand in model.demands.items():
        for stance in demand.stances:
            for page in (f"demands/{demand_id}", f"actors/{stance.actor}"):
                assert article(site / page / "index.html").find(id=stance.id), (page, stance.id)
                checked += 1
    assert checked > 10


def test_anchors_shared_before_ids_still_land_on_their_statements(site, model):
    """The positional anchors of the site as built at 83edc17 (`#facts-2`), from the ledger."""
    published = json.loads((ROOT / "published-links.json").read_text(encoding="utf-8"))
    old = [(p, a, s) for p, anchors in published.items() for a, s in anchors.items() if a != s]
    assert len(old) > 100
    moved = {  # pages renamed since: their old anchors live at the new address
        f"{kind}/{old}/": f"{kind}/{entity_id}/"
        for kind in ENTITY_KINDS
        for entity_id, entity in model.entities(kind).items()
        for old in entity.formerly
    }
    for page, anchor, statement in old:
        html = article(site / moved.get(page, page) / "index.html")
        alias = html.find(id=anchor)
        assert alias is not None, f"/{page}#{anchor}"
        assert alias.find_parent(id=statement) or alias.parent.find(id=statement), (page, anchor)


def test_a_shared_link_previews_with_title_and_summary(site, model):
    for kind, entity_id in entity_pages(model):
        head = soup(site / kind / entity_id / "index.html").head
        og = {m["property"]: m["content"] for m in head.select("meta[property^='og:']")}
        entity = model.entities(kind)[entity_id]
        assert og["og:title"] == getattr(entity, "title", getattr(entity, "name", None))
        description = head.select_one("meta[name=description]")["content"]
        assert og["og:description"] == description
        if kind == "demands":
            assert description == entity.summary


def test_each_demand_diagram_shows_every_stance_with_a_working_link(site, model):
    for demand_id, demand in model.demands.items():
        figure = article(site / "demands" / demand_id / "index.html").select_one(".stance-diagram")
        # No diagram where one side stands alone (or none): it would only repeat the table.
        alone = len({s.actor for s in demand.stances}) < 2
        assert (figure is None) == alone, demand_id
        if figure is None:
            continue
        nodes = figure.select("svg a")
        shown = {(urljoin(f"/demands/{demand_id}/", a["href"]), a.g["class"][1]) for a in nodes}
        wanted = {(f"/actors/{s.actor}/", s.stance) for s in demand.stances}
        assert shown == wanted, demand_id
        assert figure.svg["aria-label"].startswith(demand.title)


def test_the_json_twin_holds_every_entity_fact_and_citation(site, model):
    everything = json.loads((site / "data.json").read_text(encoding="utf-8"))
    for kind in ENTITY_KINDS:
        assert set(everything[kind]) == set(model.entities(kind))
        for entity_id, entity in model.entities(kind).items():
            twin = json.loads((site / kind / f"{entity_id}.json").read_text(encoding="utf-8"))
            assert twin == everything[kind][entity_id]
            assert twin["facts"] == [f.model_dump(mode="json") for f in entity.facts]
            assert twin["url"] == f"{kind}/{entity_id}/"
    for source_id, source in model.sources.items():
        assert everything["sources"][source_id]["lines"] == list(source.lines)


def test_data_json_is_the_compact_sorted_json_of_its_whole(site):
    """data.json is put together record by record (`Twins.everything`): its text must be what
    the encoder makes of the whole at once."""
    text = (site / "data.json").read_text(encoding="utf-8")
    assert text == dumps(json.loads(text))


def test_each_page_links_its_json_twin(site, model):
    for kind, entity_id in entity_pages(model):
        link = article(site / kind / entity_id / "index.html").select_one("a.json-link")
        assert urljoin(f"/{kind}/{entity_id}/", link["href"]) == f"/{kind}/{entity_id}.json"


def test_the_stance_matrix_shows_every_stance_linked_to_its_first_citation(site, model):
    """Each side's position on a demand, in its cell: every report's first citation in it, and
    a side with one report labelled with its stance."""
    page = article(site / "stances" / "index.html")

    def url(a) -> str:
        return urljoin("/stances/", a["href"])

    columns = [url(th.a) if th.a else None for th in page.select("thead th")]
    shown: dict[tuple[str, str], tuple[str, set[str]]] = {}  # (demand, actor): label, lines
    for tr in page.select("tbody tr"):
        demand = url(tr.th.a)
        for column, cell in zip(columns[1:], tr.select("td"), strict=True):
            for stance in cell.select("details.stance"):
                # In the Others column a position names its actor before its citations.
                named = stance.select_one("a:not(.cite):not(.original)")
                actor = column or url(named)
                label = stance.summary.get_text().split(": ")[-1].split(", according to")[0]
                lines = {url(a) for a in stance.select("a.cite")}
                assert (demand, actor) not in shown, f"{actor} twice on {demand}"
                shown[demand, actor] = (label, lines)
    wanted: dict[tuple[str, str], list] = {}
    for d, demand in model.demands.items():
        for s in demand.stances:
            wanted.setdefault((f"/demands/{d}/", f"/actors/{s.actor}/"), []).append(s)
    assert shown.keys() == wanted.keys()
    for side, reports in wanted.items():
        label, lines = shown[side]
        for s in reports:
            assert f"/sources/{s.cite[0].source}/#L{s.cite[0].line}" in lines, side
        if len(reports) == 1 and reports[0].as_of is None:
            kind = model.demands[side[0].split("/")[2]].kind
            assert label == stance_label(reports[0].stance, kind), side


def test_the_stance_matrix_has_no_empty_column(site):
    page = article(site / "stances" / "index.html")
    rows = page.select("tbody tr")
    width = len(page.select("thead th"))
    for column in range(1, width):
        assert any(row.select("th, td")[column].select("details") for row in rows), column


def test_actors_beyond_the_matrix_columns_share_a_named_others_column(model, monkeypatch):
    from macros import views
    from macros.kinds import VIEWS
    from macros.render import Here, Renderer

    monkeypatch.setattr(views, "MATRIX_COLUMNS", 1)
    renderer = Renderer(model, lambda src: src.removesuffix(".md") + "/")
    stances = next(v for v in VIEWS if v.name == "stances")
    markdown = renderer.view_page(stances, Here("stances/index.md", "stances/"))
    assert '<th scope="col">Others</th>' in markdown
    column = markdown.split("</thead>")[0]
    other = next(
        (  # a lone report of an actor without a column of its own, in its own voice
            (s, model.actors[s.actor].name, d.kind)
            for d in model.demands.values()
            for s in d.stances
            if f'href="../actors/{s.actor}/"' not in column
            and not s.according_to
            and [r.actor for r in d.stances].count(s.actor) == 1
        ),
        None,
    )
    if other is None:
        pytest.skip("no lone report in its source's own voice outside the matrix's columns")
    stance, name, kind = other
    label = stance_label(stance.stance, kind)
    named = f'<summary>{name}: {label}</summary>\n<a href="../actors/{stance.actor}/">'
    assert named in markdown


def test_the_timeline_lists_its_events_in_order_in_the_sources_words(site, model):
    page = article(site / "timeline" / "index.html")
    shown = [li.strong.get_text() for li in page.select("li.fact")]
    assert shown == [e.when for e in model.timeline.events]
    for event in model.timeline.events:
        assert any(event.when in c.quote for c in event.cite)
    rounds = {urljoin("/timeline/", a["href"]) for a in page.select("li.fact a[href]")}
    assert {f"/rounds/{e.round}/" for e in model.timeline.events if e.round} <= rounds


def test_the_search_index_holds_each_text_once(site, model):
    """Each source line is searched once, on its source page; quotes, diagrams, relation tables,
    lists and the timeline's events repeat what the lines, facts and titles say: kept out of
    search (Pagefind's index, pagefind/), so that each result's excerpt is its page's own."""
    fragments = pagefind_fragments(site)
    assert not set(fragments) & {"/stances/", "/actors/", "/demands/", "/rounds/", "/sources/"}
    documents = [d for _, _, d in model.documents()]
    own_words = " ".join(  # the site's words: facts, titles, summaries
        [n.text for d in documents for _, n in walk(d) if isinstance(n, Fact)]
        + [getattr(d, f, None) or "" for d in documents for f in ("title", "name", "summary")]
    )
    quotes = {
        (n.quote, f"/sources/{n.source}/")
        for d in documents
        for _, n in walk(d)
        if isinstance(n, Citation) and len(n.quote) > 20 and n.quote.strip(".,;") not in own_words
    }
    assert quotes
    generated = [url for url in fragments if url.split("/")[1] in (*PAGE_KINDS, "timeline")]
    for quote, source in quotes:  # of the pages made from the data, on sources' only
        holders = {url for url in generated if quote in fragments[url]["content"]}
        assert source in holders and all(u.startswith("/sources/") for u in holders), quote
    for source_id, source in model.sources.items():
        assert fragments[f"/sources/{source_id}/"]["meta"]["title"] == source.meta.title
    timeline = fragments["/timeline/"]["content"]
    assert not [e.text for e in model.timeline.events if e.text in timeline]
    for demand_id, demand in model.demands.items():
        content = fragments[f"/demands/{demand_id}/"]["content"]
        assert not re.search(r"\bline \d", content) and "made it" not in content, demand_id
        assert demand.facts[0].text in content, demand_id
