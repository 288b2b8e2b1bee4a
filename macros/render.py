"""Python computes, Jinja presents: turn the model into the view each template needs.

Every value a template prints passes through `escape_text` (the Jinja `finalize` hook), so text
from data/ shows exactly as typed and never becomes Markdown, HTML or a Jinja call. Values built
here from ids and numbers (links) are `Markup` already and are printed as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from macros import schema
from macros.model import Citation, Fact, Model

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


class FactView(NamedTuple):
    text: str
    according_to: list[Link]
    cites: list[CiteView]


def page_url(kind: str, entity_id: str, anchor: str = "") -> Markup:
    """A Markdown link target from any generated page (all sit one folder deep) to a page."""
    return Markup(f"../{kind}/{entity_id}.md") + (Markup(f"#{anchor}") if anchor else "")


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
        return self.env.get_template(f"{kind[:-1]}.md.j2").render(**view)

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

    def fact(self, fact: Fact | None) -> FactView | None:
        if fact is None:
            return None
        return FactView(
            fact.text, [self.link("actors", a) for a in fact.according_to], self.cites(fact.cite)
        )

    def facts(self, facts: Iterable[Fact]) -> list[FactView]:
        return [self.fact(f) for f in facts]

    # -- views of one entity ----------------------------------------------------------------

    def _actors_view(self, actor_id: str, actor: Any) -> dict:
        m = self.model
        return {
            "actor": actor,
            "role": self.fact(actor.role),
            "affiliation": actor.affiliation
            and {
                "link": self.link("actors", actor.affiliation.actor),
                "cites": self.cites(actor.affiliation.cite),
            },
            "members": [self.link("actors", a) for a in m.members_by_actor.get(actor_id, [])],
            "stances": [
                {
                    "demand": self.link("demands", d),
                    "stance": STANCE_LABEL[s.stance],
                    "cites": self.cites(s.cite),
                }
                for d, s in m.stances_by_actor.get(actor_id, [])
            ],
            "rounds": [
                {
                    "round": self.link("rounds", r),
                    "part": "led the delegation of " + self.link("actors", dl.actor).name
                    if dl.led_by == actor_id
                    else "delegation",
                    "cites": self.cites(dl.cite),
                }
                for r, dl in m.delegations_by_actor.get(actor_id, [])
            ],
            "facts": self.facts(actor.facts),
        }

    def _demands_view(self, demand_id: str, demand: Any) -> dict:
        return {
            "demand": demand,
            "stances": [
                {
                    "actor": self.link("actors", s.actor),
                    "stance": STANCE_LABEL[s.stance],
                    "cites": self.cites(s.cite),
                }
                for s in demand.stances
            ],
            "rounds": [
                {"round": self.link("rounds", r.round), "cites": self.cites(r.cite)}
                for r in demand.raised_in
            ],
            "facts": self.facts(demand.facts),
        }

    def _rounds_view(self, round_id: str, round_: Any) -> dict:
        return {
            "round": round_,
            "held": [
                (label, self.fact(getattr(round_, name)))
                for name, label in (("place", "Where"), ("when", "When"), ("length", "How long"))
                if getattr(round_, name)
            ],
            "delegations": [
                {
                    "side": self.link("actors", d.actor),
                    "led_by": d.led_by and self.link("actors", d.led_by),
                    "cites": self.cites(d.cite),
                }
                for d in round_.delegations
            ],
            "agreed": self.facts(round_.agreed),
            "not_agreed": self.facts(round_.not_agreed),
            "demands": [
                {"demand": self.link("demands", d), "cites": self.cites(mention.cite)}
                for d, mention in self.model.mentions_by_round.get(round_id, [])
            ],
            "facts": self.facts(round_.facts),
        }

    def _sources_view(self, source_id: str, source: Any) -> dict:
        return {"meta": source.meta, "lines": source.lines}

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
