"""The real data against its source: every line cited, nothing added that the article lacks."""

from __future__ import annotations

import calendar
import re

import pytest

from macros.model.schema import Citation, Fact
from macros.model.store import Model, walk

SOURCE = "istanbul-round-2"
MONTHS = list(calendar.month_name)[1:]


def nodes(model: Model, kind: type) -> list:
    """Every node of one schema type in all actors, demands and rounds."""
    return [
        node
        for entities in (model.actors, model.demands, model.rounds)
        for entity in entities.values()
        for _, node in walk(entity)
        if isinstance(node, kind)
    ]


@pytest.fixture(scope="module")
def facts(model: Model) -> list[Fact]:
    return nodes(model, Fact)


def test_every_line_of_the_article_is_cited(model):
    cited = {c.line for c in nodes(model, Citation) if c.source == SOURCE}
    uncited = sorted(set(range(1, len(model.sources[SOURCE].lines) + 1)) - cited)
    assert not uncited, f"lines of {SOURCE} that no fact cites: {uncited}"


def test_the_source_metadata_invents_no_publisher_or_date(model):
    meta = model.sources[SOURCE].meta
    assert meta.publisher is None and meta.published is None and meta.url is None


def test_round_2_has_only_the_day_the_article_gives(model):
    when = model.rounds["round-2"].when
    assert "Monday" in when.text
    assert not re.search(r"\d", when.text) and not any(m in when.text for m in MONTHS)


def test_round_1_has_no_place_since_the_article_gives_none(model):
    assert model.rounds["round-1"].place is None


@pytest.mark.parametrize("phrase", ["next week", "last month", "by the end of June"])
def test_relative_times_stay_relative(facts, phrase):
    quoting = [f for f in facts if any(phrase in c.quote for c in f.cite)]
    assert quoting, f"no fact quotes {phrase!r}"
    for fact in quoting:
        assert phrase in fact.text, f"{fact.text!r} does not keep {phrase!r}"


def test_no_fact_supplies_a_date_the_article_lacks(facts):
    for fact in facts:
        assert not re.search(r"\b(July|2025)\b", fact.text), fact.text


def test_what_state_media_published_is_attributed_to_them(facts):
    on_line_17 = [f for f in facts if any(c.line == 17 for c in f.cite)]
    assert on_line_17
    for fact in on_line_17:
        assert "russian-state-media" in fact.according_to, fact.text


def test_each_person_has_a_role_and_affiliation_cited_where_the_article_names_them(model):
    people = {a: actor for a, actor in model.actors.items() if actor.kind == "person"}
    assert people
    for actor_id, actor in people.items():
        surname = actor.name.split()[-1]
        assert actor.role and actor.affiliation, f"{actor_id} lacks a role or an affiliation"
        for cites in (actor.role.cite, actor.affiliation.cite):
            assert any(surname in c.quote for c in cites), f"{actor_id}: no quote names {surname}"


def test_every_demand_says_who_made_it(model):
    for demand_id, demand in model.demands.items():
        assert any(s.stance == "made" for s in demand.stances), demand_id
