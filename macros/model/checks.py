"""Cross-checks over the whole model: ids that entities name, citations against their sources,
and what must be unique. They work from the ids scanned in data/, not from the disk: an id whose
file exists but failed to load is passed over (that file's own errors say why)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set
from typing import NamedTuple

from macros.model.citations import LineIndex, citation_problem
from macros.model.errors import DataError, did_you_mean
from macros.model.schema import RESERVED_IDS, Cited
from macros.model.store import Model, statements
from macros.model.voice import Spans, check_frames, unvoiced


def check_model(
    model: Model, scanned: Mapping[str, Set[str]], data_label: str
) -> Iterator[DataError]:
    """Every problem that needs more than one file to see. `scanned`: kind -> ids found."""
    spans: Spans = {}
    yield from check_frames(model, scanned, data_label, spans)
    yield from _check_documents(model, scanned, data_label, spans)
    yield from _check_unique(model, data_label)
    yield from _check_repeats(model, data_label)
    yield from _check_relations(model, data_label)


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
    model: Model, scanned: Mapping[str, Set[str]], data_label: str, spans: Spans
) -> Iterator[DataError]:
    """In one pass over the facts and relations of each file: every id named exists, every
    citation holds, no speaker is named twice or left out (the voice check: `spans`, the
    sources' frames), and every statement has its own id (see `_check_statement_id`)."""
    lines = {source_id: source.lines for source_id, source in model.sources.items()}
    known = _Known(scanned, data_label, lines, spans, LineIndex(lines))
    for kind, entity_id, document in model.documents():
        label = document_label(data_label, kind, entity_id)
        seen: dict[str, str] = {}  # statement id -> field path
        found: list[DataError] = []  # appended to, not yielded: tens of thousands of statements
        for path, node in statements(document):
            _check_statement(label, path, node, known, seen, found)
        yield from found
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
                error = DataError(
                    label, _field(path, f"cite[{i}].{problem.field}"), problem.message
                )
                wrong = [*wrong, error] if wrong else [error]
    if framed and (error := unvoiced(node, framed, spans, lines, label, path)):
        found.append(error)
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
    """Nothing listed twice: a stance, a round, a side (speakers: see `_check_documents`)."""
    for demand_id, demand in model.demands.items():
        label = document_label(data_label, "demands", demand_id)
        stances = [f"{s.actor} {s.stance}" for s in demand.stances]
        yield from _twice(label, "stances", stances, "stance")
        yield from _twice(label, "raised_in", [m.round for m in demand.raised_in], "round")
    for round_id, round_ in model.rounds.items():
        label = document_label(data_label, "rounds", round_id)
        yield from _twice(label, "delegations", [d.actor for d in round_.delegations], "side")


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
        found.append(DataError(label, field, "has no id: run `make fact-ids`, which writes one"))
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
    if kind == "actors":
        held = [
            *model.stances_by_actor.get(entity_id, ()),
            *model.delegations_by_actor.get(entity_id, ()),
        ]
    elif kind == "rounds":
        held = list(model.mentions_by_round.get(entity_id, ()))
    else:
        return {}
    return {node.id: f"a relation held in {other}" for other, node in held if node.id}


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
