"""The real data against the first article (istanbul-round-2): every line cited, nothing added
that it lacks. These checks are bound to this article and its own facts: a new source never
trips them. General editorial rules live in `make check` (macros/model/), not here."""

from __future__ import annotations

import calendar
import re

import pytest

from macros import wording
from macros.model.schema import Citation, Fact
from macros.model.store import Model, walk
from sitetools import CHECKOUT, ROOT

SOURCE = "istanbul-round-2"
MONTHS = list(calendar.month_name)[1:]
SHARED_ARTICLE = CHECKOUT.parent / "shared" / "source-article.txt"


@pytest.fixture(autouse=True)
def the_article(model: Model) -> None:
    """Data without this article (another project's) has nothing here to check."""
    if SOURCE not in model.sources:
        pytest.skip(f"data/ has no source {SOURCE!r}: these checks are bound to it")


@pytest.mark.skipif(not SHARED_ARTICLE.exists(), reason="../shared/ is not beside the project")
def test_the_source_is_the_shared_article_verbatim(model):
    ours = (ROOT / "data" / "sources" / f"{SOURCE}.txt").read_bytes()
    assert ours == SHARED_ARTICLE.read_bytes()
    assert len(model.sources[SOURCE].lines) == 25


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
    """The facts resting on this article alone."""
    return [f for f in nodes(model, Fact) if {c.source for c in f.cite} == {SOURCE}]


def test_every_line_of_the_article_is_cited(model):
    cited = {c.line for c in nodes(model, Citation) if c.source == SOURCE}
    uncited = sorted(set(range(1, len(model.sources[SOURCE].lines) + 1)) - cited)
    assert not uncited, f"lines of {SOURCE} that no fact cites: {uncited}"


def test_the_source_metadata_invents_no_publisher_or_date(model):
    meta = model.sources[SOURCE].meta
    assert meta.publisher is None and meta.published is None and meta.url is None


def article_round(model: Model, round_id: str):
    if round_id not in model.rounds:
        pytest.skip(f"data/ has no round {round_id!r}")
    return model.rounds[round_id]


def test_round_2_has_only_the_day_the_article_gives(model):
    when = article_round(model, "round-2").when
    assert "Monday" in when.text
    assert not re.search(r"\d", when.text) and not any(m in when.text for m in MONTHS)


def test_round_1_has_no_place_since_the_article_gives_none(model):
    assert article_round(model, "round-1").place is None


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


# Words that say a stance of each kind: a quote backing a stance holds one, or it names the item
# without saying whose demand, condition or proposal it is.
STANCE_WORDS = {
    ("made", "demand"): ("demand", "insist"),
    ("made", "condition"): ("condition",),
    ("made", "proposal"): ("propos", "plan"),
    ("made", "call"): ("call", "stress", "push"),
    ("raised", "issue"): ("handed over",),
    ("rejects", ""): ("reject",),
}


def test_every_stance_quotes_its_claimant_and_what_the_stance_is(model):
    """A stance's quotes name who holds it (by a name the site knows it by, or "its allies"
    beside the owner) and hold a word of its kind ("Other conditions include" after "Russia also
    demands"): the item's name alone backs no stance."""
    for demand in model.demands.values():
        for stance in demand.stances:
            quoted = " ".join(c.quote for c in stance.cite if c.source == SOURCE)
            if not quoted:
                continue
            assert wording.named_in(model.actors, stance.actor, quoted), (stance.id, quoted)
            words = STANCE_WORDS.get((stance.stance, demand.kind)) or STANCE_WORDS.get(
                (stance.stance, "")
            )
            assert words, f"{stance.id}: no words known for {stance.stance} {demand.kind}"
            assert any(w in quoted.casefold() for w in words), (stance.id, quoted)


RELATIVE = ("ago", "next", "last", "later", "following", "before", "after", "previous", "week")


def test_event_texts_keep_the_sources_time_words_and_add_none(model):
    """An event's time is its `when`, in the source's words; its text adds no time word of its
    own ("a few days before the second round" for "a few days ago")."""
    for event in model.timeline.events if model.timeline else ():
        quoted = " ".join(c.quote for c in event.cite).casefold()
        for word in re.findall(r"\w+", event.text.casefold()):
            assert word not in RELATIVE or word in quoted, (event.id, word)


# The article's slips, which its quotes keep and the site's own words never repeat.
SLIPS = ("full and and", "as well those", "a massive drone and missile attacks")


def test_the_sites_own_words_do_not_repeat_the_articles_slips(model):
    for _kind, _id, document in model.documents():
        for _path, node in walk(document):
            for field in ("text", "summary", "title"):
                words = getattr(node, field, None)
                if isinstance(words, str):
                    assert not any(s in words for s in SLIPS), words


def test_one_prisoner_deal_is_one_agreement_and_a_confirmation_is_no_agreement(model):
    """Lines 1 and 4 describe one prisoner deal, which Medinsky confirmed (line 13)."""
    round_2 = article_round(model, "round-2")
    on_deal = [f for f in round_2.agreed if {c.line for c in f.cite} & {1, 4, 13}]
    assert len(on_deal) == 1, [f.text for f in on_deal]
    assert not [f for f in round_2.agreed if "confirmed" in f.text]
    assert "only" in on_deal[0].text  # "only a deal to swap more prisoners of war"
