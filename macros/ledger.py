"""The ledger of published links (`published-links.json`): every page of data/ and every anchor
on it that has ever been published, with the id of the statement each anchor leads to.

Anchors are ids now; the anchors shared before ids existed (`#facts-2`, `#stances-4`, by
position) are in the ledger too, each with the id of the statement it led to. The build refuses
data that would make a recorded page or anchor vanish (a page may move with `formerly:`, a
statement may be withdrawn, leaving its tombstone), and shows every old anchor as an alias.
`make links` records new pages and anchors; a test fails while any is unrecorded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from macros.kinds import KINDS, load
from macros.model.errors import DataError, InvalidData
from macros.model.load import LoadCache
from macros.model.schema import Cited
from macros.model.store import Model, walk

FILE = "published-links.json"
Ledger = dict[str, dict[str, str]]  # page ("demands/x/") -> anchor -> id of the statement


def load_checked(data_dir: Path, cache: LoadCache | None = None) -> Model:
    """The model of data_dir, also checked against the ledger beside it: what the build and
    `make check` load. Raises InvalidData with every problem. With a cache kept across calls
    (`mkdocs serve`), only the files changed since are read again (`kinds.load`)."""
    model = load(data_dir, cache)
    vanished = list(vanishing(read(data_dir.parent), model, data_dir.name))
    if vanished:
        raise InvalidData(vanished)
    return model


def read(project: Path) -> Ledger:
    path = project / FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def write(project: Path, ledger: Ledger) -> None:
    text = json.dumps(ledger, indent=1, sort_keys=True, ensure_ascii=False)
    (project / FILE).write_text(text + "\n", encoding="utf-8")


def page_key(kind: str, entity_id: str) -> str:
    return f"{kind}/{entity_id}/"


def current(model: Model) -> Ledger:
    """The pages of data/ and the anchors each shows now (withdrawn statements included)."""
    pages: Ledger = {}
    for kind, entity_id, document in model.documents():
        key = page_key(kind, entity_id) if entity_id else f"{kind}/"  # the timeline: one page
        anchors = pages.setdefault(key, {})
        for _, node in walk(document):
            if isinstance(node, Cited) and node.id:
                anchors[node.id] = node.id
        for gone in getattr(document, "withdrawn", ()):
            anchors[gone.id] = gone.id
    for kind in KINDS:
        if kind.with_text:
            for source_id in model.entities(kind.name):
                pages.setdefault(page_key(kind.name, source_id), {})
    for actor_id, stances in model.stances_by_actor.items():
        pages[page_key("actors", actor_id)].update({s.id: s.id for _, s in stances if s.id})
    for actor_id, rounds in model.delegations_by_actor.items():
        pages[page_key("actors", actor_id)].update({d.id: d.id for _, d in rounds if d.id})
    for round_id, mentions in model.mentions_by_round.items():
        pages[page_key("rounds", round_id)].update({m.id: m.id for _, m in mentions if m.id})
    return pages


def vanishing(ledger: Ledger, model: Model, data_label: str = "data") -> Iterator[DataError]:
    """A problem for each recorded page or anchor that the data would make vanish."""
    if not ledger:  # nothing published yet (a new project, the benchmark's data)
        return
    now = current(model)
    moved = {
        page_key(k.name, old): page_key(k.name, entity_id)
        for k in KINDS
        for entity_id, entity in model.entities(k.name).items()
        for old in getattr(entity, "formerly", ())
    }
    for page, anchors in sorted(ledger.items()):
        target = page if page in now else moved.get(page)
        label = f"{data_label}/{(target or page).rstrip('/')}.yml"
        if target is None:
            old_id = page.split("/")[1]
            # A page of its own file (the timeline) cannot move: only restoring it helps.
            fix = (
                f"keep its file, or rename it with `formerly: [{old_id}]` in the new file"
                if old_id
                else f"restore the file (`git checkout -- {label}`)"
            )
            yield DataError(label, "", f"the published page /{page} would vanish: {fix}")
            continue
        for anchor, statement in sorted(anchors.items()):
            if statement not in now[target]:
                yield DataError(
                    label,
                    "",
                    f"the published anchor /{page}#{anchor} would vanish (statement "
                    f"'{statement}'): keep the statement, or withdraw it under `withdrawn:` with "
                    "its id and the date, which leaves a note at its anchor",
                )


def aliases(ledger: Ledger, pages: list[str]) -> dict[str, list[str]]:
    """Statement id -> its older anchors (by position, before ids existed) on a page, given as
    its address now followed by its former ones."""
    found: dict[str, list[str]] = {}
    for page in pages:
        for anchor, statement in sorted(ledger.get(page, {}).items()):
            if anchor != statement and anchor not in found.get(statement, []):
                found.setdefault(statement, []).append(anchor)
    return found


def unrecorded(ledger: Ledger, model: Model) -> Ledger:
    """The pages and anchors the data shows that the ledger lacks."""
    missing: Ledger = {}
    for page, anchors in current(model).items():
        new = {a: s for a, s in anchors.items() if a not in ledger.get(page, {})}
        if new or page not in ledger:
            missing[page] = new
    return missing


def recorded(ledger: Ledger, model: Model) -> Ledger:
    """The ledger with every page and anchor of the data added; nothing is ever removed."""
    merged = {page: dict(anchors) for page, anchors in ledger.items()}
    for page, anchors in unrecorded(ledger, model).items():
        merged.setdefault(page, {}).update(anchors)
    return merged
