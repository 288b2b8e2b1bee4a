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
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

from macros.kinds import KINDS, load
from macros.model.errors import DataError, InvalidData, MissingIds
from macros.model.load import LoadCache
from macros.model.schema import SLUG_PATTERN, Cited
from macros.model.store import Model, walk

FILE = "published-links.json"
Ledger = dict[str, dict[str, str]]  # page ("demands/x/") -> anchor -> id of the statement
_ID = re.compile(SLUG_PATTERN.strip("^$"))
_PAGE = re.compile(rf"[a-z]+/(?:{_ID.pattern}/)?")  # "demands/x/", or "timeline/"


def load_checked(data_dir: Path, cache: LoadCache | None = None) -> Model:
    """The model of data_dir, also checked against the ledger beside it: what the build and
    `make check` load. Raises InvalidData with every problem. With a cache kept across calls
    (`mkdocs serve`), only the files changed since are read again (`kinds.load`)."""
    try:
        model = load(data_dir, cache)
    except MissingIds as e:  # the ledger still holds for what the serve loop shows
        vanished = list(vanishing(read(data_dir.parent), e.model, data_dir.name))
        raise InvalidData([*vanished, *e.errors]) if vanished else e from None
    vanished = list(vanishing(read(data_dir.parent), model, data_dir.name))
    if vanished:
        raise InvalidData(vanished)
    return model


def read(project: Path) -> Ledger:
    """The ledger beside data/, checked: it is data, kept by hand and merged by git, so a
    broken one is refused (InvalidData, naming the fix), never trusted or taken for empty."""
    path = project / FILE
    if not path.exists() and not path.is_symlink():
        if _published_in_git(project):
            _refuse(
                "", f"the file is missing but git has it: restore it with `git checkout -- {FILE}`"
            )
        return {}  # nothing published yet: a new project, the benchmark's data
    try:
        text = path.read_bytes().decode("utf-8")
    except IsADirectoryError:
        _refuse(
            "",
            f"this is a folder, not a file: remove it and restore the file with "
            f"`git checkout -- {FILE}`",
        )
    except UnicodeDecodeError as e:
        _refuse("", f"byte {e.start} is not UTF-8: restore the file with `git checkout -- {FILE}`")
    if re.search(r"^(<{7}|={7}|>{7})", text, re.MULTILINE):
        _refuse(
            "",
            "it holds git's conflict markers (<<<<<<<): keep both sides' entries "
            "(nothing is ever removed from it), or take either side and run `make links`",
        )
    try:
        ledger = json.loads(text)
    except ValueError as e:
        _refuse(
            "",
            f"not valid JSON ({e}): restore it with `git checkout -- {FILE}` and run `make links`",
        )
    if not ledger and _published_in_git(project):
        _refuse(
            "",
            f"it is empty but git has its published links: restore it with "
            f"`git checkout -- {FILE}`",
        )
    return _checked(ledger)


def _checked(ledger: object) -> Ledger:
    """The ledger if it has the shape `make links` writes: {page: {anchor: statement id}}."""
    if not isinstance(ledger, dict):
        _refuse(
            "",
            f"it must be a JSON object of pages, not {type(ledger).__name__}: restore "
            f"it with `git checkout -- {FILE}` and run `make links`",
        )
    for page, anchors in ledger.items():
        if not _PAGE.fullmatch(page):
            _refuse(page[:120], "not a page of the site (kind/id/): fix or remove this key")
        if not isinstance(anchors, dict):
            _refuse(page, "must be an object of anchors: restore it with `git checkout`")
        for anchor, statement in anchors.items():
            if not (
                _ID.fullmatch(anchor) and isinstance(statement, str) and _ID.fullmatch(statement)
            ):
                _refuse(
                    f"{page}.{anchor[:120]}",
                    "an anchor and its statement must both be ids "
                    "(lowercase letters, digits and hyphens): fix this entry",
                )
    return ledger


def _refuse(field: str, message: str) -> NoReturn:
    raise InvalidData([DataError(FILE, field, message)])


def _published_in_git(project: Path) -> bool:
    """Whether the last commit holds a ledger with links: then a missing or empty one was
    lost by accident, not a new project's."""
    try:
        shown = subprocess.run(
            ["git", "-C", str(project), "show", f"HEAD:./{FILE}"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:  # no git: a tarball, nothing to compare with
        return False
    return shown.returncode == 0 and shown.stdout.strip() not in ("", "{}")


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
    for with_text in (k for k in KINDS if k.with_text):
        for source_id in model.entities(with_text.name):
            pages.setdefault(page_key(with_text.name, source_id), {})
    for relation in (r for r in model.relations if r.anchored):  # shown at both ends
        for other_id, held in model.related(relation.field).items():
            anchors = pages[page_key(relation.other, other_id)]
            anchors.update({node.id: node.id for _, node in held if node.id})
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
            elif anchor != statement and anchor in now[target]:  # an older anchor, taken
                yield DataError(
                    label,
                    "",
                    f"the id '{anchor}' is a published anchor of statement '{statement}' on "
                    f"/{target}, which links already shared lead to: give the new one another id",
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
