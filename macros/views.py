"""What each kind of page shows: the view its template presents, its row on the index page, and
the relations its JSON twin adds. The registry of kinds (`kinds.py`) names these functions.

A page or row function takes the renderer (any `Pages`: it makes links, claims and diagrams) and
one entity, and returns a NamedTuple whose fields are its template's variables; a `*_related`
function takes the model (any `Reader`) and returns plain JSON for the twin. No MkDocs here.
"""

from __future__ import annotations

import datetime
import functools
import json
import textwrap
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, NamedTuple, Protocol, TypeVar

from markupsafe import Markup

from macros import wording
from macros.feed import counted
from macros.history import CHANGED, PAGE_RENAMED, WITHDRAWN, Change, History
from macros.model.positions import Position, Report, When, positions
from macros.model.relations import Name, relation_of
from macros.model.schema import (
    Actor,
    Affiliation,
    Cited,
    Delegation,
    Demand,
    Fact,
    Mention,
    Round,
    Schema,
    SourceMeta,
    Stance,
    Withdrawn,
)
from macros.model.store import CitedAt, Reader, Source, statements, walk

MATRIX_COLUMNS = 12  # actors with a column of their own in the stance matrix; others share one
# How a fact or relation is named in "cited by" lists, by its field in the data.
PART_LABEL = {
    "facts": "fact",
    "stances": "stance",
    "raised_in": "round",
    "delegations": "delegation",
    "agreed": "agreed",
    "not_agreed": "not agreed",
    "when": "date",
    "events": "event",
}


class Link(NamedTuple):
    name: str
    url: Markup  # the final URL, relative to the page showing it, and an anchor
    target: tuple[str, str] = ("", "")  # the kind and id of the page it leads to
    according_to: tuple[Link, ...] = ()  # a relation's voice, where the link stands for one
    note: str = ""  # of a position: "changed", "accounts differ", "2 sources"


def voiced(pages: Pages, link: Link, relation: Cited) -> Link:
    """A link that stands for a relation, carrying whose words the relation is: lists show
    "Russia (according to Russian state-run media)"."""
    return link._replace(according_to=tuple(pages.link("actors", a) for a in relation.according_to))


class CiteView(NamedTuple):
    quote: str
    line: int
    source_title: str
    url: Markup
    original: str  # the quote at the publisher (a Text Fragment link), where the source has a url
    address: str  # the line's address, printed after the link (absolute where the site's is known)
    named: bool = False  # the source named beside the line: the statement cites several sources
    echo: bool = False  # the quote says no more than the statement beside it: not printed again


class Claim(NamedTuple):
    """A fact (`text`) or a relation (`link`, `label`) as shown: anchor, who says it, citations."""

    text: str
    link: Link | None
    label: str
    anchor: str
    stance: str  # a stance's kind (made, supports, ...), for diagrams; else ""
    according_to: list[Link]  # whose words it is, where its own words do not already say so
    cites: list[CiteView]
    aliases: list[str]  # older anchors of the same statement, from the ledger
    cite_text: str  # a ready citation of this statement (see `render.cite_text`)
    dated: str  # when it was published and last changed (`render.history_note`), or ""
    see: tuple[Link, ...] = ()  # pages of demands it is about, besides the page showing it


class Tombstone(NamedTuple):
    """Where a withdrawn statement stood: its anchor stays, saying so, when and why."""

    anchor: str
    date: str
    see: Link | None
    aliases: list[str]
    reason: str
    moved: bool  # the same statement under a new id (`see`), not withdrawn


class Segment(NamedTuple):
    text: str
    marked: bool  # quoted by some citation


class CitedPart(NamedTuple):
    """A fact or relation citing a line: what it says (shortened), its link, the quotes."""

    name: str
    url: Markup
    quotes: str  # a JSON list of the words it quotes on the line, for the page's script


class CitedBy(NamedTuple):
    page: Link
    parts: list[CitedPart]  # the facts and relations of that page that cite the line


class Voice(NamedTuple):
    """A frame of a source line, as shown under it: whose words the span is."""

    span: str
    speakers: list[Link]  # [] where the text says it in its own voice
    within: bool = False  # a part of the span before it that is not that span's speakers' words


class LineView(NamedTuple):
    number: int
    segments: list[Segment]
    cited_by: list[CitedBy]
    voices: list[Voice]


T = TypeVar("T")


class TemplateView(Protocol):
    """What a page function returns (a NamedTuple): its fields are its template's variables."""

    def _asdict(self) -> dict[str, Any]: ...


class Row(Protocol):
    """An entity's row on its kind's index page (a NamedTuple), sorted by `sort`."""

    @property
    def sort(self) -> str | int: ...


class Pages(Protocol):
    """What views ask of the renderer."""

    model: Reader
    history: History

    def tombstones(self, entity: Any) -> list[Tombstone]: ...

    def link(self, kind: str, entity_id: str = "", anchor: str = "") -> Link: ...

    def claim(self, node: Cited, link: Link | None = None, label: str = "") -> Claim: ...

    def diagram(self, subject: str, related: Iterable[Claim]) -> Markup: ...

    def final_url(self, kind: str, entity_id: str = "") -> Markup: ...

    def file_url(self, src_uri: str) -> Markup: ...

    def fragment(self, key: tuple[str, ...], compute: Callable[[], T], also: Hashable = ()) -> T:
        """What `compute` returns (a row of a list that names every entity), kept across
        `make serve`'s builds while what it read is unchanged (see `incremental.py`); `key`
        names it on this page, `also` is what it was computed from besides the model."""
        ...

    def html(self, macro: str, *args: Any) -> Markup:
        """A macro of `templates/_parts.html.j2`, rendered (a row kept as a fragment)."""
        ...


class ReportView(NamedTuple):
    """One source's report of a stance, as shown among a side's reports."""

    claim: Claim  # its anchor, stance label, voice and citations
    source: Link
    when: str  # "round 2", "2031-07-04" or "undated"


class PositionView(NamedTuple):
    """Where one side stands on a demand, from all its reports (see `model/positions.py`)."""

    link: Link  # the other end: the side on a demand's page, the demand on an actor's
    stance: str  # its latest stance (made, rejects, ...), or "differ" where accounts differ
    label: str  # in words: "made it, reported by 2 sources"; "accounts differ: ..."
    note: str  # in a few words beside the side's name in lists: "changed: earlier ...", "2 sources"
    now: list[ReportView]  # the reports of its latest position (all where accounts differ)
    earlier: list[ReportView]  # those of the position it changed from, oldest first
    single: Claim | None  # its one report, where it has one with no time of its own: shown as a
    # plain stance, as before reports had times


def part_label(path: str) -> str:
    """A reader's name for a fact or relation: facts[0] -> fact 1, role -> role."""
    name, _, index = path.partition("[")
    label = PART_LABEL.get(name, name.replace("_", " "))
    return f"{label} {int(index.rstrip(']')) + 1}" if index else label


def facts(pages: Pages, items: Iterable[Fact]) -> list[Claim]:
    return [pages.claim(f) for f in items]


# -- positions: each side's reports of its stance on a demand -------------------------------


def demand_positions(pages: Pages, demand: Demand, actor: str = "") -> list[Position]:
    """Each side's position on `demand` (`actor`'s alone, if given)."""
    m = pages.model
    stances = [s for s in demand.stances if s.actor == actor] if actor else demand.stances
    return positions(stances, m.rounds, m.sources)


def kind_of(pages: Pages, demand_id: str) -> str:
    return pages.model.demands[demand_id].kind


def actor_positions(pages: Pages, actor_id: str) -> list[tuple[str, Position]]:
    """(demand id, the actor's position on it), for each demand it has a stance on."""
    demands = dict.fromkeys(d for d, _ in pages.model.related("stances").get(actor_id, []))
    demand_of = pages.model.demands
    return [(d, demand_positions(pages, demand_of[d], actor_id)[0]) for d in demands]


def position_view(pages: Pages, position: Position, link: Link, kind: str) -> PositionView:
    """`link`: the other end, shown with each report (the side, or the demand); `kind`: the
    demand's, which words its stances ("demanded", "proposed")."""
    now = [_report_view(pages, link, r, kind) for r in position.now]
    earlier = [_report_view(pages, link, r, kind) for r in position.earlier]
    alone = len(position.reports) == 1 and not position.reports[0].when.given
    single = now[0].claim if alone else None
    stance = "differ" if position.differ else position.now[-1].stance.stance
    label = _position_label(position, kind)
    note = _position_note(position, [*position.now], kind)
    return PositionView(link, stance, label, note, now, earlier, single)


def _report_view(pages: Pages, link: Link, report: Report, kind: str) -> ReportView:
    claim = pages.claim(report.stance, link, wording.stance_label(report.stance.stance, kind))
    return ReportView(claim, pages.link("sources", report.source), when_label(report.when))


def when_label(when: When) -> str:
    if when.kind == "round":
        return f"round {when.order}"
    return when.date.isoformat() if when.date else "undated"


def _position_label(position: Position, kind: str) -> str:
    """A side's position in words: its stance, how many sources report it, and whether it
    changed or accounts differ (never resolved here)."""
    if position.differ:
        told = "; ".join(
            f"{wording.stance_label(r.stance.stance, kind)} ({when_label(r.when)})"
            for r in position.now
        )
        return f"accounts differ: {told}"
    now = "; ".join(
        wording.stance_label(stance, kind) + _sources_note(reports)
        for stance, reports in position.stances().items()
    )
    if position.changed:
        return f"{now} (since {when_label(position.now[0].when)}); {_earlier(position, kind)}"
    return now


def _earlier(position: Position, kind: str) -> str:
    before = position.earlier[-1]
    return f"earlier {wording.stance_label(before.stance.stance, kind)} ({when_label(before.when)})"


def _sources(reports: list[Report]) -> int:
    return len({r.source for r in reports})


def _sources_note(reports: list[Report]) -> str:
    count = _sources(reports)
    return f", reported by {count} sources" if count > 1 else ""


def _position_note(position: Position, reports: list[Report], kind: str) -> str:
    """What a list adds beside a side's name: accounts differ, a change, or how many sources."""
    if position.differ:
        return "accounts differ"
    if position.changed:
        return f"changed: {_earlier(position, kind)}"
    count = _sources(reports)
    return f"{count} sources" if count > 1 else ""


def position_links(
    pages: Pages, position: Position, link: Link, kinds: Iterable[str], kind: str
) -> list[Link]:
    """A side in a list of who made, supports or rejects a demand: linked, with whose words its
    reports are and a note where it changed, accounts differ or several sources report it."""
    reports = [r for r in position.now if r.stance.stance in kinds]
    if not reports:
        return []
    note = _position_note(position, reports, kind)
    return [link._replace(according_to=_voices(pages, reports, position.actor), note=note)]


def _voices(pages: Pages, reports: list[Report], holder: str) -> tuple[Link, ...]:
    """Whose words reports are: their speakers, and where one is in its source's own voice
    beside others that are not, that source (so that no speaker is credited with it). The
    holder reporting its own stance is named once, as the holder (`wording.voices_to_show`)."""

    def speakers(r: Report) -> list[str]:
        return wording.voices_to_show(pages.model.actors, r.stance.according_to, holder=holder)

    if len(reports) == 1 or all(speakers(r) for r in reports):
        named = (a for r in reports for a in speakers(r))
        return tuple(pages.link("actors", a) for a in dict.fromkeys(named))
    if not any(speakers(r) for r in reports):
        return ()
    voices = [
        *(("actors", a) for r in reports for a in speakers(r)),
        *(("sources", r.source) for r in reports if not speakers(r)),
    ]
    return tuple(pages.link(*voice) for voice in dict.fromkeys(voices))


def diagram_claims(views: Iterable[PositionView]) -> list[Claim]:
    """One box a side in a demand's diagram, at its latest position, marked where it changed:
    where accounts differ, a box for each account, marked so."""
    claims: list[Claim] = []
    for view in views:
        if view.stance == "differ":
            claims.extend(
                r.claim._replace(label=f"{r.claim.label} (accounts differ)") for r in view.now
            )
            continue
        latest = view.now[-1].claim
        speakers = [a for r in view.now for a in r.claim.according_to]
        label = f"{latest.label} (changed)" if view.earlier else latest.label
        claims.append(latest._replace(according_to=list(dict.fromkeys(speakers)), label=label))
    return claims


# -- sources ----------------------------------------------------------------------------------


class SourcePage(NamedTuple):
    meta: SourceMeta
    lines: list[LineView]
    covered: int  # lines cited by some statement
    percent: int


def source_page(pages: Pages, source_id: str, source: Source) -> SourcePage:
    voices: dict[int, list[Voice]] = {}
    for frame in source.meta.frames:
        speakers = [pages.link("actors", a) for a in frame.according_to]
        on_line = voices.setdefault(frame.line, [])
        within = bool(on_line) and frame.span in on_line[-1].span and not on_line[-1].within
        on_line.append(Voice(frame.span, speakers, within))
    lines = []
    for number, text in enumerate(source.lines, 1):
        cited = pages.model.citations_by_line.get((source_id, number), [])
        marked = marked_segments(text, (c.quote for c in cited))
        lines.append(LineView(number, marked, _cited_by(pages, cited), voices.get(number, [])))
    covered = sum(1 for line in lines if line.cited_by)
    return SourcePage(source.meta, lines, covered, round(100 * covered / len(lines)))


def _cited_by(pages: Pages, cited: Iterable[CitedAt]) -> list[CitedBy]:
    """The pages citing a line, each with the parts that cite it (what each says), in data
    order."""
    by_page: dict[tuple[str, str], dict[str, CitedPart]] = {}
    quotes: dict[tuple[str, str, str], list[str]] = {}
    for c in cited:
        parts = by_page.setdefault((c.kind, c.entity_id), {})
        quotes.setdefault((c.kind, c.entity_id, c.path), []).append(c.quote)
        if c.path not in parts:
            target = pages.link(c.kind, c.entity_id, c.anchor)
            parts[c.path] = CitedPart(_says(pages, c), target.url, "")
    for (kind, entity_id, path), words in quotes.items():
        part = by_page[(kind, entity_id)][path]
        by_page[(kind, entity_id)][path] = part._replace(quotes=json.dumps(words))
    return [
        CitedBy(
            pages.link(kind, entity_id) if entity_id else Link("Timeline", pages.link(kind).url),
            list(parts.values()),
        )
        for (kind, entity_id), parts in by_page.items()
    ]


SAYS_WIDTH = 80  # characters of a fact's text in a "cited by" entry


def shorten(text: str, width: int = SAYS_WIDTH) -> str:
    return textwrap.shorten(text, width, placeholder=" …")


def _says(pages: Pages, cited: CitedAt) -> str:
    """What a citing fact or relation says, in a few words: its text, shortened, or the
    relation in words ("Russia rejects it"); its field's name where neither fits."""
    node = _node(pages.model, cited)
    if isinstance(node, Fact):
        return shorten(node.text)
    relation = relation_of(pages.model.relations, node)
    if relation is None:
        return part_label(cited.path)
    holder = pages.model.entities(cited.kind).get(cited.entity_id)
    return relation.says(node, _name_of(pages), holder)


# -- what each relation says, in a few words, and is in the other end's JSON twin (kinds.py) ---


def stance_says(s: Stance, name: Name, demand: Any = None) -> str:
    """ "Russia rejects it", "Ukraine put it on the table": in the words of the demand's kind."""
    return f"{name('actors', s.actor)} {wording.stance_with_it(s.stance, _kind(demand))}"


def _kind(demand: Any) -> str:
    return demand.kind if isinstance(demand, Demand) else "demand"


def mention_says(m: Mention, name: Name, demand: Any = None) -> str:
    return f"came up in {name('rounds', m.round)}"


def delegation_says(d: Delegation, name: Name, round_: Any = None) -> str:
    led = f", led by {name('actors', d.led_by)}" if d.led_by else ""
    return f"delegation of {name('actors', d.actor)}{led}"


def affiliation_says(a: Affiliation, name: Name, actor: Any = None) -> str:
    return f"part of {name('actors', a.actor)}"


def stance_twin(demand_id: str, s: Stance, actor_id: str) -> dict[str, Any]:
    return {
        "demand": demand_id,
        "stance": s.stance,
        "according_to": list(s.according_to),
        "id": s.id,
        "source": s.cite[0].source,
        "as_of": s.as_of.isoformat() if isinstance(s.as_of, datetime.date) else s.as_of,
    }


def mention_twin(demand_id: str, m: Mention, round_id: str) -> dict[str, Any]:
    return {"demand": demand_id, "according_to": list(m.according_to)}


def delegation_twin(round_id: str, d: Delegation, actor_id: str) -> dict[str, Any]:
    led = d.led_by == actor_id
    return {"round": round_id, "side": d.actor, "led": led, "according_to": list(d.according_to)}


def member_twin(member_id: str, a: Affiliation, group_id: str) -> str:
    return member_id


def positions_twin(model: Reader, demand: Demand) -> dict[str, Any]:
    """A demand's twin adds each side's position: every report (by its id, with its source,
    voice and time), the latest position, and whether it changed or accounts differ."""
    return {
        "positions": [
            {
                "actor": p.actor,
                "stances": list(p.stances()) if not p.differ else [],
                "changed": p.changed,
                "accounts_differ": p.differ,
                "now": [r.stance.id for r in p.now],
                "earlier": [r.stance.id for r in p.earlier],
                "reports": [_report_twin(r) for r in p.reports],
            }
            for p in positions(demand.stances, model.rounds, model.sources)
        ]
    }


def _report_twin(report: Report) -> dict[str, Any]:
    when = report.when
    return {
        "id": report.stance.id,
        "stance": report.stance.stance,
        "source": report.source,
        "according_to": list(report.stance.according_to),
        "round": when.round or None,
        "date": when.date.isoformat() if when.date else None,
        "time_given": when.given,  # false: the source's date (or none), not the report's own
    }


def related_twin(model: Reader, kind: str, entity_id: str) -> dict[str, Any]:
    """The relations other files hold that name this entity, for its JSON twin's `related`."""
    related: dict[str, Any] = {}
    for r in model.relations:
        if r.other == kind:
            held = model.related(r.field).get(entity_id, [])
            related[r.twin_key] = [r.twin(h, entry, entity_id) for h, entry in held]
            if r.twin_ids_key:
                related[r.twin_ids_key] = [h for h, _ in held]
    return related


def _name_of(pages: Pages) -> Any:
    return lambda kind, entity_id: pages.link(kind, entity_id).name


def _node(model: Reader, cited: CitedAt) -> Schema | None:
    """The fact or relation at `cited.path` in its entity (or the timeline)."""
    entity = (
        model.timeline
        if cited.kind == "timeline"
        else model.entities(cited.kind).get(cited.entity_id)
    )
    if entity is None:
        return None
    return next((node for path, node in walk(entity) if path == cited.path), None)


def marked_segments(text: str, quotes: Iterable[str]) -> list[Segment]:
    """The line cut into runs, each marked where some quote covers it."""
    spans = []
    for quote in set(quotes):
        start = text.find(quote)
        while start >= 0:
            spans.append((start, start + len(quote)))
            start = text.find(quote, start + 1)
    segments, position = [], 0
    for start, end in sorted(spans):
        if end <= position:
            continue
        if start > position:
            segments.append(Segment(text[position:start], False))
        segments.append(Segment(text[max(start, position) : end], True))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:], False))
    return _merged(segments)


def _merged(segments: list[Segment]) -> list[Segment]:
    """Adjacent marked runs as one."""
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].marked and segment.marked:
            merged[-1] = Segment(merged[-1].text + segment.text, True)
        else:
            merged.append(segment)
    return merged


class SourceRow(NamedTuple):
    sort: str
    link: Link
    publisher: str
    lines: int


def source_row(pages: Pages, source_id: str, source: Source) -> SourceRow:
    return SourceRow(
        source.meta.title.casefold(),
        pages.link("sources", source_id),
        source.meta.publisher or "",
        len(source.lines),
    )


# -- actors -----------------------------------------------------------------------------------


class ActorPage(NamedTuple):
    actor: Actor
    role: Claim | None
    affiliation: Claim | None  # of the group it belongs to, linked
    members: list[Link]
    stances: list[PositionView]  # its position on each demand
    diagram: Markup
    rounds: list[Claim]  # its part in each round's delegations
    facts: list[Claim]
    withdrawn: list[Tombstone]


def actor_page(pages: Pages, actor_id: str, actor: Actor) -> ActorPage:
    m = pages.model
    stances = [
        position_view(pages, position, pages.link("demands", d), kind_of(pages, d))
        for d, position in actor_positions(pages, actor_id)
    ]
    affiliation = actor.affiliation
    return ActorPage(
        actor,
        pages.claim(actor.role) if actor.role else None,
        pages.claim(affiliation, pages.link("actors", affiliation.actor)) if affiliation else None,
        [pages.link("actors", a) for a, _ in m.related("affiliation").get(actor_id, [])],
        stances,
        pages.diagram(actor.name, diagram_claims(stances)),
        [
            pages.claim(dl, pages.link("rounds", r), _part_in(pages, actor_id, dl))
            for r, dl in m.related("delegations").get(actor_id, [])
        ],
        facts(pages, actor.facts),
        pages.tombstones(actor),
    )


def _part_in(pages: Pages, actor_id: str, delegation: Delegation) -> str:
    """What an actor was at a round: a side, the person who led one, or the team itself."""
    side = pages.link("actors", delegation.actor).name
    if delegation.led_by == actor_id:
        return f"led the delegation of {side}"
    if delegation.team == actor_id:
        return f"the delegation of {side}"
    return "side"


class ActorRow(NamedTuple):
    sort: str
    link: Link
    kind: str
    role: str
    made: list[Link]  # the demands it made or put on the table
    supports: list[Link]
    rejects: list[Link]  # rejected or opposed


def actor_row(pages: Pages, actor_id: str, actor: Actor) -> ActorRow:
    """Its row in the actors table: kind, role, and the demands it made, backs or rejects."""
    stances = actor_positions(pages, actor_id)

    def demands(*kinds: str) -> list[Link]:
        return [
            link
            for d, position in stances
            for link in position_links(
                pages, position, pages.link("demands", d), kinds, kind_of(pages, d)
            )
        ]

    return ActorRow(
        actor.name.casefold(),
        pages.link("actors", actor_id),
        actor.kind,
        actor.role.text if actor.role else "",
        demands(*wording.PUT_FORWARD),
        demands("supports"),
        demands("rejects", "opposes"),
    )


# -- demands ----------------------------------------------------------------------------------


class DemandPage(NamedTuple):
    demand: Demand
    stances: list[PositionView]  # each side's
    sources: int  # how many sources its statements cite
    made: bool  # whether anyone is recorded as having made it or put it on the table
    diagram: Markup
    rounds: list[Claim]  # the rounds it was raised in
    facts: list[Claim]
    withdrawn: list[Tombstone]


def demand_page(pages: Pages, demand_id: str, demand: Demand) -> DemandPage:
    stances = [
        position_view(pages, p, pages.link("actors", p.actor), demand.kind)
        for p in demand_positions(pages, demand)
    ]
    cited = {c.source for _, node in statements(demand) for c in node.cite}
    return DemandPage(
        demand,
        stances,
        len(cited),
        any(s.stance in ("made", "raised") for s in demand.stances),
        pages.diagram(demand.title, diagram_claims(stances)),
        [pages.claim(r, pages.link("rounds", r.round)) for r in demand.raised_in],
        facts(pages, demand.facts),
        pages.tombstones(demand),
    )


class DemandRow(NamedTuple):
    sort: str
    link: Link
    kind: str
    summary: str
    made_by: list[Link]  # made it or put it on the table
    supported_by: list[Link]
    rejected_by: list[Link]  # rejected or opposed it
    raised_in: list[Link]
    actors: str  # the ids of everyone with a stance, for the table's filter


def demand_row(pages: Pages, demand_id: str, demand: Demand) -> DemandRow:
    """Its row in the demands table: who stands where and the rounds it came up in, with the
    ids the table's filters match on (`actors`: everyone with a stance)."""
    sides = [(p, pages.link("actors", p.actor)) for p in demand_positions(pages, demand)]

    def actors(*kinds: str) -> list[Link]:
        return [
            link
            for p, actor in sides
            for link in position_links(pages, p, actor, kinds, demand.kind)
        ]

    return DemandRow(
        demand.title.casefold(),
        pages.link("demands", demand_id),
        demand.kind,
        demand.summary,
        actors(*wording.PUT_FORWARD),
        actors("supports"),
        actors("rejects", "opposes"),
        [voiced(pages, pages.link("rounds", m.round), m) for m in demand.raised_in],
        " ".join(dict.fromkeys(s.actor for s in demand.stances)),
    )


def demand_filters(rows: list[DemandRow]) -> dict[str, list[tuple[str, str]]]:
    """The demands table's filters, each a list of (value, label): by kind, and by actor (the
    actors named in its rows, by name)."""
    names = {
        link.target[1]: link.name
        for r in rows
        for link in (*r.made_by, *r.supported_by, *r.rejected_by)
    }
    return {
        "kind": _kinds(rows),
        "actors": sorted(names.items(), key=lambda item: item[1].casefold()),
    }


def actor_filters(rows: list[ActorRow]) -> dict[str, list[tuple[str, str]]]:
    return {"kind": _kinds(rows)}


def _kinds(rows: list[ActorRow] | list[DemandRow]) -> list[tuple[str, str]]:
    return [(kind, kind) for kind in sorted({r.kind for r in rows})]


# -- rounds -----------------------------------------------------------------------------------


class RoundPage(NamedTuple):
    round: Round
    held: list[tuple[str, Claim]]  # ("Where", claim), ("When", claim), ("How long", claim)
    delegations: list[tuple[Claim, Link | None]]  # each side's, and who led it
    agreed: list[Claim]
    not_agreed: list[Claim]
    demands: list[Claim]  # the demands raised in it
    facts: list[Claim]
    withdrawn: list[Tombstone]


def round_page(pages: Pages, round_id: str, round_: Round) -> RoundPage:
    return RoundPage(
        round_,
        [
            (label, pages.claim(getattr(round_, name)))
            for name, label in (("place", "Where"), ("when", "When"), ("length", "How long"))
            if getattr(round_, name)
        ],
        [
            (
                pages.claim(d, pages.link("actors", d.actor)),
                pages.link("actors", d.led_by) if d.led_by else None,
            )
            for d in round_.delegations
        ],
        facts(pages, round_.agreed),
        facts(pages, round_.not_agreed),
        [
            pages.claim(mention, link=pages.link("demands", d))
            for d, mention in pages.model.related("raised_in").get(round_id, [])
        ],
        facts(pages, round_.facts),
        pages.tombstones(round_),
    )


class RoundRow(NamedTuple):
    sort: int  # the round's place in the sequence of rounds
    link: Link
    when: str
    place: str


def round_row(pages: Pages, round_id: str, round_: Round) -> RoundRow:
    return RoundRow(
        round_.sequence,
        pages.link("rounds", round_id),
        round_.when.text if round_.when else "",
        round_.place.text if round_.place else "",
    )


# -- pages drawn from all the data --------------------------------------------------------------


class StanceMatrix(NamedTuple):
    columns: list[Link]  # the actors with a column of their own
    others: bool  # whether any row has something in the others' column
    rows: list[Markup]  # each demand's row of the table (`matrix_row` in _parts.html.j2)
    # The same positions by demand, for narrow screens' list (`stance_list_item`): each
    # demand, and each side's position on it (the columns' sides first, then the others').
    by_demand: list[Markup]


class MatrixRow(NamedTuple):
    row: Markup
    item: Markup


def stance_matrix(pages: Pages) -> StanceMatrix:
    """Demands by actors: the busiest actors get columns, the rest share the last one, which
    is left out when no row has anything in it. Each demand's row is a fragment: under
    `make serve`, an edit renders again only the rows it changed (unless it changes the
    columns)."""
    demands: Mapping[str, Demand] = pages.model.demands
    counts = Counter(a for d in demands.values() for a in dict.fromkeys(s.actor for s in d.stances))
    columns = tuple(sorted(counts, key=lambda a: (-counts[a], a))[:MATRIX_COLUMNS])
    others = any(a not in columns for a in counts)
    rows = [
        pages.fragment(
            ("matrix", demand_id),
            functools.partial(_matrix_row, pages, demand_id, columns, others),
            also=(columns, others),
        )
        for demand_id in sorted(demands, key=lambda i: demands[i].title)
    ]
    return StanceMatrix(
        [pages.link("actors", a) for a in columns],
        others,
        [r.row for r in rows],
        [r.item for r in rows],
    )


def _matrix_row(pages: Pages, demand_id: str, columns: tuple[str, ...], others: bool) -> MatrixRow:
    demand = pages.model.demands[demand_id]
    cells: dict[str, list[PositionView]] = {actor: [] for actor in columns}
    rest: list[PositionView] = []
    for position in demand_positions(pages, demand):
        view = position_view(pages, position, pages.link("actors", position.actor), demand.kind)
        cells.get(position.actor, rest).append(view)
    link = pages.link("demands", demand_id)
    listed = [p for cell in [*cells.values(), rest] for p in cell]
    return MatrixRow(
        pages.html("matrix_row", link, list(cells.values()), rest, others),
        pages.html("stance_list_item", link, listed),
    )


class TimelineView(NamedTuple):
    events: list[tuple[str, bool, Claim]]  # when, whether its order is open, the event


def timeline(pages: Pages) -> TimelineView:
    events = pages.model.timeline.events if pages.model.timeline else ()
    return TimelineView(
        [
            (
                e.when,
                e.order_open,
                pages.claim(e, pages.link("rounds", e.round) if e.round else None),
            )
            for e in events
        ]
    )


# -- the home page: where things stand -------------------------------------------------------

HOME_LINES = 40  # up to this many rounds and demands in all, the home page gives each a line
HOME_ROUNDS = 3  # beyond it, the latest rounds only, and the demands they raised
HOME_SOURCES = 10  # sources named on the home page, the latest first


class RoundStatus(NamedTuple):
    link: Link
    held: list[tuple[str, Claim]]  # ("When", claim), ("Where", claim)
    agreed: list[Claim]
    not_agreed: list[Claim]
    raised: list[Link]  # the demands it raised


class DemandStatus(NamedTuple):
    link: Link
    kind: str
    stances: list[tuple[str, list[PositionView]]]  # ("rejected by", sides), in STANCE_ORDER
    rounds: list[Claim]  # the rounds it was raised in


class SourceStatus(NamedTuple):
    link: Link
    published: str  # ISO date, or "" where the source gives none
    lines: int


class WhereThingsStand(NamedTuple):
    updated: str  # YYYY-MM-DD, when the data last changed, or ""
    counts: dict[str, int]  # kind -> entities
    sources: list[SourceStatus]
    rounds: list[RoundStatus]
    demands: list[DemandStatus]
    everything: bool  # whether every round and demand is listed
    indexes: dict[str, Link]  # kind -> its index page
    latest: str  # the latest change of the data, in a few words ("" without history)
    changes: Link  # the changes page, with its anchor of that day
    scope: str  # the counts in words: "1 source, 2 rounds of talks, 14 actors and …"


def where_things_stand(pages: Pages, updated: str) -> WhereThingsStand:
    """The home page's summary: the sources, the latest rounds and each demand's status. Every
    round and demand while the data is small; at scale the latest rounds and the demands they
    raised, so that the page stays short. `updated` is when the data last changed (from git),
    or ""."""
    m = pages.model
    rounds = sorted(m.rounds.items(), key=lambda item: -item[1].sequence)
    everything = len(m.rounds) + len(m.demands) <= HOME_LINES
    if not everything:
        rounds = rounds[:HOME_ROUNDS]
    if everything:
        demand_ids = sorted(m.demands, key=lambda d: m.demands[d].title.casefold())
    else:
        raised = (d for r, _ in rounds for d, _ in m.related("raised_in").get(r, []))
        demand_ids = list(dict.fromkeys(raised))[:HOME_LINES]
    return WhereThingsStand(
        updated,
        {kind: len(m.entities(kind)) for kind in m.by_kind},
        _latest_sources(pages),
        [_round_status(pages, r, round_) for r, round_ in rounds],
        [_demand_status(pages, d, m.demands[d]) for d in demand_ids],
        everything,
        {kind: pages.link(kind) for kind in (*m.by_kind, "stances")},
        *_latest_change(pages),
        scope(m),
    )


def scope(model: Reader) -> str:
    """What the site covers, each count with its noun: "1 source, 2 rounds of talks, 14 actors,
    and 6 demands, 4 conditions, 3 proposals, 3 calls and 1 issue"."""
    counts = [
        wording.counted(len(model.sources), "source"),
        wording.counted(len(model.rounds), "round of talks", "rounds of talks"),
        wording.counted(len(model.actors), "actor"),
    ]
    kinds = wording.kinds_counted(d.kind for d in model.demands.values())
    return ", ".join(counts) + (f", and {kinds}" if kinds else "")


def _latest_change(pages: Pages) -> tuple[str, Link]:
    """The latest commit's changes in a few words, and the changes page at its day."""
    latest = pages.history.latest
    if latest is None:
        return "", pages.link("changes")
    counts = Counter(
        c.what for c in pages.history.changes if c.stamp == latest.stamp and not c.with_page
    )
    summary = f"{latest.stamp.date}: {counted(counts)}"
    return summary, pages.link("changes", anchor=day_anchor(latest.stamp.date))


def _latest_sources(pages: Pages) -> list[SourceStatus]:
    def latest_first(item: tuple[str, Source]) -> tuple[int, str]:
        published = item[1].meta.published
        return (-published.toordinal() if published else 0, item[1].meta.title.casefold())

    dated = sorted(pages.model.sources.items(), key=latest_first)
    return [
        SourceStatus(
            pages.link("sources", source_id),
            source.meta.published.isoformat() if source.meta.published else "",
            len(source.lines),
        )
        for source_id, source in dated[:HOME_SOURCES]
    ]


def _round_status(pages: Pages, round_id: str, round_: Round) -> RoundStatus:
    held = [
        (label, pages.claim(getattr(round_, name)))
        for name, label in (("when", "When"), ("place", "Where"))
        if getattr(round_, name)
    ]
    return RoundStatus(
        pages.link("rounds", round_id),
        held,
        facts(pages, round_.agreed),
        facts(pages, round_.not_agreed),
        [
            voiced(pages, pages.link("demands", d), mention)
            for d, mention in pages.model.related("raised_in").get(round_id, [])
        ],
    )


def _demand_status(pages: Pages, demand_id: str, demand: Demand) -> DemandStatus:
    """Each side at its latest stance ("rejected by Betania"), those whose accounts differ apart;
    a side's view there holds only its reports of that stance."""
    views = [
        position_view(pages, p, pages.link("actors", p.actor), demand.kind)
        for p in demand_positions(pages, demand)
    ]
    stances = [
        (
            wording.stance_by(stance, demand.kind),
            [v._replace(now=_reporting(v, stance)) for v in views if _reporting(v, stance)],
        )
        for stance in wording.STANCE_ORDER
    ]
    stances.append(("accounts differ on the stance of", [v for v in views if v.stance == "differ"]))
    return DemandStatus(
        pages.link("demands", demand_id),
        demand.kind,
        [(by, sides) for by, sides in stances if sides],
        [pages.claim(m, pages.link("rounds", m.round)) for m in demand.raised_in],
    )


def _reporting(view: PositionView, stance: str) -> list[ReportView]:
    """A side's latest reports of one stance; none where its accounts differ."""
    if view.stance == "differ":
        return []
    return [r for r in view.now if r.claim.stance == stance]


# -- what changed, and when (from git: history.py) -------------------------------------------

FEED = "changes.xml"  # the Atom feed of the changes page, at the site's root
FEED_CHANGES = 5000  # the feed reads at most the latest changes (its entries: feed.FEED_ENTRIES)
CHANGES_LISTED = 25  # a page's changes listed on one day; the rest counted


class ChangeItem(NamedTuple):
    """One change, linked to where it stands now."""

    what: str  # history.ADDED, CHANGED, WITHDRAWN (or "moved"), PAGE_ADDED, PAGE_RENAMED
    link: Link | None  # the statement (or page) now; None where it no longer stands anywhere
    says: str  # what it says now (added, changed)
    earlier: str  # what it said before, no longer stated ("" where only its citations changed)
    reason: str  # why it was withdrawn
    former: str  # the page's former id (renamed); the statements added with it (page added)
    replaced: bool  # a withdrawn statement's link leads to what replaces it (else to its note)


class PageChanges(NamedTuple):
    page: Link | None  # the page now (None: gone)
    name: str  # its name, or its id then where gone
    items: list[ChangeItem]
    more: int  # changes not listed


class ChangeDay(NamedTuple):
    date: str
    anchor: str  # "on-2026-11-25"
    pages: list[PageChanges]


class ChangesPage(NamedTuple):
    available: bool  # whether the data's history could be read (git)
    days: list[ChangeDay]
    feed: Markup  # the Atom feed's URL


def changes_page(pages: Pages) -> ChangesPage:
    """Every change of the data, newest first, by day, then by page, each change linked to
    where it stands now."""
    days = grouped(pages, pages.history.changes, lambda c: c.stamp.date)
    listed = [ChangeDay(Markup(day), Markup(day_anchor(day)), p) for day, p in days.items()]
    return ChangesPage(pages.history.available, listed, pages.file_url(FEED))


def grouped(
    pages: Pages, changes: Iterable[Change], key: Callable[[Change], str]
) -> dict[str, list[PageChanges]]:
    """Changes by `key` (a day, a commit), in the order given, then by page."""
    by_key: dict[str, dict[str, list[Change]]] = {}
    for change in changes:
        by_key.setdefault(key(change), {}).setdefault(change.page, []).append(change)
    return {
        k: [page_changes(pages, page, cs) for page, cs in by_page.items()]
        for k, by_page in by_key.items()
    }


def day_anchor(date: str) -> str:
    return f"on-{date}"


def page_changes(pages: Pages, page: str, changes: list[Change]) -> PageChanges:
    """One page's changes on one day: statements added with the page are counted on its line."""
    now = current_page(pages.model, page)
    link = pages.link(*now) if now else None
    with_page = sum(1 for c in changes if c.with_page)
    listed = [change_item(pages, now, c, with_page) for c in changes if not c.with_page]
    if link and now == ("timeline", ""):
        link = link._replace(name="Timeline")
    name = link.name if link else page
    return PageChanges(link, name, listed[:CHANGES_LISTED], max(0, len(listed) - CHANGES_LISTED))


def current_page(model: Reader, page: str) -> tuple[str, str] | None:
    """(kind, id) of the page now shown for a page as history named it (renamed since:
    its new id, from `formerly`); ("timeline", "") for the timeline; None where gone."""
    kind, _, entity_id = page.partition("/")
    if not entity_id:
        return (kind, "") if kind == "timeline" else None
    entities = model.by_kind.get(kind, {})
    if entity_id in entities:
        return (kind, entity_id)
    renamed = (i for i, e in entities.items() if entity_id in getattr(e, "formerly", ()))
    found = next(renamed, None)
    return (kind, found) if found else None


def change_item(
    pages: Pages, now: tuple[str, str] | None, change: Change, with_page: int
) -> ChangeItem:
    statement = change.statement
    node = _statement_now(pages, now, statement) if now and statement else None
    link = pages.link(*now, anchor=statement) if now else None
    what = change.what
    reason, replaced = "", False
    if what == WITHDRAWN and now:
        gone = _withdrawn_now(pages.model, now, statement)
        reason = gone.reason if gone else ""
        if gone and gone.moved:
            what = "moved"
        if gone and gone.see:
            link, replaced = pages.link(*now, anchor=gone.see), True
    says = _wording(pages, node, _entity_now(pages.model, now)) if node and now else ""
    former = change.earlier if what == PAGE_RENAMED else str(with_page) if with_page else ""
    earlier = change.earlier if what in (CHANGED, WITHDRAWN, "moved") else ""
    return ChangeItem(what, link, says, earlier, reason, former.rpartition("/")[2], replaced)


def _entity_now(model: Reader, now: tuple[str, str]) -> Any:
    kind, entity_id = now
    return model.timeline if kind == "timeline" else model.entities(kind).get(entity_id)


def _statement_now(pages: Pages, now: tuple[str, str], statement: str) -> Cited | None:
    entity = _entity_now(pages.model, now)
    if entity is None:
        return None
    return next((n for _, n in statements(entity) if n.id == statement), None)


def _withdrawn_now(model: Reader, now: tuple[str, str], statement: str) -> Withdrawn | None:
    entity = _entity_now(model, now)
    return next((w for w in getattr(entity, "withdrawn", ()) if w.id == statement), None)


def _wording(pages: Pages, node: Cited, entity: Any = None) -> str:
    """A statement in a few words: a fact's text, or its relation in words."""
    if isinstance(getattr(node, "text", None), str):
        return node.text  # type: ignore[attr-defined]
    relation = relation_of(pages.model.relations, node)
    return relation.says(node, _name_of(pages), entity) if relation else ""
