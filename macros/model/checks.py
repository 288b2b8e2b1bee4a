"""Cross-checks over the whole model: ids that entities name, citations against their sources,
and what must be unique. They work from the ids scanned in data/, not from the disk: an id whose
file exists but failed to load is passed over (that file's own errors say why)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Mapping, Set
from typing import Any, NamedTuple

from markdown.extensions.toc import slugify  # type: ignore[import-untyped]

from macros.model.citations import LineIndex, citation_problem
from macros.model.errors import NO_ID, DataError, did_you_mean
from macros.model.relations import shown_on
from macros.model.schema import PAGE_IDS, RESERVED_IDS, Cited, Schema, windows_name
from macros.model.store import Model, Source, statements
from macros.model.voice import Spans, check_frames, own_voice_only, unvoiced

Titles = Mapping[str, Callable[[Any], str]]  # kind -> its page's title, from its entity
Page = tuple[str, str]  # (kind, id); ("timeline", "") for the timeline


class CheckCache:
    """What checking found of each file, for the next check of the same folder to reuse
    (`mkdocs serve`'s rebuilds, through the load's cache): while a file's document is the same
    object (the load's cache gives an unchanged file's back as it was), its statements' checked
    ids stand as long as the same ids exist and the sources it cites are unchanged, and its
    anchors stand as they were; a source's frames stand while its text is the same too. A
    document with problems is checked again each time (what a wrong quote's message says
    depends on every source). `keeps=False`: a check run once."""

    def __init__(self, keeps: bool = True) -> None:
        self.keeps = keeps
        self._scanned: Mapping[str, Set[str]] | None = None
        # (kind, id) -> (document, (source, digest) of each source it cites, its checked ids)
        self._statements: dict[Page, tuple[Schema, tuple[tuple[Page, str | None], ...], dict]] = {}
        self._anchors: dict[Page, tuple[Schema, _Anchors]] = {}  # (kind, id) -> its anchors
        # source id -> (its document, its lines, its frames as checked: their spans)
        self._frames: dict[str, tuple[Schema, tuple[str, ...], Spans]] = {}
        self._kept: tuple[dict, dict, dict] = ({}, {}, {})  # the last check's, while this runs

    def begin(self, scanned: Mapping[str, Set[str]]) -> None:
        """A new check: what the last one kept is reusable; only what this one keeps stays."""
        same = scanned == self._scanned
        statements, frames = (self._statements, self._frames) if same else ({}, {})
        self._kept = (statements, self._anchors, frames)
        self._statements, self._anchors, self._frames = {}, {}, {}
        self._scanned = scanned

    def frames(self, source_id: str, source: Source) -> Spans | None:
        """The spans of a source's frames, as checked when its files were as they are."""
        last = self._kept[2].get(source_id)
        if last and last[0] is source.meta and last[1] is source.lines:
            self._frames[source_id] = last
            return last[2]
        return None

    def keep_frames(self, source_id: str, source: Source, spans: Spans) -> None:
        if self.keeps:
            self._frames[source_id] = (source.meta, source.lines, spans)

    def checked_ids(
        self, page: Page, document: Schema, digests: Mapping[Page, str]
    ) -> dict[str, str] | None:
        last = self._kept[0].get(page)
        if last and last[0] is document and all(digests.get(s) == d for s, d in last[1]):
            self._statements[page] = last
            return last[2]
        return None

    def keep_checked_ids(
        self, page: Page, document: Schema, digests: Mapping[Page, str], seen: dict[str, str]
    ) -> None:
        if self.keeps:
            cited = {("sources", c.source) for _, node in statements(document) for c in node.cite}
            self._statements[page] = (document, tuple((s, digests.get(s)) for s in cited), seen)

    def anchors(self, page: Page, document: Schema) -> _Anchors | None:
        last = self._kept[1].get(page)
        return last[1] if last and last[0] is document else None

    def keep_anchors(self, page: Page, document: Schema, anchors: _Anchors) -> None:
        if self.keeps:
            self._anchors[page] = (document, anchors)


def check_model(
    model: Model,
    scanned: Mapping[str, Set[str]],
    data_label: str,
    titles: Titles | None = None,
    cache: CheckCache | None = None,
) -> Iterator[DataError]:
    """Every problem that needs more than one file to see. `scanned`: kind -> ids found;
    `titles`: how each kind's page is titled (its heading's id is taken too)."""
    cache = cache or CheckCache(keeps=False)
    cache.begin(scanned)
    spans: Spans = {}
    for source_id, source in model.sources.items():
        yield from _checked_frames(source_id, source, scanned, data_label, spans, cache)
    yield from _check_documents(model, scanned, data_label, spans, cache)
    yield from _check_unique(model, data_label)
    yield from _check_page_ids(model, data_label, titles or {}, cache)
    yield from _check_names(model, data_label)
    yield from _check_repeats(model, data_label)
    yield from _check_relations(model, data_label)


def _checked_frames(
    source_id: str,
    source: Source,
    scanned: Mapping[str, Set[str]],
    data_label: str,
    spans: Spans,
    cache: CheckCache,
) -> Iterator[DataError]:
    """A source's frames into `spans`: as the cache kept them, or checked (and kept if they
    have no problem)."""
    kept = cache.frames(source_id, source)
    if kept is None:
        kept = {}
        found = list(check_frames(source_id, source, scanned, data_label, kept))
        yield from found
        if not found:
            cache.keep_frames(source_id, source, kept)
    spans.update(kept)


def document_label(data_label: str, kind: str, entity_id: str) -> str:
    """The file a document comes from, as error messages name it."""
    return f"{data_label}/{kind}/{entity_id}.yml" if entity_id else f"{data_label}/{kind}.yml"


class _Known(NamedTuple):
    """What checking a statement needs to know of the whole data."""

    scanned: Mapping[str, Set[str]]
    data_label: str
    lines: Mapping[str, tuple[str, ...]]  # source id -> its lines
    spans: Spans
    words: LineIndex  # the lines' words, for finding where a wrong quote stands


def _check_documents(
    model: Model, scanned: Mapping[str, Set[str]], data_label: str, spans: Spans, cache: CheckCache
) -> Iterator[DataError]:
    """In one pass over the facts and relations of each file: every id named exists, every
    citation holds, no speaker is named twice or left out (the voice check: `spans`, the
    sources' frames), and every statement has its own id (see `_check_statement_id`)."""
    lines = {source_id: source.lines for source_id, source in model.sources.items()}
    known = _Known(scanned, data_label, lines, spans, LineIndex(lines))
    digests = model.digests
    for kind, entity_id, document in model.documents():
        label = document_label(data_label, kind, entity_id)
        seen = cache.checked_ids((kind, entity_id), document, digests)
        if seen is None:
            seen = {}  # statement id -> field path
            found: list[DataError] = []  # appended to, not yielded: tens of thousands of them
            for path, node in statements(document):
                _check_statement(label, path, node, known, seen, found)
            yield from found
            if not found:
                cache.keep_checked_ids((kind, entity_id), document, digests, seen)
        if getattr(document, "withdrawn", ()):
            shown = {**seen, **_relations_shown(model, kind, entity_id)}
            yield from _check_withdrawn(label, document, seen, shown)


def _check_statement(
    label: str, path: str, node: Cited, known: _Known, seen: dict[str, str], found: list
) -> None:
    """One fact or relation: its ids, its speakers, its own id, then its citations. Run for
    every statement, so what only an error needs (field paths, lists) is made only then."""
    scanned = known.scanned
    for field_name, ref_kind, ref_id in node.references():
        ids = scanned.get(ref_kind, ())
        if ref_id not in ids:
            found.append(
                DataError(
                    label,
                    _field(path, field_name),
                    f"no {ref_kind.removesuffix('s')} '{ref_id}'{did_you_mean(ref_id, ids)}: add "
                    f"{known.data_label}/{ref_kind}/{ref_id}.yml or correct the id",
                )
            )
    speakers = node.according_to
    if len(speakers) > 1 and len(set(speakers)) < len(speakers):
        found.extend(_twice(label, _field(path, "according_to"), list(speakers), "speaker"))
    _check_statement_id(label, path, node, seen, found)
    lines, spans = known.lines, known.spans
    framed = None  # the citations that hold, on lines with frames: for the voice check
    wrong = None
    for i, citation in enumerate(node.cite):
        on = lines.get(citation.source)
        number = citation.line
        if on is not None and 0 < number <= len(on) and citation.quote in on[number - 1]:
            if (citation.source, number) in spans:
                framed = [*framed, citation] if framed else [citation]
            continue
        # A source scanned but not loaded has errors of its own: its citations wait for it.
        if on is not None or citation.source not in scanned.get("sources", ()):
            problem = citation_problem(citation, lines, known.words)
            if problem:
                wrong_cite = DataError(
                    label, _field(path, f"cite[{i}].{problem.field}"), problem.message
                )
                wrong = [*wrong, wrong_cite] if wrong else [wrong_cite]
    actors = scanned.get("actors", set())
    if framed and (unnamed := unvoiced(node, framed, spans, lines, label, path, actors)):
        found.append(unnamed)
    elif not wrong and (own := own_voice_only(node, framed or (), spans, lines, label, path)):
        found.append(own)
    if wrong:
        found.extend(wrong)


def _field(path: str, name: str) -> str:
    """The field path of a statement's field: `facts[0].cite[1].quote`."""
    return f"{path}.{name}" if path else name


def _check_unique(model: Model, data_label: str) -> Iterator[DataError]:
    """An old id redirects to one page only, and rounds have one place each in the series."""
    for kind, entities in model.by_kind.items():
        claimed: dict[str, str] = {}
        for entity_id, entity in entities.items():
            for i, old in enumerate(getattr(entity, "formerly", ())):
                label = f"{data_label}/{kind}/{entity_id}.yml"
                if old in RESERVED_IDS:
                    yield DataError(
                        label,
                        f"formerly[{i}]",
                        f"'{old}' is reserved for the list page: no page ever had it; remove it",
                    )
                elif problem := windows_name(old):  # its redirect would be a folder so named
                    yield DataError(label, f"formerly[{i}]", problem)
                elif old in entities:
                    yield DataError(
                        label,
                        f"formerly[{i}]",
                        f"'{old}' is already the id of "
                        f"{kind}/{old}: remove it here or rename that one",
                    )
                elif old in claimed:
                    yield DataError(
                        label,
                        f"formerly[{i}]",
                        f"'{old}' is already a former id "
                        f"of {kind}/{claimed[old]}: an old URL leads to one page",
                    )
                claimed[old] = entity_id
    sequences: dict[int, str] = {}
    for round_id, round_ in model.rounds.items():
        if round_.sequence in sequences:
            yield DataError(
                f"{data_label}/rounds/{round_id}.yml",
                "sequence",
                f"{round_.sequence} is also the sequence of rounds/"
                f"{sequences[round_.sequence]}: give each round its own number",
            )
        sequences.setdefault(round_.sequence, round_id)


def _check_repeats(model: Model, data_label: str) -> Iterator[DataError]:
    """Each relation entry is one report: the words of one source, which nothing repeats (the
    same ends, stance, source, voice and time twice). Speakers: see `_check_documents`."""
    for relation in model.relations:
        for holder_id, holder in model.entities(relation.holder).items():
            entries = getattr(holder, relation.field)
            if not isinstance(entries, tuple):
                continue  # a single entry (an actor's affiliation) cannot repeat
            label = document_label(data_label, relation.holder, holder_id)
            first: dict[tuple, int] = {}
            for i, entry in enumerate(entries):
                cited = dict.fromkeys(c.source for c in entry.cite)
                # An unknown source is a typo, said on its own: not a second source.
                sources = [c for c in cited if c in model.sources] or list(cited)
                if len(sources) > 1:
                    yield DataError(
                        label,
                        f"{relation.field}[{i}].cite",
                        f"cites {len(sources)} sources ({', '.join(sources)}): an entry is one "
                        "source's report; make one entry per source, each with its own citations "
                        "and according_to",
                    )
                key = (
                    relation.ends(entry),
                    getattr(entry, "stance", ""),
                    sources[0],
                    entry.according_to,
                    getattr(entry, "as_of", None),
                )
                if key in first:
                    yield DataError(
                        label,
                        f"{relation.field}[{i}]",
                        f"repeats {relation.field}[{first[key]}]: the same report by the same "
                        f"source ({sources[0]}) in the same voice; keep one, with the citations "
                        "of both (another source's or another voice's report is an entry of its "
                        "own)",
                    )
                first.setdefault(key, i)


def _twice(label: str, field: str, items: list[str], what: str) -> Iterator[DataError]:
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        if item in first:
            yield DataError(
                label,
                f"{field}[{i}]",
                f"the {what} '{item}' is already {field}[{first[item]}]: keep one, "
                "with the citations of both",
            )
        first.setdefault(item, i)


def _check_relations(model: Model, data_label: str) -> Iterator[DataError]:
    """Relations that cannot be: a side led by itself, an actor part of itself."""
    for round_id, round_ in model.rounds.items():
        for i, delegation in enumerate(round_.delegations):
            if delegation.led_by == delegation.actor:
                yield DataError(
                    document_label(data_label, "rounds", round_id),
                    f"delegations[{i}].led_by",
                    f"the side '{delegation.actor}' cannot lead itself: name the person who "
                    "led it, or leave led_by out",
                )
    loops, reported = _affiliation_loops(model), set()
    for actor_id in model.actors:  # each loop told once, from its first actor
        loop = loops.get(actor_id)
        if loop and actor_id not in reported:
            reported.update(loop)
            at = loop.index(actor_id)
            loop = [*loop[at:], *loop[:at]]
            yield DataError(
                document_label(data_label, "actors", actor_id),
                "affiliation.actor",
                f"affiliations go round in a loop ({' → '.join([*loop, loop[0]])}): "
                "an actor cannot be part of itself; remove one of them",
            )


def _affiliation_loops(model: Model) -> dict[str, list[str]]:
    """Each actor on a loop of affiliations -> the actors of its loop, in their order. In one
    walk along the chains: an actor already walked is never walked again (linear, however long
    the chains)."""
    loops: dict[str, list[str]] = {}
    walked: set[str] = set()
    for start in model.actors:
        chain: dict[str, int] = {}  # actor -> its place in this walk
        actor = start
        while actor not in walked and actor not in chain:
            chain[actor] = len(chain)
            affiliation = model.actors[actor].affiliation
            if affiliation is None or affiliation.actor not in model.actors:
                break
            actor = affiliation.actor
        else:
            if actor in chain:  # this walk closed on itself
                loop = list(chain)[chain[actor] :]
                loops.update(dict.fromkeys(loop, loop))
        walked.update(chain)
    return loops


def _check_statement_id(
    label: str, path: str, node: Cited, seen: dict[str, str], found: list
) -> None:
    """A statement's id is its anchor: present, and unique on its page."""
    if node.id and node.id not in seen:
        seen[node.id] = path
        return
    field = f"{path}.id" if path else "id"
    if not node.id:
        found.append(DataError(label, field, NO_ID))
    else:
        found.append(
            DataError(
                label,
                field,
                f"'{node.id}' is already the id of {seen[node.id]}: an id is the anchor of one "
                "statement on its page; give this one another",
            )
        )


def _relations_shown(model: Model, kind: str, entity_id: str) -> dict[str, str]:
    """The relations another file holds that this entity's page shows too, by id."""
    return {
        node.id: f"a relation held in {holder}"
        for r in model.relations
        if r.other == kind and r.anchored
        for holder, node in model.related(r.field).get(entity_id, ())
        if node.id
    }


def _check_withdrawn(
    label: str, document: object, seen: dict[str, str], shown: dict[str, str]
) -> Iterator[DataError]:
    """A withdrawn statement's id is never reused, and what replaces it is on the page
    (`shown`: its own statements and the relations other files hold)."""
    for i, gone in enumerate(getattr(document, "withdrawn", ())):
        if gone.id in seen:
            yield DataError(
                label,
                f"withdrawn[{i}].id",
                f"'{gone.id}' is withdrawn but still the id of {seen[gone.id]}: an id is never "
                "reused; give that statement a new id",
            )
        if gone.see and gone.see not in shown:
            yield DataError(
                label,
                f"withdrawn[{i}].see",
                f"no statement '{gone.see}' on this page{did_you_mean(gone.see, shown)}: "
                "name the id of the statement that replaces it",
            )


def reserved_ids(kind: str, document: Schema, titles: Titles) -> dict[str, str]:
    """The ids a page gives its own elements, each with what holds it: a statement's anchor
    must be none of them."""
    reserved = dict.fromkeys(PAGE_IDS, "a section's heading")
    reserved["search-ui"] = "the search box"
    title = titles.get(kind)
    if title:
        reserved[slugify(title(document), "-")] = "the page's title"
    return reserved


class _Anchor(NamedTuple):
    """Where an id on a page comes from: its file and field path."""

    label: str
    path: str


class _Anchors(NamedTuple):
    """A file's own part of the page ids' check: the ids its page gives its own elements, its
    statements' anchors, those that other pages show, and the problems within the file."""

    taken: dict[str, str]
    anchors: dict[str, _Anchor]
    shown_elsewhere: list[tuple[Page, str, _Anchor]]
    problems: list[DataError]


def _document_anchors(
    model: Model, label: str, kind: str, document: Schema, titles: Titles
) -> _Anchors:
    taken = reserved_ids(kind, document, titles)
    anchors: dict[str, _Anchor] = {}
    shown_elsewhere: list[tuple[Page, str, _Anchor]] = []
    problems: list[DataError] = []
    for path, node in statements(document):
        if node.id:
            here = _Anchor(label, _field(path, "id"))
            if node.id in taken:
                problems.append(_reserved_clash(here, node.id, taken[node.id]))
            anchors.setdefault(node.id, here)
            shown_elsewhere.extend(
                (other, node.id, here) for other in shown_on(model.relations, node)
            )
    problems.extend(_check_withdrawn_ids(label, document, taken, anchors))
    return _Anchors(taken, anchors, shown_elsewhere, problems)


def _check_page_ids(
    model: Model, data_label: str, titles: Titles, cache: CheckCache
) -> Iterator[DataError]:
    """Every id is one anchor on every page that shows it, across files: the statements of an
    entity's file, its withdrawn ids, and the relations other files hold that its page shows
    (a stance on its actor's page). Repeats within one file are `_check_statement_id`'s."""
    pages: dict[Page, dict[str, _Anchor]] = {}
    reserved: dict[Page, dict[str, str]] = {}
    shown_elsewhere: list[tuple[Page, str, _Anchor]] = []
    for kind, entity_id, document in model.documents():
        page = (kind, entity_id)
        own = cache.anchors(page, document)
        if own is None:
            label = document_label(data_label, kind, entity_id)
            own = _document_anchors(model, label, kind, document, titles)
        cache.keep_anchors(page, document, own)
        reserved[page], pages[page] = own.taken, dict(own.anchors)
        shown_elsewhere.extend(own.shown_elsewhere)
        yield from own.problems
    for page, anchor_id, here in shown_elsewhere:
        shown = pages.get(page)
        if shown is None:
            continue  # no such page: the reference is reported
        if anchor_id in reserved[page] and anchor_id not in PAGE_IDS:  # those: reported above
            yield _reserved_clash(here, anchor_id, reserved[page][anchor_id], page)
        first = shown.setdefault(anchor_id, here)
        if first.label != here.label:  # in one file: `_check_statement_id` reports it
            yield _shown_twice(anchor_id, here, first, page)


def _shown_twice(anchor_id: str, here: _Anchor, first: _Anchor, page: Page) -> DataError:
    where = f"{first.path} in {first.label}"
    page_url = f"/{page[0]}/{page[1]}/"
    return DataError(
        here.label,
        here.path,
        f"'{anchor_id}' is withdrawn at {where}, and the page {page_url} shows this too: a "
        "withdrawn id is never reused; give this one another"
        if first.path.startswith("withdrawn[")
        else f"'{anchor_id}' is also the id at {where}, and the page {page_url} shows both: an "
        "id is the anchor of one statement on every page that shows it; give this one another",
    )


def _check_withdrawn_ids(
    label: str, document: Schema, taken: dict[str, str], anchors: dict[str, _Anchor]
) -> Iterator[DataError]:
    """A withdrawn id is withdrawn once, and is none of the page's own elements' ids (a live
    statement's is `_check_withdrawn`'s)."""
    for i, gone in enumerate(getattr(document, "withdrawn", ())):
        here = _Anchor(label, f"withdrawn[{i}].id")
        if gone.id in taken:
            yield _reserved_clash(here, gone.id, taken[gone.id])
        first = anchors.setdefault(gone.id, here)
        if first.path.startswith("withdrawn[") and first != here:
            yield DataError(
                label,
                here.path,
                f"'{gone.id}' is already withdrawn at {first.path}: list a withdrawn id once",
            )


def _reserved_clash(
    here: _Anchor, anchor_id: str, what: str, page: Page | None = None
) -> DataError:
    on = f"/{page[0]}/{page[1]}/, which shows this statement" if page else "the page"
    return DataError(
        here.label,
        here.path,
        f"'{anchor_id}' is the id of {what} on {on}: a link to the statement would lead "
        "there; give it another id",
    )


# Letters of other scripts that read as Latin ones (after casefolding), and marks that read
# alike: names are compared with these made the same (a short form of Unicode's skeletons).
_LOOKALIKES = str.maketrans(
    "авԁеɡһіјкӏморԛѕтуԝхѵαβεηικνορτυχω’‘ʼ`´‐‑‒–—−",
    "abdeghijklmopqstywxvabenikvoptuxw'''''------",
)


def name_skeleton(name: str) -> str:
    """What a name reads as: the same for names a reader cannot tell apart."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    visible = "".join(c for c in folded if unicodedata.category(c) not in ("Cf", "Mn"))
    return " ".join(visible.translate(_LOOKALIKES).split())


def _check_names(model: Model, data_label: str) -> Iterator[DataError]:
    """No two actors' names read the same: a reader could not tell their pages apart."""
    first: dict[str, str] = {}
    for actor_id, actor in model.actors.items():
        skeleton = name_skeleton(actor.name)
        other = first.setdefault(skeleton, actor_id)
        if other != actor_id:
            yield DataError(
                document_label(data_label, "actors", actor_id),
                "name",
                f"{actor.name!r} reads the same as the name of actors/{other} "
                f"({model.actors[other].name!r}): if it is that actor, merge the two files; "
                "otherwise name it so that a reader can tell them apart",
            )
