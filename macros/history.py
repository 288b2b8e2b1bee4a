"""Each statement's history, read from the git history of data/: when it was first published,
when its wording or citations last changed (and what they said before), when it was withdrawn,
and when each page was added or renamed. No MkDocs here.

Dates are commits' dates (the committer's, in UTC), never the build's clock, so one commit
builds the same site on any day. "Published" means on the first-parent line of HEAD: a commit
merged from a branch counts from its merge. A statement is known by its id, which came with
ids (before them, statements had none to follow).

Reading is incremental: the state after the last commit read (each file's statements, by id,
with a digest of what they say) is kept in memory and in `.cache/history.json`, so a build
reads only the commits not yet seen. Without git history (a tarball) the history is
`History.unavailable()`, and the build goes on without it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from macros.model.yaml_reader import read_yaml

CACHE_FORMAT = 1  # raised when the cache's shape changes: an older cache is then read afresh
ADDED, CHANGED, WITHDRAWN, PAGE_ADDED, PAGE_RENAMED = (
    "added",
    "changed",
    "withdrawn",
    "page added",
    "page renamed",
)


class Stamp(NamedTuple):
    """A commit, and its time (seconds since the epoch, the committer's)."""

    commit: str
    time: int

    @property
    def date(self) -> str:
        return self.moment.date().isoformat()

    @property
    def moment(self) -> datetime.datetime:
        return datetime.datetime.fromtimestamp(self.time, datetime.UTC)


class StatementHistory(NamedTuple):
    published: Stamp  # the first commit that showed it
    changed: Stamp | None  # the last commit that changed its wording or citations
    earlier: tuple[tuple[Stamp, str], ...]  # each wording no longer stated, and when it went


class Change(NamedTuple):
    """One change of the data, as the changes page and the feed list it."""

    stamp: Stamp
    what: str  # ADDED, CHANGED, WITHDRAWN, PAGE_ADDED or PAGE_RENAMED
    page: str  # "demands/x" (or "timeline"), as the page was called then
    statement: str  # its id, or "" for a page's change
    earlier: str  # the wording it had before (changed, withdrawn); the former page (renamed)
    with_page: bool  # a statement added with its page (listed under the page's line)


class History(NamedTuple):
    available: bool
    head: str  # the commit read up to ("" without history)
    statements: dict[str, dict[str, StatementHistory]]  # page -> id -> its history
    changes: tuple[Change, ...]  # newest first
    anywhere: dict[str, StatementHistory]  # id -> its history, whichever page holds it

    @classmethod
    def unavailable(cls) -> History:
        return cls(False, "", {}, (), {})

    def of(self, statement_id: str, page: str = "") -> StatementHistory | None:
        """A statement's history, on `page` (kind/id) where it is held there, else wherever
        it is held (a relation shows on the pages of both its ends)."""
        held = self.statements.get(page, {}).get(statement_id)
        if held or not statement_id:
            return held
        return self.anywhere.get(statement_id)  # looked up, not searched: one page's ids each

    @property
    def latest(self) -> Change | None:
        return self.changes[0] if self.changes else None


# -- reading git ------------------------------------------------------------------------------


class HistoryReader:
    """Reads the history of one project's data/, keeping what it read for the next build."""

    def __init__(self) -> None:
        self._state: dict[str, Any] | None = None  # the last read's state (see `_fresh_state`)
        self._history: History | None = None

    def read(self, project: Path) -> History:
        """The history up to HEAD: only commits not yet read are read."""
        head = (_git(project, "rev-parse", "HEAD") or "").strip()
        if not head:
            return History.unavailable()
        if self._history and self._history.head == head:
            return self._history
        cache = _cache_path(project)
        state = self._state if self._state and self._state["head"] else _load(cache)
        chain = _first_parents(project)
        if state["head"] not in chain:  # a rewritten branch, another checkout: read afresh
            state = _fresh_state()
        commits = _log(project, state["head"])
        if commits is None:
            return History.unavailable()
        _apply(state, commits, _blobs(project, commits))
        state["head"] = head
        self._state, self._history = state, _history(state)
        if commits and cache:
            _save(cache, state)
        return self._history


def _fresh_state() -> dict[str, Any]:
    """Nothing read yet. `files`: page -> {"said": {id: [digest, wording]}, "withdrawn":
    [ids], "formerly": [ids]}; `statements`: page -> id -> [published, changed, earlier];
    `changes`: oldest first; `pages`: the pages shown at the last commit read."""
    return {"format": CACHE_FORMAT, "head": "", "files": {}, "statements": {}, "changes": []}


def _git(project: Path, *args: str, stdin: str | None = None) -> str | None:
    """What git prints, or None where git or the repository is absent."""
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=project,
            input=stdin,
            capture_output=True,
            text=True,
            env={**os.environ, "TZ": "UTC", "GIT_OPTIONAL_LOCKS": "0"},
        )
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def _first_parents(project: Path) -> set[str]:
    listed = _git(project, "rev-list", "--first-parent", "HEAD")
    return {"", *(listed or "").split()}


class _Commit(NamedTuple):
    stamp: Stamp
    files: list[tuple[str, str]]  # (path under the project, the new blob or "" where deleted)


def _log(project: Path, since: str) -> list[_Commit] | None:
    """The first-parent commits after `since` (all where "") that touched data/, oldest
    first, with the files each changed (a merge: against its first parent)."""
    span = f"{since}..HEAD" if since else "HEAD"
    out = _git(
        project,
        "log",
        "--first-parent",
        "--reverse",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "--relative",
        "--format=%x00%H %ct",
        span,
        "--",
        "data",
    )
    if out is None:
        return None
    commits = []
    for chunk in out.split("\0")[1:]:
        first, *rest = chunk.strip("\n").split("\n")
        sha, time = first.split()
        files = []
        for line in rest:
            if not line.startswith(":"):
                continue
            meta, path = line.split("\t", 1)
            fields = meta.split()
            files.append((path, "" if fields[4] == "D" else fields[3]))
        commits.append(_Commit(Stamp(sha, int(time)), files))
    return commits


def _blobs(project: Path, commits: list[_Commit]) -> dict[str, str]:
    """The text of every YAML file the commits wrote, read by one `git cat-file` process."""
    wanted = sorted({b for c in commits for p, b in c.files if b and p.endswith(".yml")})
    if not wanted:
        return {}
    process = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=project,
        input="\n".join(wanted).encode() + b"\n",
        capture_output=True,
        check=True,
    )
    out, texts, at = process.stdout, {}, 0
    for sha in wanted:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        texts[sha] = out[header_end + 1 : header_end + 1 + size].decode("utf-8", "replace")
        at = header_end + 1 + size + 1
    return texts


# -- what each commit changed -------------------------------------------------------------------


def page_of(path: str) -> str | None:
    """The page a data file makes: data/demands/x.yml -> demands/x, data/timeline.yml ->
    timeline; sources by their .yml or .txt. None for anything else."""
    parts = Path(path).parts
    if len(parts) == 2 and parts[1].endswith(".yml"):
        return parts[1].removesuffix(".yml")
    if len(parts) == 3 and parts[2].endswith((".yml", ".txt")):
        return f"{parts[1]}/{Path(parts[2]).stem}"
    return None


def _apply(state: dict[str, Any], commits: list[_Commit], texts: dict[str, str]) -> None:
    for commit in commits:
        changed: dict[str, dict[str, Any] | None] = {}
        for path, blob in commit.files:
            page = page_of(path)
            if page is None:
                continue
            if not blob:
                changed.setdefault(page, None)
            elif path.endswith(".yml"):
                changed[page] = _read(texts.get(blob, ""))
            else:  # a source's text: the page exists
                changed.setdefault(page, state["files"].get(page) or _empty())
        _commit(state, commit.stamp, changed)


def _empty() -> dict[str, Any]:
    return {"said": {}, "withdrawn": [], "formerly": []}


def _commit(state: dict[str, Any], stamp: Stamp, changed: dict[str, dict | None]) -> None:
    """One commit's changes: pages gone, renamed or added, then each page's statements."""
    files, events = state["files"], state["changes"]
    at = [stamp.commit, stamp.time]
    gone = {p for p, f in changed.items() if f is None and p in files}
    for page, now in changed.items():
        if now is None:
            continue
        if page not in files:
            kind = page.partition("/")[0]
            former = next((f"{kind}/{f}" for f in now["formerly"] if f"{kind}/{f}" in gone), "")
            if former:  # renamed: its statements and their history go with it
                files[page] = files[former]
                state["statements"][page] = state["statements"].pop(former, {})
                events.append([at, PAGE_RENAMED, page, "", former, False])
            else:
                files[page] = _empty()
                events.append([at, PAGE_ADDED, page, "", "", False])
                _compare(state, stamp, page, _empty(), now, new_page=True)
                files[page] = now
                continue
        _compare(state, stamp, page, files[page], now, new_page=False)
        files[page] = now
    for page in gone:
        files.pop(page, None)


def _compare(
    state: dict[str, Any], stamp: Stamp, page: str, was: dict, now: dict, new_page: bool
) -> None:
    at = [stamp.commit, stamp.time]
    events, held = state["changes"], state["statements"].setdefault(page, {})
    for statement_id, (digest, words) in now["said"].items():
        before = was["said"].get(statement_id)
        if before is None:
            held[statement_id] = [at, None, []]
            events.append([at, ADDED, page, statement_id, "", new_page])
        elif before[0] != digest:
            # Its citations or voice alone may have changed: then no earlier wording.
            earlier = before[1] if before[1] != words else ""
            entry = held.setdefault(statement_id, [at, None, []])
            entry[1] = at
            entry[2].append([at, earlier])
            events.append([at, CHANGED, page, statement_id, earlier, False])
    for statement_id in now["withdrawn"]:
        if statement_id not in was["withdrawn"]:
            said = was["said"].get(statement_id) or _said_anywhere(state, statement_id)
            events.append([at, WITHDRAWN, page, statement_id, said[1] if said else "", False])


def _said_anywhere(state: dict[str, Any], statement_id: str) -> list | None:
    """What a statement held on another page said (a relation shows on both its ends)."""
    return next(
        (f["said"][statement_id] for f in state["files"].values() if statement_id in f["said"]),
        None,
    )


def _read(text: str) -> dict[str, Any]:
    """A file's statements (id -> [digest of what it says, its wording]), its withdrawn ids
    and former ids. A version that does not parse shows nothing (its next version will)."""
    try:
        document = read_yaml(text)
    except Exception:
        return _empty()
    if not isinstance(document, dict):
        return _empty()
    said = {node["id"]: [_digest(node), wording(node)] for node in _statements(document)}
    withdrawn = [
        w["id"] for w in document.get("withdrawn") or () if isinstance(w, dict) and "id" in w
    ]
    formerly = [f for f in document.get("formerly") or () if isinstance(f, str)]
    return {"said": said, "withdrawn": withdrawn, "formerly": formerly}


def _statements(node: Any) -> Iterator[dict]:
    """Every fact and relation: a mapping with an id and citations, wherever it stands."""
    if isinstance(node, dict):
        if isinstance(node.get("id"), str) and "cite" in node:
            yield node
        for value in node.values():
            yield from _statements(value)
    elif isinstance(node, list):
        for item in node:
            yield from _statements(item)


def _digest(node: dict) -> str:
    """What a statement says (everything but its id): a change of wording, citations, voice."""
    said = {k: v for k, v in node.items() if k != "id"}
    return hashlib.sha1(json.dumps(said, sort_keys=True, default=str).encode()).hexdigest()[:16]


def wording(node: dict) -> str:
    """A statement's words as a reader saw them: a fact's text, or a relation's quotes."""
    if isinstance(node.get("text"), str):
        return node["text"]
    quotes = [c.get("quote") for c in node.get("cite") or () if isinstance(c, dict)]
    return " … ".join(f"“{q}”" for q in quotes if isinstance(q, str))


def _history(state: dict[str, Any]) -> History:
    def stamp(at: list) -> Stamp:
        return Stamp(at[0], at[1])

    statements = {
        page: {
            i: StatementHistory(
                stamp(p), stamp(c) if c else None, tuple((stamp(a), w) for a, w in e)
            )
            for i, (p, c, e) in held.items()
        }
        for page, held in state["statements"].items()
    }
    changes = tuple(Change(stamp(e[0]), *e[1:]) for e in reversed(state["changes"]))
    anywhere: dict[str, StatementHistory] = {}
    for held_there in statements.values():
        for i, found in held_there.items():
            anywhere.setdefault(i, found)  # the first page holding it, as a search would find
    return History(True, state["head"], statements, changes, anywhere)


# -- the cache file -----------------------------------------------------------------------------


def _cache_path(project: Path) -> Path | None:
    """`.cache/history.json` beside data/ (git-ignored, never published, outside what
    `make serve` watches); None outside git."""
    if _git(project, "rev-parse", "--git-dir") is None:
        return None
    return project / ".cache" / "history.json"


def _load(cache: Path | None) -> dict[str, Any]:
    try:
        assert cache is not None
        state = json.loads(cache.read_text(encoding="utf-8"))
        if state.get("format") == CACHE_FORMAT:
            return state
    except (AssertionError, OSError, ValueError):
        pass
    return _fresh_state()


def _save(cache: Path, state: dict[str, Any]) -> None:
    """Written whole, then renamed: builds running at once never read half a cache."""
    try:
        cache.parent.mkdir(exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(state), encoding="utf-8")
        temporary.replace(cache)
    except OSError:  # a read-only checkout: the next build reads the history again
        pass
