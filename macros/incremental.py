"""Incremental rebuilds for `make serve` (`mkdocs serve --dirty`): which files an edit changes.

MkDocs rebuilds under `--dirty` only the files whose `is_modified()` is true, and a generated
file always says true. Here each generated file (and each hand-written page, which may call a
macro) answers from what it was drawn from:

- while a page or JSON twin is rendered, the model it reads is a `TrackedModel`, which notes
  every question asked of it as a key: an entity (`("entity", "demands", "x")`), every entity of
  a kind (`("entity", "demands", ALL)`), an entry of a reverse relation
  (`("stances_by_actor", "russia")`), the timeline;
- each key has a fingerprint in a model (`Fingerprints`): the digests of the data files behind
  its answer, so that it changes exactly when one of those files does;
- a file is modified when its content, the build's global state (`Tracker.start`: templates,
  config, ledger) or any key's fingerprint differs from when it was last written.

Correctness does not rest on listing dependencies by hand: whatever a view reads is recorded.
`tests/test_incremental.py` proves it edit by edit against full builds.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from mkdocs.structure.files import File

from macros.model.store import Model

ALL = "*"  # every entity of a kind (no id can be "*": ids are letters, digits and hyphens)
Key = tuple[str, ...]
# The reverse relations of the model, and the kind of data file each entry comes from (None:
# the entries name their kind themselves, as `CitedAt` does).
REVERSE = {
    "stances_by_actor": "demands",
    "mentions_by_round": "demands",
    "delegations_by_actor": "rounds",
    "members_by_actor": "actors",
    "citations_by_line": None,
}


class _Mapping(Mapping):
    """A read-only view of one of the model's mappings that notes each key looked up, and ALL
    when it is iterated or counted."""

    def __init__(self, inner: Mapping, prefix: Key, reads: set[Key]) -> None:
        self._inner, self._prefix, self._reads = inner, prefix, reads

    def __getitem__(self, key: Any) -> Any:
        self._reads.add((*self._prefix, key))
        return self._inner[key]

    def __iter__(self) -> Iterator:
        self._reads.add((*self._prefix, ALL))
        return iter(self._inner)

    def __len__(self) -> int:
        self._reads.add((*self._prefix, ALL))
        return len(self._inner)


class TrackedModel:
    """The model as views see it, noting what they read into `reads` (the same API as
    `Model`, for reading)."""

    def __init__(self, model: Model, reads: set[Key]) -> None:
        self._model, self._reads = model, reads
        self.by_kind = {
            kind: _Mapping(entities, ("entity", kind), reads)
            for kind, entities in model.by_kind.items()
        }
        for name in REVERSE:
            setattr(self, name, _Mapping(getattr(model, name), (name,), reads))

    def entities(self, kind: str) -> Mapping[str, Any]:
        return self.by_kind[kind]

    sources = property(lambda self: self.by_kind["sources"])
    actors = property(lambda self: self.by_kind["actors"])
    demands = property(lambda self: self.by_kind["demands"])
    rounds = property(lambda self: self.by_kind["rounds"])

    @property
    def timeline(self) -> Any:
        self._reads.add(("timeline",))
        return self._model.timeline

    def documents(self) -> Iterator[tuple[str, str, Any]]:
        for kind in self.by_kind:
            self._reads.add(("entity", kind, ALL))
        self._reads.add(("timeline",))
        return self._model.documents()


class Fingerprints(dict):
    """What each key answers in one model, as the digests of the files behind the answer
    (`fingerprints[key]`, computed once): `Model.digests`, of an entity's file(s) and of the
    timeline's, and None for an entity that does not exist.
    A dict, so that checking the thousands of keys of a build's files is lookups in C."""

    def __init__(self, model: Model) -> None:
        super().__init__()
        self._model = model

    def _digest(self, kind: str, entity_id: str) -> str | None:
        return self._model.digests.get((kind, entity_id))

    def __missing__(self, key: Key) -> Any:
        self[key] = value = self._compute(key)
        return value

    def _compute(self, key: Key) -> Any:
        name, *rest = key
        if name == "timeline":
            return self._digest("timeline", "")
        if name == "entity":
            kind, entity_id = rest
            if entity_id == ALL:
                return tuple((i, self._digest(kind, i)) for i in self._model.entities(kind))
            return self._digest(kind, entity_id)
        index = getattr(self._model, name)
        (entry,) = rest
        if entry == ALL:
            return tuple((k, self[(name, k)]) for k in index)
        return tuple(self._contributor(name, item) for item in index.get(entry, ()))

    def _contributor(self, index: str, item: Any) -> tuple:
        """The file behind one entry of a reverse relation: (kind, id, digest)."""
        kind = REVERSE[index]
        if kind is None:  # a CitedAt
            kind, entity_id = item.kind, item.entity_id
        else:
            entity_id = item if isinstance(item, str) else item[0]
        return kind, entity_id, self._digest(kind, entity_id)


class Tracker:
    """What each file of the site was last written from, across the builds of one `serve`.

    A build calls `start` with its model. MkDocs asks `modified(file)` (through
    `TrackedFile.is_modified`) before it renders or copies a file; what rendering reads of
    `model` between `begin(src_uri)` and `end()` is noted for that file; `commit` records, once
    the build has succeeded, every file it wrote."""

    def __init__(self) -> None:
        # src -> (state, content digest, keys read, their fingerprints, dest): what it was
        # written from
        self._written: dict[str, tuple[str, str, tuple[Key, ...], tuple, str]] = {}
        self._answers: dict[str, bool] = {}  # this build's answers to `modified`
        self._reads: dict[str, set[Key]] = {}  # this build's reads, by file
        self._recording: set[Key] = set()
        self._state = ""
        self._fingerprints: Fingerprints | None = None
        self.model: Any = None  # the TrackedModel that renderers read

    def start(self, model: Model, state: str) -> None:
        """A new build of `model`; `state` fingerprints what every file depends on besides the
        data (templates, configuration, the ledger)."""
        self._fingerprints = Fingerprints(model)
        self._state, self._answers, self._reads = state, {}, {}
        self._recording = set()
        self.model = TrackedModel(model, self._recording)

    def modified(self, file: File) -> bool:
        """Whether the file would come out otherwise than when it was last written (asked
        twice of a page in one build: before it is read and before it is written)."""
        if file.src_uri not in self._answers:
            self._answers[file.src_uri] = self._differs(file)
        return self._answers[file.src_uri]

    def _differs(self, file: File) -> bool:
        last = self._written.get(file.src_uri)
        if file.src_dir is not None and file.is_documentation_page():
            return True  # a hand-written page may call a macro or link to any page: few, redone
        if last is None or last[:2] != (self._state, _content_digest(file)):
            return True
        fingerprints = self._fingerprints
        return fingerprints is None or tuple(map(fingerprints.__getitem__, last[2])) != last[3]

    def begin(self) -> None:
        self._recording.clear()

    def end(self, src_uri: str) -> None:
        """What was read since `begin` is what `src_uri` is drawn from."""
        self._reads.setdefault(src_uri, set()).update(self._recording)
        self._recording.clear()

    def commit(self, files: Iterable[File]) -> list[str]:
        """Record every file this build wrote; forget files no longer in the site, and return
        where they were written (their `dest_uri`)."""
        fingerprints = self._fingerprints
        assert fingerprints is not None, "start() comes first"
        present = set()
        for file in files:
            present.add(file.src_uri)
            if self._answers.get(file.src_uri):
                keys = tuple(self._reads.get(file.src_uri, ()))
                values = tuple(map(fingerprints.__getitem__, keys))
                state = (self._state, _content_digest(file), keys, values, file.dest_uri)
                self._written[file.src_uri] = state
        gone = [src for src in self._written if src not in present]
        return [self._written.pop(src)[4] for src in gone]


class TrackedFile(File):
    """A file of the site that is rebuilt only when what it is drawn from changed. A JSON twin
    passes `render`: its content is made only when it is written, its reads noted."""

    tracker: Tracker
    render: Callable[[], str] | None = None

    @classmethod
    def of(cls, file: File, tracker: Tracker, render: Callable[[], str] | None = None) -> File:
        tracked = object.__new__(cls)
        tracked.__dict__.update(file.__dict__)
        tracked.tracker, tracked.render = tracker, render
        return tracked

    def is_modified(self) -> bool:
        return self.tracker.modified(self)

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        if self.render is not None:
            self.tracker.begin()
            self._content = self.render()
            self.tracker.end(self.src_uri)
        super().copy_file(dirty=False)
        if self.render is not None:
            self._content = None  # written: no need to hold it until the next build


def _content_digest(file: File) -> str:
    """A file's own content: its text for a generated file (a stub, a redirect), its time and
    size for a file on disk, "" for one rendered when written (only its reads count)."""
    if getattr(file, "render", None) is not None:
        return ""
    content = file._content
    if content is None:
        info = os.stat(file.abs_src_path)
        return f"{info.st_mtime_ns}:{info.st_size}"
    data = content.encode() if isinstance(content, str) else content
    return hashlib.sha1(data).hexdigest()


class Background:
    """Work that need not hold up an edit (the search index, `data.json`), done in a thread
    after each build: a build made meanwhile replaces the work waiting, so that the last build's
    is done once, after the one running. A work that fails is handed to `failed` (to be
    reported), and the thread goes on: the next build's work still runs."""

    def __init__(self, failed: Callable[[Exception], None]) -> None:
        self._failed = failed
        self._waiting: Callable[[], None] | None = None
        self._busy = False
        self._lock = threading.Condition()

    def submit(self, work: Callable[[], None]) -> None:
        with self._lock:
            self._waiting = work
            if not self._busy:
                self._busy = True
                threading.Thread(target=self._run, daemon=True, name="after-build").start()

    def wait(self) -> None:
        """Until the work of the last build is done (for the tests and the benchmark)."""
        with self._lock:
            self._lock.wait_for(lambda: not self._busy)

    def _run(self) -> None:
        while True:
            with self._lock:
                work, self._waiting = self._waiting, None
                if work is None:
                    self._busy = False
                    self._lock.notify_all()
                    return
            try:
                work()
            except Exception as e:  # never the end of the thread: it would leave _busy set
                self._failed(e)


class ConvertedPages:
    """The HTML of the long pages (a table of every demand), kept across the builds of one
    `serve`: a page rebuilt because some file it reads changed, but whose Markdown and meta
    came out the same, takes its last HTML instead of Python-Markdown converting it again (the
    same Markdown converts to the same HTML, table of contents and anchors)."""

    LONG = 20_000  # characters of Markdown from which a page is kept

    def __init__(self) -> None:
        self._kept: dict[str, tuple[str, tuple]] = {}  # src -> (digest of Markdown, HTML & co)
        self._pending: dict[str, str] = {}  # src -> digest of the Markdown being converted

    def before(self, page: Any, markdown: str) -> str:
        """The Markdown to convert: "" where the last HTML will do (`after` puts it back)."""
        src = page.file.src_uri
        if len(markdown) < self.LONG:
            self._kept.pop(src, None)
            return markdown
        digest = hashlib.sha1(f"{markdown}\0{sorted(page.meta.items())}".encode()).hexdigest()
        kept = self._kept.get(src)
        if kept and kept[0] == digest:
            return ""
        self._pending[src] = digest
        return markdown

    def after(self, page: Any, html: str) -> str:
        src = page.file.src_uri
        if src in self._pending:
            rendered = (page.toc, page._title_from_render, page.present_anchor_ids)
            self._kept[src] = (self._pending.pop(src), (html, rendered))
            return html
        if src in self._kept and not html:
            html, (page.toc, page._title_from_render, page.present_anchor_ids) = self._kept[src][1]
            page.links_to_anchors = None  # checked when it was converted
        return html
