"""Python computes, Jinja presents: turn the model into the view each template needs.

Every value a template prints passes through `escape_text` (the Jinja `finalize` hook), so text
from data/ shows exactly as typed and never becomes Markdown, HTML or a Jinja call. Values built
here from ids and numbers (links) are `Markup` already and are printed as they are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from macros import schema
from macros.diagram import stance_diagram
from macros.model import Citation, Cited, CitedAt, Fact, Model

TEMPLATES = Path(__file__).parent / "templates"
TITLE_FIELD = {"sources": "title", "actors": "name", "demands": "title", "rounds": "title"}
STANCE_LABEL = {
    "made": "made it",
    "supports": "supports",
    "rejects": "rejects",
    "opposes": "opposes",
}

# ASCII punctuation that Markdown, HTML, Jinja or a Markdown extension could act on.
_ACTIVE = re.compile(r"""[!"#&'()*+\-.:<=>\[\\\]^_`{|}~]""")


def escape_text(value: Any) -> Markup:
    """Make a data value inert in Markdown and HTML alike: active characters become entities,
    and line breaks spaces (a value never starts a Markdown block)."""
    if isinstance(value, Markup):
        return value
    text = re.sub(r"\s+", " ", str(value))
    return Markup(_ACTIVE.sub(lambda m: f"&#{ord(m[0])};", text))


class Link(NamedTuple):
    name: str
    url: Markup


class CiteView(NamedTuple):
    quote: str
    line: int
    source_title: str
    url: Markup


class Claim(NamedTuple):
    """A fact (`text`) or a relation (`link`, `label`) as shown: anchor, who says it, citations."""

    text: str
    link: Link | None
    label: str
    anchor: str
    stance: str  # a stance's kind (made, supports, ...), for diagrams; else ""
    according_to: list[Link]
    cites: list[CiteView]


class Segment(NamedTuple):
    text: str
    marked: bool  # quoted by some citation


class CitedBy(NamedTuple):
    page: Link
    parts: list[Link]  # the facts and relations of that page that cite the line


class LineView(NamedTuple):
    number: int
    segments: list[Segment]
    cited_by: list[CitedBy]


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
MATRIX_COLUMNS = 12  # actors with a column of their own in the stance matrix; others share one


def page_url(kind: str, entity_id: str = "", anchor: str = "") -> Markup:
    """A Markdown link target from any generated page (all sit one folder deep) to a page:
    an entity's, or with no id the kind's own page (index, stances, timeline)."""
    target = f"../{kind}/{entity_id}.md" if entity_id else f"../{kind}/index.md"
    return Markup(target) + (Markup(f"#{anchor}") if anchor else "")


def final_url(markdown_url: str) -> Markup:
    """The built URL of a page link, for raw HTML that MkDocs does not rewrite: ../x/y.md ->
    ../../x/y/ (pages sit at kind/id/ with directory URLs)."""
    return Markup("../" + markdown_url.removesuffix(".md").split("#")[0] + "/")


def anchor(path: str) -> Markup:
    """The id of a fact or relation on its page, from its place in the data: facts[0] -> facts-1."""
    return Markup(re.sub(r"\[(\d+)\]", lambda m: f"-{int(m[1]) + 1}", path).replace("_", "-"))


def part_label(path: str) -> str:
    """A reader's name for a fact or relation: facts[0] -> fact 1, role -> role."""
    name, _, index = path.partition("[")
    label = PART_LABEL.get(name, name.replace("_", " "))
    return f"{label} {int(index.rstrip(']')) + 1}" if index else label


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


class Renderer:
    """Renders the page of any entity of one loaded model; templates are compiled once."""

    def __init__(self, model: Model, templates: Path = TEMPLATES) -> None:
        self.model = model
        self.env = Environment(
            loader=FileSystemLoader(templates),
            finalize=escape_text,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # Autoescape makes macro output Markup; finalize escapes each value for both languages.
            autoescape=True,
        )

    # -- pages ----------------------------------------------------------------------------

    def page(self, kind: str, entity_id: str) -> str:
        view = getattr(self, f"_{kind}_view")(entity_id, self.model.entities(kind)[entity_id])
        json = Markup(f"../{kind}/{entity_id}.json")
        return self.env.get_template(f"{kind[:-1]}.md.j2").render(**view, json=json)

    def diagram(self, subject: str, related: Iterable[Claim]) -> Markup:
        """Who stands where around `subject`, from relation claims (link and stance label)."""
        items = [(c.link.name, final_url(c.link.url), c.stance) for c in related]
        template = self.env.get_template("diagram.svg.j2")
        return Markup(template.render(d=stance_diagram(subject, items)))

    def index(self, kind: str) -> str:
        rows = [
            getattr(self, f"_{kind}_row")(entity_id, entity)
            for entity_id, entity in self.model.entities(kind).items()
        ]
        rows.sort(key=lambda row: row["sort"])
        return self.env.get_template(f"{kind}-index.md.j2").render(rows=rows)

    def data_format(self) -> str:
        """The field reference of every kind of data file, from the schema."""
        return self.env.get_template("data-format.md.j2").render(sections=schema.reference())

    def describe(self, kind: str, entity_id: str) -> tuple[str, str]:
        """A page's plain-text title and one-line description, for <title> and link previews."""
        entity = self.model.entities(kind)[entity_id]
        title = self.link(kind, entity_id).name
        if kind == "sources":
            return title, f"The text of the source, line by line: {len(entity.lines)} lines."
        summary = {
            "actors": lambda a: a.role.text if a.role else a.facts[0].text,
            "demands": lambda d: d.summary,
            "rounds": lambda r: r.facts[0].text,
        }[kind](entity)
        return title, summary

    def search_words(self, kind: str, entity_id: str) -> tuple[str, ...]:
        """Other words search should find the page by: an actor's aliases, a demand's keywords."""
        entity = self.model.entities(kind)[entity_id]
        return getattr(entity, "aliases", ()) or getattr(entity, "keywords", ())

    # -- shared pieces --------------------------------------------------------------------

    def link(self, kind: str, entity_id: str) -> Link:
        entity = self.model.entities(kind)[entity_id]
        title = getattr(entity.meta if kind == "sources" else entity, TITLE_FIELD[kind])
        return Link(title, page_url(kind, entity_id))

    def cites(self, citations: Iterable[Citation]) -> list[CiteView]:
        sources = self.model.sources
        return [
            CiteView(
                c.quote,
                c.line,
                sources[c.source].meta.title,
                page_url("sources", c.source, f"L{c.line}"),
            )
            for c in citations
        ]

    def claim(
        self, node: Cited, path: str = "", link: Link | None = None, label: str = ""
    ) -> Claim:
        """A fact or relation; `path` (its place in its own entity's data) gives its anchor."""
        return Claim(
            getattr(node, "text", ""),
            link,
            label,
            anchor(path) if path else "",
            getattr(node, "stance", ""),
            [self.link("actors", a) for a in node.according_to],
            self.cites(node.cite),
        )

    def facts(self, facts: Iterable[Fact], field: str) -> list[Claim]:
        return [self.claim(f, f"{field}[{i}]") for i, f in enumerate(facts)]

    # -- views of one entity ----------------------------------------------------------------

    def _actors_view(self, actor_id: str, actor: Any) -> dict:
        m = self.model
        led = "led the delegation of {}".format
        stances = [
            self.claim(s, link=self.link("demands", d), label=STANCE_LABEL[s.stance])
            for d, s in m.stances_by_actor.get(actor_id, [])
        ]
        return {
            "actor": actor,
            "role": actor.role and self.claim(actor.role, "role"),
            "affiliation": actor.affiliation
            and self.claim(
                actor.affiliation, "affiliation", self.link("actors", actor.affiliation.actor)
            ),
            "members": [self.link("actors", a) for a in m.members_by_actor.get(actor_id, [])],
            "stances": stances,
            "diagram": self.diagram(actor.name, stances),
            "rounds": [
                self.claim(
                    dl,
                    link=self.link("rounds", r),
                    label=led(self.link("actors", dl.actor).name)
                    if dl.led_by == actor_id
                    else "delegation",
                )
                for r, dl in m.delegations_by_actor.get(actor_id, [])
            ],
            "facts": self.facts(actor.facts, "facts"),
        }

    def _demands_view(self, demand_id: str, demand: Any) -> dict:
        stances = [
            self.claim(s, f"stances[{i}]", self.link("actors", s.actor), STANCE_LABEL[s.stance])
            for i, s in enumerate(demand.stances)
        ]
        return {
            "demand": demand,
            "stances": stances,
            "diagram": self.diagram(demand.title, stances),
            "rounds": [
                self.claim(r, f"raised_in[{i}]", self.link("rounds", r.round))
                for i, r in enumerate(demand.raised_in)
            ],
            "facts": self.facts(demand.facts, "facts"),
        }

    def _rounds_view(self, round_id: str, round_: Any) -> dict:
        return {
            "round": round_,
            "held": [
                (label, self.claim(getattr(round_, name), name))
                for name, label in (("place", "Where"), ("when", "When"), ("length", "How long"))
                if getattr(round_, name)
            ],
            "delegations": [
                (
                    self.claim(d, f"delegations[{i}]", self.link("actors", d.actor)),
                    d.led_by and self.link("actors", d.led_by),
                )
                for i, d in enumerate(round_.delegations)
            ],
            "agreed": self.facts(round_.agreed, "agreed"),
            "not_agreed": self.facts(round_.not_agreed, "not_agreed"),
            "demands": [
                self.claim(mention, link=self.link("demands", d))
                for d, mention in self.model.mentions_by_round.get(round_id, [])
            ],
            "facts": self.facts(round_.facts, "facts"),
        }

    def _sources_view(self, source_id: str, source: Any) -> dict:
        lines = []
        for number, text in enumerate(source.lines, 1):
            cited = self.model.citations_by_line.get((source_id, number), [])
            lines.append(
                LineView(
                    number, marked_segments(text, (c.quote for c in cited)), self._cited_by(cited)
                )
            )
        covered = sum(1 for line in lines if line.cited_by)
        return {
            "meta": source.meta,
            "lines": lines,
            "covered": covered,
            "percent": round(100 * covered / len(lines)),
        }

    def _cited_by(self, cited: Iterable[CitedAt]) -> list[CitedBy]:
        """The pages citing a line, each with the parts that cite it, in data order."""
        pages: dict[tuple[str, str], dict[str, Link]] = {}
        for c in cited:
            parts = pages.setdefault((c.kind, c.entity_id), {})
            parts.setdefault(
                c.path, Link(part_label(c.path), page_url(c.kind, c.entity_id, anchor(c.path)))
            )
        return [
            CitedBy(
                self.link(kind, entity_id) if entity_id else Link("Timeline", page_url(kind)),
                list(parts.values()),
            )
            for (kind, entity_id), parts in pages.items()
        ]

    # -- pages across entities ---------------------------------------------------------------

    def view_page(self, name: str) -> str:
        """A page drawn from all the data: the stance matrix or the timeline."""
        view = getattr(self, f"_{name}_view")()
        return self.env.get_template(f"{name}.md.j2").render(**view)

    def _stances_view(self) -> dict:
        """Demands by actors: the busiest actors get columns, the rest share the last one."""
        counts = Counter(s.actor for d in self.model.demands.values() for s in d.stances)
        columns = sorted(counts, key=lambda a: (-counts[a], a))[:MATRIX_COLUMNS]
        rows = []
        for demand_id, demand in sorted(self.model.demands.items(), key=lambda i: i[1].title):
            cells: dict[str, list[Claim]] = {actor: [] for actor in columns}
            others = []
            for s in demand.stances:
                claim = self.claim(s, link=self.link("actors", s.actor), label=s.stance)
                cells.get(s.actor, others).append(claim)
            rows.append((self.link("demands", demand_id), list(cells.values()), others))
        return {"columns": [self.link("actors", a) for a in columns], "rows": rows}

    def _timeline_view(self) -> dict:
        events = self.model.timeline.events if self.model.timeline else ()
        return {
            "events": [
                (e.when, self.claim(e, f"events[{i}]", e.round and self.link("rounds", e.round)))
                for i, e in enumerate(events)
            ]
        }

    # -- rows of the index pages ------------------------------------------------------------

    def _actors_row(self, actor_id: str, actor: Any) -> dict:
        return {
            "sort": actor.name.casefold(),
            "link": self.link("actors", actor_id),
            "kind": actor.kind,
            "role": actor.role.text if actor.role else "",
        }

    def _demands_row(self, demand_id: str, demand: Any) -> dict:
        made_by = [self.link("actors", s.actor) for s in demand.stances if s.stance == "made"]
        return {
            "sort": demand.title.casefold(),
            "link": self.link("demands", demand_id),
            "kind": demand.kind,
            "summary": demand.summary,
            "made_by": made_by,
        }

    def _rounds_row(self, round_id: str, round_: Any) -> dict:
        return {
            "sort": round_.sequence,
            "link": self.link("rounds", round_id),
            "when": round_.when.text if round_.when else "",
            "place": round_.place.text if round_.place else "",
        }

    def _sources_row(self, source_id: str, source: Any) -> dict:
        return {
            "sort": source.meta.title.casefold(),
            "link": self.link("sources", source_id),
            "publisher": source.meta.publisher or "",
            "lines": len(source.lines),
        }
