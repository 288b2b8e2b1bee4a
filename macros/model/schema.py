"""The schema of every file in data/: pydantic classes only, no reading or loading.

Unknown fields are errors, so a misspelt field is never ignored. Each class's docstring and field
descriptions are published as JSON Schema and on the data-format page.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    model_validator,
)

from macros.model.limits import MAX_ID_LENGTH, MAX_LINE_LENGTH, MAX_TEXT_LENGTH

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
RESERVED_IDS = frozenset({"index"})  # `<kind>/index` is the kind's own list page
# Names Windows gives its devices, with or without a suffix: a file or folder so named cannot be
# checked out there (the site writes a folder per id).
WINDOWS_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))}
)
# The ids a statement page's template gives its own elements: the headings' (`## Facts` ->
# `facts`, as the toc extension makes them) and the search box's. A statement's id, its anchor,
# must not be one of them (tests/test_page_ids.py holds this list to the templates).
PAGE_IDS = frozenset(
    {
        "demands",
        "demands-that-came-up",
        "delegations",
        "facts",
        "rounds-of-talks",
        "search-ui",
        "timeline",
        "what-was-agreed",
        "what-was-not-agreed",
        "who-stands-where",
        "withdrawn",
        "corrections",
    }
)
# The least a quote must hold, besides white space, to back a statement: a letter, or a word
# such as "in" or "US", stands on most lines.
MIN_QUOTE_CHARACTERS = 5
# Characters that reorder the text shown around them: a name holding one can display as another.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# White space, and the format characters that show nothing (zero-width, soft hyphen, tags, ...).
INVISIBLE = re.compile(
    "[\\s\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\U000e0000-\U000e007f]*"
)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only white space")
    return value


def _plain_text(value: str) -> str:
    """The site's own words (names, titles, facts): visible, and never reordering the text
    around them. Quotes are exempt: they stay verbatim, whatever the source holds."""
    _not_blank(value)
    if value.isprintable():  # the usual text: no control or format character, so neither below
        return value
    if BIDI_CONTROLS.search(value):
        controls = sorted({f"U+{ord(c):04X}" for c in BIDI_CONTROLS.findall(value)})
        raise ValueError(
            f"holds a bidirectional control character ({', '.join(controls)}), which can make "
            "it display as other text: remove it"
        )
    if INVISIBLE.fullmatch(value):
        raise ValueError("holds only invisible characters: write visible text")
    return value


def _id(value: str) -> str:
    if value in RESERVED_IDS:
        raise ValueError(f"'{value}' is reserved for the list page: choose another id")
    return value


def windows_name(value: str) -> str | None:
    """Why an id cannot name a file or folder, or None: Windows keeps some names for devices."""
    if value in WINDOWS_NAMES:
        return (
            f"'{value}' is a device name on Windows, where no file or folder can have it (the "
            f"repository could not be checked out there): choose another id, such as '{value}-1'"
        )
    return None


def _name(value: str) -> str:
    """An actor's name or alias: plain text written once, in the form it is read, so that it
    cannot pass for another (compared by `name_skeleton`)."""
    _plain_text(value)
    hidden = sorted({f"U+{ord(c):04X}" for c in value if unicodedata.category(c) == "Cf"})
    if hidden:
        raise ValueError(
            f"holds an invisible character ({', '.join(hidden)}, such as a soft hyphen): remove it"
        )
    normal = unicodedata.normalize("NFKC", value)
    if normal != value:
        raise ValueError(
            f"holds compatibility forms (fullwidth letters, ligatures or the like): write it "
            f"as {normal!r}"
        )
    return value


def _quote(value: str) -> str:
    """A citation's quote: long enough to say something."""
    _not_blank(value)
    if len("".join(value.split())) < MIN_QUOTE_CHARACTERS:
        raise ValueError(
            f"{value!r} is too short to back a statement: quote at least {MIN_QUOTE_CHARACTERS} "
            "characters of the line (besides spaces), as many words as say what it backs"
        )
    return value


def _date_text(value: Any) -> Any:
    """Dates are written YYYY-MM-DD: a number (`0`, an epoch time) is not taken for one."""
    if isinstance(value, datetime.date) or (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    ):
        return value
    raise ValueError(f"{value!r} is not a date: write it as YYYY-MM-DD, as in 2025-06-02")


Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=MAX_ID_LENGTH), AfterValidator(_id)]
Text = Annotated[str, Field(max_length=MAX_TEXT_LENGTH), AfterValidator(_plain_text)]
Name = Annotated[str, Field(max_length=MAX_TEXT_LENGTH), AfterValidator(_name)]
Quote = Annotated[str, Field(max_length=MAX_LINE_LENGTH), AfterValidator(_not_blank)]  # on a line
CitedQuote = Annotated[str, Field(max_length=MAX_LINE_LENGTH), AfterValidator(_quote)]
Date = Annotated[datetime.date, BeforeValidator(_date_text)]


def _as_of(value: Any) -> Any:
    """A report's time: a date written YYYY-MM-DD, or else a round's id."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date: write it as YYYY-MM-DD") from None
    return value


AsOf = Annotated[datetime.date | Slug, BeforeValidator(_as_of)]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def references(self) -> Iterator[tuple[str, str, str]]:
        """(field, kind, id) for every entity this node names by id; checked after loading."""
        return iter(())


def ref(kind: str, what: str) -> Any:
    """A field naming another entity by id; checked after loading."""
    return Field(description=f"{what}: the id of a file in data/{kind}/.")


class Citation(Schema):
    """Where a source says it: `quote` is an exact part of line `line` of `source`."""

    source: Slug = ref("sources", "The source")
    line: StrictInt = Field(description="The line of the source, counted from 1.")
    quote: CitedQuote = Field(
        description="The source's exact words on that line, typos and curly quotes included: "
        f"at least {MIN_QUOTE_CHARACTERS} characters besides spaces."
    )


Cites = Annotated[
    tuple[Citation, ...],
    Field(min_length=1, description="The source words that back it: at least one citation."),
]


class Cited(Schema):
    """A fact or relation: it carries the citations that back it, and who says so."""

    id: Slug | None = Field(
        default=None,
        description="Its permanent anchor on the page (`…/demands/x/#this-id`), never changed or "
        "reused: `make fact-ids` writes one for each fact or relation that has none.",
    )
    cite: Cites
    according_to: tuple[Slug, ...] = Field(
        default=(),
        description="Actors the source reports as saying this (ids); leave out when the source "
        "says it in its own voice.",
    )

    def references(self) -> Iterator[tuple[str, str, str]]:
        for i, actor in enumerate(self.according_to):
            yield f"according_to[{i}]", "actors", actor


class Fact(Cited):
    """One statement in the site's own words, with the source words that back it."""

    text: Text = Field(description="Plain text in the site's own words; no more than the quotes.")
    see_demands: tuple[Slug, ...] = Field(
        default=(),
        description="Demands (ids) with a page of their own that this fact is about, beside the "
        "page showing it: each is linked after the fact (the 30-day terms from the unconditional "
        "ceasefire, and back).",
    )

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield from super().references()
        for i, demand in enumerate(self.see_demands):
            yield f"see_demands[{i}]", "demands", demand


class Affiliation(Cited):
    """The actor (state, bloc, institution) this actor belongs to or acts for."""

    actor: Slug = ref("actors", "The actor it belongs to")

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield from super().references()
        yield "actor", "actors", self.actor


class Stance(Cited):
    """An actor's position on a demand, as the source states it."""

    actor: Slug = ref("actors", "Who takes the stance")
    stance: Literal["made", "raised", "supports", "rejects", "opposes"] = Field(
        description="made (demanded, proposed or called for it), raised (put it on the table, "
        "where the text does not call it a demand: an issue's only relation), supports, rejects "
        "or opposes; only what the text states, never inferred."
    )
    as_of: AsOf | None = Field(
        default=None,
        description="When the position held, where the source says: the round it was reported "
        "at (a round id) or a date (YYYY-MM-DD). Without it, the source's `published` date, else "
        "none: never inferred. Reports are ordered only by times of one kind (rounds, or dates).",
    )

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield from super().references()
        yield "actor", "actors", self.actor
        if isinstance(self.as_of, str):
            yield "as_of", "rounds", self.as_of


class Mention(Cited):
    """A round of talks in which the demand came up."""

    round: Slug = ref("rounds", "The round")

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield from super().references()
        yield "round", "rounds", self.round


class Delegation(Cited):
    """A side at a round of talks, and who led its delegation where the source says."""

    actor: Slug = ref("actors", "The side")
    led_by: Slug | None = Field(
        default=None, description="Who led the delegation, where the source says: an actor id."
    )
    team: Slug | None = Field(
        default=None,
        description="The delegation's own actor, where this site has one (russian-delegation): "
        "its page then lists the round.",
    )

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield from super().references()
        yield "actor", "actors", self.actor
        for field_name in ("led_by", "team"):
            if value := getattr(self, field_name):
                yield field_name, "actors", value


Facts = Annotated[tuple[Fact, ...], Field(description="Statements, each with its citations.")]


class Withdrawn(Schema):
    """A statement taken off its page: its anchor stays, saying so, and where to look instead."""

    id: Slug = Field(description="The id the statement had.")
    date: Date = Field(description="When it was withdrawn (YYYY-MM-DD).")
    see: Slug | None = Field(
        default=None, description="The id of the statement on the same page that replaces it."
    )
    reason: Text = Field(
        description="Why it was withdrawn, in a sentence: shown at its anchor and on the changes "
        "page (the corrections policy is on the About page)."
    )
    moved: bool = Field(
        default=False,
        description="true where the statement stands on under a new id (`see`), unchanged: its "
        "anchor then says it moved, not that it was withdrawn.",
    )

    @model_validator(mode="after")
    def _moved_somewhere(self) -> Withdrawn:
        if self.moved and not self.see:
            raise ValueError("a moved statement names its new id in `see`")
        return self


class Entity(Schema):
    formerly: tuple[Slug, ...] = Field(
        default=(), description="Earlier ids of this entity; each old URL redirects here."
    )
    facts: Annotated[Facts, Field(min_length=1)]
    search_variants: tuple[Text, ...] = Field(
        default=(),
        description="Other spellings and transliterations readers may type (Zelenskyy, Kiev), "
        "for search only: not the sources' words, never shown on a page or in a search result.",
    )
    search_terms: tuple[Text, ...] = Field(
        default=(),
        description="Readers' words for what the page is about that the sources do not use "
        "(NATO, POWs, Donbas), for search only: never shown on a page or in a search result.",
    )
    withdrawn: tuple[Withdrawn, ...] = Field(
        default=(),
        description="Statements taken off the page: each keeps its anchor, which then says it "
        "was withdrawn (or moved), when, why, and where to look instead.",
    )


class Actor(Entity):
    """A person, state, delegation, bloc, institution or medium the sources report acting."""

    name: Name = Field(
        description="The name, as a title of its page; it must not read as another actor's. "
        "For a speaker the source does not name, the source's words for it as they read "
        "mid-sentence: `a Russian official`, `Ukrainian negotiators`."
    )
    kind: Literal[
        "person", "state", "delegation", "bloc", "institution", "media", "group", "unnamed"
    ] = Field(
        description="What sort of actor it is; `unnamed`: a speaker the source does not name, "
        "never given a name the source does not give."
    )
    aliases: tuple[Name, ...] = Field(
        default=(), description="Other names the sources use, for search (Moscow for Russia)."
    )
    role: Fact | None = Field(default=None, description="Its role, as a fact.")
    affiliation: Affiliation | None = Field(
        default=None, description="The actor it belongs to or acts for, with citations."
    )


class Demand(Entity):
    """A demand, condition, proposal or call, and who stands where on it."""

    title: Text = Field(description="The page's title: what is demanded, in a few words.")
    summary: Text = Field(description="One line in the site's own words, for lists and previews.")
    kind: Literal["demand", "condition", "proposal", "call", "issue"] = Field(
        description="demand, condition (set for a deal), proposal, call, or issue (something a "
        "side put on the table without the text calling it a demand: its relation is 'raised')."
    )
    keywords: tuple[Text, ...] = Field(default=(), description="More words search should know.")
    stances: tuple[Stance, ...] = Field(
        default=(),
        description="Who put it forward ('made': demanded, set as a condition, proposed or called "
        "for, by its kind; 'raised': put on the table), supports, rejects or opposes it, where the "
        "sources say; with neither of the first two the page says the sources do not say who put "
        "it forward.",
    )
    raised_in: tuple[Mention, ...] = Field(default=(), description="Rounds where it came up.")


class Round(Entity):
    """One round of talks."""

    title: Text = Field(description="The page's title.")
    sequence: StrictInt = Field(ge=1, description="Its place in the series: 1 for the first.")
    place: Fact | None = Field(default=None, description="Where, in the source's own terms.")
    when: Fact | None = Field(default=None, description="When, in the source's own terms.")
    length: Fact | None = Field(default=None, description="How long, in the source's own terms.")
    delegations: tuple[Delegation, ...] = Field(default=(), description="The sides taking part.")
    agreed: Facts = Field(default=(), description="What the round agreed.")
    not_agreed: Facts = Field(default=(), description="What it failed to agree.")


class Event(Fact):
    """One dated or timed event, in the sources' own terms."""

    when: Text = Field(
        description="The time as the source gives it (16 May, last month, next week); it must "
        "stand in one of the event's quotes."
    )
    round: Slug | None = Field(default=None, description="The round of talks it is, if any.")
    order_open: bool = Field(
        default=False,
        description="true where the sources do not place it against the event before it (it "
        "then stands in the order the text tells it): the page says so beside it.",
    )

    @model_validator(mode="after")
    def _when_is_quoted(self) -> Event:
        if not any(self.when in c.quote for c in self.cite):
            raise ValueError(f"when {self.when!r} is in none of its quotes: use the source's words")
        return self

    def references(self) -> Iterator[tuple[str, str, str]]:
        yield from super().references()
        if self.round:
            yield "round", "rounds", self.round


class Timeline(Schema):
    """data/timeline.yml: events in the order the sources allow, earliest first."""

    events: Annotated[tuple[Event, ...], Field(min_length=1)] = Field(
        description="The events, earliest first; where the sources leave the order open, as "
        "the text tells them."
    )


class Frame(Schema):
    """Whose words a part of a source line is. A reporting word ("said", "according to") marks
    a line: the editor reads it once and writes down what it frames, and the voice check holds
    every fact and relation citing those words to name the speaker."""

    line: StrictInt = Field(description="The line of the source, counted from 1.")
    span: Quote = Field(
        description="The words the frame covers: an exact part of the line (what is reported, "
        "or, for own_voice, what the text says itself)."
    )
    according_to: tuple[Slug, ...] = Field(
        default=(), description="Who says the span (actor ids); leave out with own_voice."
    )
    own_voice: bool = Field(
        default=False,
        description="true where the line's reporting word does not frame the span: the text "
        "says it in its own voice.",
    )

    @model_validator(mode="after")
    def _one_voice(self) -> Frame:
        if self.own_voice == bool(self.according_to):
            raise ValueError(
                "give either according_to (who says the span) or own_voice: true, not both"
                if self.own_voice
                else "name who says the span in according_to, or write own_voice: true"
            )
        return self


class SourceMeta(Schema):
    """What is known of a source text: only what the source itself makes known."""

    title: Text = Field(description="A plain description of the source, in the site's own words.")
    publisher: Text | None = Field(default=None, description="Only where known.")
    url: Annotated[str, Field(pattern=r"^https?://[^\s<>\"'`]+$")] | None = Field(
        default=None, description="Where it was published, only where known."
    )
    published: Date | None = Field(
        default=None, description="Date of publication (YYYY-MM-DD), only where known."
    )
    frames: tuple[Frame, ...] = Field(
        default=(),
        description="The reporting frames the editor reads in the text: every line holding a "
        "reporting word needs at least one (a speaker's span, or own_voice).",
    )
