"""The site's wording rules (macros/wording.py), each on small made-up actors and texts, then on
the real build: whose words said once, quotes that add, stance words by kind, plurals, and Cite
texts that put no quotation marks around the site's own words."""

from __future__ import annotations

import re

from macros import wording
from macros.model.schema import Actor
from macros.render import Site, cite_text
from macros.views import CiteView
from sitetools import article, entity_pages


def _actor(name: str, kind: str = "state", aliases: tuple[str, ...] = ()) -> Actor:
    fact = {"text": "x", "cite": [{"source": "s", "line": 1, "quote": "some words"}]}
    return Actor.model_validate({"name": name, "kind": kind, "aliases": aliases, "facts": [fact]})


ACTORS = {
    "alphaland": _actor("Alphaland", aliases=("Alpha City",)),
    "alphalands-allies": _actor("Alphaland's allies", "group"),
    "dana-ray": _actor("Dana Ray", "person"),
    "team": _actor("Alphaland's team", "delegation", aliases=("Alphaland's negotiators",)),
}


def test_the_voice_is_not_repeated_where_the_words_say_whose_they_are():
    show = wording.voices_to_show
    assert show(ACTORS, ["dana-ray"], "Ray confirmed the truce.") == []  # a person's surname
    assert show(ACTORS, ["alphaland"], "Alpha City says the children were taken.") == []  # alias
    assert show(ACTORS, ["team"], "Alphaland’s negotiators said so.") == []  # curly apostrophe
    both = "Alphaland and its allies say the terms amount to surrender."
    assert show(ACTORS, ["alphaland", "alphalands-allies"], both) == []  # "its allies"
    # Named without a word of saying, or not named at all: the voice still shows.
    assert show(ACTORS, ["dana-ray"], "The truce holds, Ray's office aside.") == ["dana-ray"]
    assert show(ACTORS, ["dana-ray"], "The two sides committed to a truce.") == ["dana-ray"]
    assert show(ACTORS, ["dana-ray", "alphaland"], "Ray said so.") == ["dana-ray", "alphaland"]
    assert show(ACTORS, ["alphalands-allies"], "Its allies said so.") == ["alphalands-allies"]


def test_a_stance_its_holder_reports_names_the_holder_once():
    assert wording.voices_to_show(ACTORS, ["team"], holder="team") == []
    assert wording.voices_to_show(ACTORS, ["team", "dana-ray"], holder="team") == ["dana-ray"]
    assert wording.voices_to_show(ACTORS, ["dana-ray"], holder="alphaland") == ["dana-ray"]


def test_a_quote_shows_where_it_adds_to_the_words_beside_it():
    assert wording.echoes(
        "Rejecting a truce, Alphaland prefers “peace”",
        "Rejecting a truce, Alphaland prefers peace.",
    )
    assert wording.echoes(
        "Alphalandian negotiators said the truce failed",
        "Alphaland's negotiators said the truce failed.",
    )
    assert not wording.echoes("held on 16 May", "16 May")  # the quote says more than the words
    assert not wording.echoes(
        "Speaking at a briefing, Minister Dana Ray", "Ray spoke at a briefing."
    )
    assert not wording.echoes("16 May", "The round was held on 16 May.")  # too short to judge
    assert not wording.echoes("some words here", "")  # a relation: no words beside it


def test_stances_read_in_the_words_of_their_kind_and_never_as_made_it():
    for kind in wording.MADE:
        label = wording.stance_label("made", kind)
        assert "made" not in label
        assert wording.stance_by("made", kind) == f"{label} by"
        assert wording.stance_with_it("made", kind).count(" it") == 1
    assert wording.stance_with_it("raised", "issue") == "put it on the table"
    assert wording.stance_label("raised", "issue") == wording.stance_label("made", "issue")


def test_counts_take_the_plural_only_beyond_one():
    assert wording.counted(1, "actor") == "1 actor" and wording.counted(2, "actor") == "2 actors"
    assert wording.counted(1, "round of talks", "rounds of talks") == "1 round of talks"
    kinds = wording.kinds_counted(["call", "demand", "demand", "issue", "condition"])
    assert kinds == "2 demands, 1 condition, 1 call and 1 issue"


def test_a_cite_text_puts_no_quotation_marks_around_the_sites_own_words():
    cite = CiteView("“quoted” words", 3, "A source", "", "", "/sources/s/#L3")
    text = cite_text(Site(), "A page", "/demands/x/#f", "The site's own sentence", cite, "")
    assert text.startswith("The site's own sentence. In: A page. Talks facts. /demands/x/#f ")
    assert "“" not in text.replace("“quoted”", "")


def test_on_the_built_site_no_cite_text_quotes_the_sites_own_words(site, model):
    for kind, entity_id in entity_pages(model):
        page = article(site / kind / entity_id / "index.html")
        for link in page.select("a.permalink[data-cite]"):
            said = link["data-cite"].split(" In: ")[0]
            assert not said.startswith("“"), link["data-cite"]


def test_on_the_built_site_no_count_reads_in_the_wrong_number(site):
    for page in site.rglob("*.html"):
        if article(page) is None:  # a redirect page
            continue
        text = " ".join(article(page).get_text(" ").split())
        wrong = re.findall(
            r"(?<![\d,.])1 (?:demands|actors|sources|rounds|statements|lines)\b", text
        )
        assert not wrong, (page, wrong)
        assert " it on the table it" not in text, page
        assert "made it" not in text, page
