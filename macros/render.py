"""Python computes, Jinja presents: turn the model into the Markdown of each page.

A page's Markdown is its headings (which the theme's table of contents needs) around blocks of
finished HTML, which Python-Markdown passes through untouched: parsing Markdown tables, links
and attribute lists was most of a build's time. Templates whose names end in `.html.j2` (or
`.svg.j2`) hold only HTML; those ending in `.md.j2` hold the headings and the HTML blocks
between them.

Every value a template prints passes through `escape_text` (the Jinja `finalize` hook), so text
from data/ shows exactly as typed and never becomes Markdown, HTML or a Jinja call: in an
`.html.j2` or `.svg.j2` template, HTML's own escaping is enough; elsewhere every character that
Markdown could act on is escaped too. Values built here from ids and numbers (links) are
`Markup` already and are printed as they are.

Links are final URLs, relative to the page, from MkDocs (`File.url`, `get_relative_url`): MkDocs
neither checks nor rewrites links in raw HTML, so the link check over the built site (lychee,
in the tests) covers them.
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from mkdocs.utils import get_relative_url

from macros import data_format, ledger, views, wording
from macros.diagram import stance_diagram
from macros.feed import FEED_ENTRIES, Entry, atom, counted
from macros.history import Change, History, Stamp, StatementHistory
from macros.kinds import BY_NAME, VIEWS
from macros.model.schema import Citation, Cited, Stance
from macros.model.store import Reader
from macros.search import SearchWords
from macros.views import CiteView, Claim, Link, Tombstone

TEMPLATES = Path(__file__).parent / "templates"
T = TypeVar("T")

# ASCII punctuation that Markdown, HTML, Jinja or a Markdown extension could act on.
_ACTIVE = re.compile(r"""[!"#&'()*+\-.:<=>\[\\\]^_`{|}~]""")
_SPACES = re.compile(r"\s+")
HTML_ONLY = (".html.j2", ".svg.j2")  # templates of HTML (and SVG in it): no Markdown reads them


def escape_text(value: Any, markdown: bool = True) -> Markup:
    """Make a data value inert: line breaks become spaces (a value never starts or ends a block),
    and characters HTML would act on become entities, and with `markdown` those Markdown, Jinja
    or a Markdown extension would act on too. Inside a raw HTML block, Markdown reads nothing,
    so HTML's escaping is enough there (and spares the parsers thousands of entities)."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    # Every whitespace character but the space is unprintable: most values need no rewriting.
    if not text.isprintable() or "  " in text:
        text = _SPACES.sub(" ", text)
    if not markdown:
        return escape(text)
    return Markup(_ACTIVE.sub(lambda m: f"&#{ord(m[0])};", text))


@pass_context
def _finalize(context: Context, value: Any) -> Markup:
    """Escape a printed value for the template it is printed in (macros print in their own)."""
    return escape_text(value, markdown=not (context.name or "").endswith(HTML_ONLY))


class Shows(NamedTuple):
    """What a generated page shows (`pages.Stub`)."""

    what: str  # "page" (an entity's), "index" (a kind's) or "view" (drawn from all the data)
    name: str  # the kind, or the view's name
    entity_id: str = ""


def page_source(kind: str, entity_id: str = "") -> str:
    """The source path (under docs/) of an entity's page, or without an id of the kind's own
    page (its index, or a view such as the timeline)."""
    return f"{kind}/{entity_id or 'index'}.md"


@functools.cache
def environment(templates: Path = TEMPLATES) -> Environment:
    """The templates, compiled once, with every printed value escaped by `escape_text`."""
    env = Environment(
        loader=FileSystemLoader(templates),
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Autoescape makes macro output Markup; finalize escapes each value for both languages.
        autoescape=True,
    )
    env.globals["voice_of"] = voice_of  # the plain-text "according to A and B"
    return env


def data_format_page() -> str:
    """The field reference of every kind of data file, from the schema (needs no data)."""
    template = environment().get_template("data-format.md.j2")
    return template.render(sections=data_format.reference())


def problems_page(problems: Iterable[object]) -> str:
    """The page every page becomes while `serve` has invalid data: the same lines as the
    terminal's, each escaped like any data value."""
    lines = "\n".join(f"- {escape_text(p)}" for p in problems)
    return (
        "# The data has problems\n\n"
        "`make serve` keeps running; fix these and save, and the site comes back by itself.\n\n"
        f"{lines}\n"
    )


def text_fragment(url: str, quote: str) -> str:
    """`url` with the quote highlighted (`#:~:text=`), encoded as the Text Fragments
    specification asks: everything but letters, digits and `_.~` percent-encoded, UTF-8 first,
    dashes, commas and ampersands included (they are the directive's own syntax)."""
    encoded = urllib.parse.quote(quote, safe="").replace("-", "%2D")
    return f"{url.split('#')[0]}#:~:text={encoded}"


class Site(NamedTuple):
    """What citations say of the site: its name, and its address where it is published."""

    name: str = "Talks facts"
    url: str = ""  # SITE_URL, or "" when unknown


def voice_of(speakers: Iterable[Link]) -> str:
    """ "according to A and B": whose words a claim is, in plain text."""
    names = [s.name for s in speakers]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
    return f"according to {listed}"


def voice(claim: Claim) -> str:
    return voice_of(claim.according_to) if claim.according_to else ""


def cite_text(
    site: Site,
    page_title: str,
    address: str,
    statement: str = "",
    cite: CiteView | None = None,
    dated: str = "",
) -> str:
    """A ready citation of a page, or of one statement on it with the source it rests on and
    when it was published (`dated`, see `history_note`). The date accessed is the reader's to
    fill in (the page's script does, with today's date). The statement is the site's own words,
    so it stands in no quotation marks: those are for a source's words only."""
    said = ""
    if statement:
        sentence = statement.rstrip()
        said = f"{sentence}{'' if sentence.endswith(('.', '?', '!')) else '.'} In: "
    source = f" (citing {cite.source_title}, line {cite.line})" if cite else ""
    when = f" {dated[0].upper()}{dated[1:]}." if dated else ""
    return f"{said}{page_title}. {site.name}. {address}{source}.{when} Accessed [date]."


def history_note(history: StatementHistory | None) -> str:
    """When a statement was first published and last changed, from git: "published on this
    site 2026-11-25, last changed 2026-12-01"; "" where the history is not known."""
    if history is None:
        return ""
    changed = f", last changed {history.changed.date}" if history.changed else ""
    return f"published on this site {history.published.date}{changed}"


class Here(NamedTuple):
    """The page being rendered: its source path, its URL as MkDocs has it, and its title."""

    src_uri: str
    url: str
    title: str = ""


class Fragments(Protocol):
    """Where a page's rows are kept between builds (`Tracker.fragment` under `make serve`)."""

    def __call__(self, key: Hashable, compute: Callable[[], T], also: Hashable = ()) -> T: ...


def computed(key: Hashable, compute: Callable[[], T], also: Hashable = ()) -> T:
    """No fragment kept: a build that renders every page once."""
    return compute()


class Renderer:
    """Renders any page of one loaded model; templates are compiled once.

    `url_of` gives the final URL of a page source (MkDocs' `File.url`); `fragments` keeps
    the rows of the pages that name every entity between builds (`make serve`)."""

    def __init__(
        self,
        model: Reader,
        url_of: Callable[[str], str],
        published: ledger.Ledger | None = None,
        site: Site | None = None,
        templates: Path = TEMPLATES,
        history: History | None = None,
        fragments: Fragments = computed,
    ) -> None:
        self.model = model
        self.fragments = fragments
        self.history = history or History.unavailable()  # from git: dates of statements
        self.url_of = url_of
        self.site = site or Site()
        self.published = published or {}  # the ledger: older anchors shown as aliases
        self.env = environment(templates)
        self.parts = self.env.get_template("_parts.html.j2").module  # its macros, for rows

    def stub(self, shows: Shows, here: Here) -> str:
        """The Markdown of a generated page (`pages.Stub`)."""
        if shows.what == "page":
            return self.page(shows.name, shows.entity_id, here)
        if shows.what == "index":
            return self.index(shows.name, here)
        return self.view_page(next(v for v in VIEWS if v.name == shows.name), here)

    def page(self, kind_name: str, entity_id: str, here: Here) -> str:
        kind = BY_NAME[kind_name]
        entity = self.model.entities(kind_name)[entity_id]
        here = here._replace(title=kind.title(entity))
        view = kind.page(_PageContext(self, here), entity_id, entity)
        json = Markup(get_relative_url(self.url_of(f"{kind_name}/{entity_id}.json"), here.url))
        this_page = cite_text(self.site, here.title, self.address(here))
        changes = Markup(get_relative_url(self.url_of(page_source("changes")), here.url))
        return self.env.get_template(kind.template).render(
            **view._asdict(), json=json, cite_page=this_page, changes=changes
        )

    def address(self, here: Here, anchor: str = "") -> str:
        """The page's address as a reader would share it: absolute where the site's URL is
        known, else from the site's root."""
        path = here.url + (f"#{anchor}" if anchor else "")
        return f"{self.site.url.rstrip('/')}/{path}" if self.site.url else f"/{path}"

    def index(self, kind_name: str, here: Here) -> str:
        """A kind's table, a row per entity, each a fragment (its view and its HTML): under
        `make serve`, an edit renders again only the rows it changed."""
        kind = BY_NAME[kind_name]
        context = _PageContext(self, here)

        def row(entity_id: str) -> tuple[views.Row, Markup]:
            view = kind.row(context, entity_id, self.model.entities(kind_name)[entity_id])
            return view, context.html(f"{kind_name}_row", view)

        rows = [
            context.fragment(("row", i), functools.partial(row, i))
            for i in self.model.entities(kind_name)
        ]
        rows.sort(key=lambda row: row[0].sort)
        template = self.env.get_template(kind.index_template)
        filters = kind.filters([view for view, _ in rows])
        return template.render(rows=[html for _, html in rows], filters=filters)

    def home(self, here: Here, updated: str) -> str:
        """Where things stand, for the home page; `updated`: when the data last changed."""
        view = views.where_things_stand(_PageContext(self, here), updated)
        return self.env.get_template("home.md.j2").render(**view._asdict())

    def view_page(self, view: Any, here: Here) -> str:
        """A page drawn from all the data (a `kinds.View`): the stance matrix or the timeline."""
        return self.env.get_template(view.template).render(
            **view.page(_PageContext(self, here))._asdict()
        )

    def feed(self, changes_url: str) -> str:
        """The Atom feed of the changes: an entry per commit, its links absolute where the
        site's address is known (else from the site's root, which the feed's own address
        resolves). `changes_url`: the changes page's URL, from the root."""
        context = _PageContext(self, Here(views.FEED, views.FEED))
        base = Markup(escape(self.site.url.rstrip("/") + "/" if self.site.url else ""))
        template = self.env.get_template("feed-entry.html.j2")
        commits: dict[Stamp, list[Change]] = {}
        for change in self.history.changes[: views.FEED_CHANGES]:  # newest first
            commits.setdefault(change.stamp, []).append(change)
        entries = []
        for stamp, changes in list(commits.items())[:FEED_ENTRIES]:
            pages = views.grouped(context, changes, lambda c: "")[""]
            counts = Counter(c.what for c in changes if not c.with_page)
            link = f"{base}{changes_url}#{views.day_anchor(stamp.date)}"
            title = f"{stamp.date}: {counted(counts)}"
            content = template.render(pages=pages, base=base)
            entries.append(Entry(stamp.commit, stamp.moment, title, link, content))
        return atom(
            f"{self.site.name}: what changed",
            f"{base}{changes_url}",
            f"{base}{views.FEED}",
            entries,
        )

    def describe(self, kind_name: str, entity_id: str) -> tuple[str, str, SearchWords]:
        """A page's plain-text title, one-line description and search words."""
        kind, entity = BY_NAME[kind_name], self.model.entities(kind_name)[entity_id]
        return kind.title(entity), kind.summary(entity), kind.search_words(entity)

    def redirect(self, target_url: str) -> str:
        return self.env.get_template("redirect.html.j2").render(target=Markup(target_url))


class _PageContext:
    """Links, claims and diagrams as seen from one page: what views ask of the renderer."""

    def __init__(self, renderer: Renderer, here: Here) -> None:
        self.renderer = renderer
        self.model = renderer.model
        self.here = here
        # Older anchors of this page's statements, at its address now and its former ones.
        kind, _, name = here.src_uri.removesuffix(".md").partition("/")
        entity = renderer.model.by_kind.get(kind, {}).get(name)
        names = [name, *getattr(entity, "formerly", ())]
        addresses = [f"{kind}/"] if name == "index" else [ledger.page_key(kind, n) for n in names]
        self.aliases = ledger.aliases(renderer.published, addresses)
        self.history = renderer.history
        self.history_page = kind if name == "index" else f"{kind}/{name}"  # as history.page_of
        self._pages: dict[tuple[str, str], Link] = {}  # links to the pages this one names

    def link(self, kind: str, entity_id: str = "", anchor: str = "") -> Link:
        """A link to an entity's page (its title as name), or to a kind's own page: its final
        URL, relative to this page. A page names the same few pages many times (a source's
        citing pages, a relation's actors): each is made once, but the entity is read each
        time, so that every fragment that names it notes it."""
        entity = self.model.entities(kind)[entity_id] if entity_id else None
        page = self._pages.get((kind, entity_id))
        if page is None:
            name = BY_NAME[kind].title(entity) if entity_id else kind
            page = self._pages[kind, entity_id] = Link(
                name, self.final_url(kind, entity_id), (kind, entity_id)
            )
        return page._replace(url=page.url + Markup(f"#{anchor}")) if anchor else page

    def source_address(self, source_id: str, line: int) -> str:
        """A source line's address as printed (absolute where the site's URL is known)."""
        source_page = Here("", self.renderer.url_of(page_source("sources", source_id)))
        return self.renderer.address(source_page, f"L{line}")

    def final_url(self, kind: str, entity_id: str = "") -> Markup:
        """The built URL of a page, relative to this one (MkDocs rewrites no raw HTML)."""
        target = self.renderer.url_of(page_source(kind, entity_id))
        return Markup(get_relative_url(target, self.here.url))

    def file_url(self, src_uri: str) -> Markup:
        """The built URL of any file of the build (the feed), relative to this page."""
        return Markup(get_relative_url(self.renderer.url_of(src_uri), self.here.url))

    def fragment(self, key: tuple[str, ...], compute: Callable[[], T], also: Hashable = ()) -> T:
        return self.renderer.fragments((self.here.src_uri, *key), compute, also)

    def html(self, macro: str, *args: Any) -> Markup:
        return Markup(getattr(self.renderer.parts, macro)(*args))

    def cites(self, citations: tuple[Citation, ...], words: str = "") -> list[CiteView]:
        """Citations as shown; where they come from several sources, each names its own; a
        quotation that says no more than `words` (the statement's) is not printed again."""
        sources = self.model.sources
        several = len({c.source for c in citations}) > 1
        return [
            CiteView(
                c.quote,
                c.line,
                sources[c.source].meta.title,
                self.link("sources", c.source, f"L{c.line}").url,
                text_fragment(url, c.quote) if (url := sources[c.source].meta.url) else "",
                self.source_address(c.source, c.line),
                several,
                wording.echoes(c.quote, words),
            )
            for c in citations
        ]

    def claim(self, node: Cited, link: Link | None = None, label: str = "") -> Claim:
        """A fact or relation, anchored at its id (the same on every page that shows it)."""
        text = getattr(node, "text", "")
        cites = self.cites(node.cite, text)
        address = self.renderer.address(self.here, node.id or "")
        statement = text or (f"{link.name}: {label}" if link else label)
        # Whose words it is, said once: not after words that say it, nor of a stance's holder.
        holder = node.actor if isinstance(node, Stance) else ""
        shown = wording.voices_to_show(self.model.actors, node.according_to, text, holder)
        speakers = [self.link("actors", a) for a in shown]
        if speakers:
            statement += f" ({voice_of(speakers)})"
        dated = history_note(self.history.of(node.id or "", self.history_page))
        return Claim(
            getattr(node, "text", ""),
            link,
            label,
            Markup(node.id or ""),  # a slug: nothing to escape
            getattr(node, "stance", ""),
            speakers,
            cites,
            self.aliases.get(node.id or "", []),  # from the ledger: data, escaped
            cite_text(self.renderer.site, self.here.title, address, statement, cites[0], dated),
            dated,
            tuple(
                self.link("demands", d)
                for d in getattr(node, "see_demands", ())
                if page_source("demands", d) != self.here.src_uri
            ),
        )

    def tombstones(self, entity: Any) -> list[Tombstone]:
        """The anchors of the page's withdrawn statements, each with why and where to look
        instead."""
        return [
            Tombstone(
                Markup(gone.id),
                gone.date.isoformat(),
                Link(
                    "where it stands now" if gone.moved else "the statement that replaces it",
                    Markup(f"#{gone.see}"),
                )
                if gone.see
                else None,
                self.aliases.get(gone.id, []),
                gone.reason,
                gone.moved,
            )
            for gone in getattr(entity, "withdrawn", ())
        ]

    def diagram(self, subject: str, related: Iterable[Claim]) -> Markup:
        """Who stands where around `subject`, from relation claims (link and stance label); no
        diagram where only one actor (or demand) has a stance: a box and its subject would
        only repeat the table."""
        claims = [c for c in related if c.link]  # a relation's claim always has its link
        if len({c.link.target for c in claims if c.link}) < 2:  # one side alone: as the table
            return Markup("")
        items = [
            (c.link.name, self.final_url(*c.link.target), c.stance, voice(c), c.label or c.stance)
            for c in claims
            if c.link
        ]
        template = self.renderer.env.get_template("diagram.svg.j2")
        layouts = (stance_diagram(subject, items), stance_diagram(subject, items, narrow=True))
        return Markup(template.render(layouts=layouts))
