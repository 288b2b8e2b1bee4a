"""Incremental rebuilds for `make serve` (`mkdocs serve --dirty`): which files an edit changes.

MkDocs rebuilds under `--dirty` only the files whose `is_modified()` is true, and a generated
file always says true. Here each generated file (and each hand-written page, which may call a
macro) answers from what it was drawn from:

- while a page or JSON twin is rendered, the model it reads is a `TrackedModel`, which notes
  every question asked of it as a key: an entity (`("entity", "demands", "x")`), every entity of
  a kind (`("entity", "demands", ALL)`), the entries of a relation naming an entity
  (`("related", "stances", "russia")`), the citations of a source line, the timeline;
- each key has a fingerprint in a model (`Fingerprints`): the digests of the data files behind
  its answer, so that it changes exactly when one of those files does;
- a file is modified when its content, the build's global state (`Tracker.start`: templates,
  config, ledger) or any key's fingerprint differs from when it was last written;
- a fragment of a page (a row of the lists that name every entity: the demands and actors
  tables, the stance matrix) is kept with what it read, the same way (`Tracker.fragment`), so
  that such a page, rewritten at every edit of its kind, renders again only the rows the edit
  changed.

Correctness does not rest on listing dependencies by hand: whatever a view reads is recorded.
`tests/test_incremental.py` proves it edit by edit against full builds.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple, TypeVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from macros.files import RenderedFile
from macros.model.schema import Schema
from macros.model.store import Model, named, statements

ALL = "*"  # every entity of a kind (no id can be "*": ids are letters, digits and hyphens)
Key = tuple[str, ...]
T = TypeVar("T")


class Reads:
    """The keys read so far, by what is being rendered: a page or file, and within it a
    fragment (`nested`), whose reads are the page's too. `add` is the innermost set's own."""

    def __init__(self) -> None:
        self.keys: set[Key] = set()
        self.add = self.keys.add
        self._outer: list[set[Key]] = []

    def clear(self) -> None:
        self.keys.clear()

    def nested(self) -> None:
        self._outer.append(self.keys)
        self.keys = set()
        self.add = self.keys.add

    def unnested(self) -> set[Key]:
        """The fragment's reads, added to what encloses it."""
        inner, self.keys = self.keys, self._outer.pop()
        self.keys |= inner
        self.add = self.keys.add
        return inner


class _Fragment(NamedTuple):
    """A fragment as last rendered: the build state and the caller's `also` it was rendered
    under, the keys it read with their fingerprints then, and what it came to."""

    state: tuple[str, Hashable]
    keys: tuple[Key, ...]
    values: tuple
    value: Any


class _Mapping(Mapping):
    """A read-only view of one of the model's mappings that notes each key looked up, and ALL
    when it is iterated or counted."""

    def __init__(self, inner: Mapping, prefix: Key, reads: Reads) -> None:
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

    def __init__(self, model: Model, reads: Reads) -> None:
        self._model, self._reads = model, reads
        self.by_kind = {
            kind: _Mapping(entities, ("entity", kind), reads)
            for kind, entities in model.by_kind.items()
        }
        self._related = {
            r.field: _Mapping(model.related(r.field), ("related", r.field), reads)
            for r in model.relations
        }
        self.citations_by_line = _Mapping(model.citations_by_line, ("citations_by_line",), reads)
        self.relations = model.relations

    def entities(self, kind: str) -> Mapping[str, Any]:
        return self.by_kind[kind]

    sources = property(lambda self: self.by_kind["sources"])
    actors = property(lambda self: self.by_kind["actors"])
    demands = property(lambda self: self.by_kind["demands"])
    rounds = property(lambda self: self.by_kind["rounds"])

    def related(self, field: str) -> Mapping[str, Any]:
        return self._related[field]

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

    def __init__(self, model: Model, last: Fingerprints | None = None) -> None:
        """With `last`, an earlier model's: its fingerprints of the keys no changed file can
        answer otherwise are taken as they are (an edit changes a few files of thousands)."""
        super().__init__()
        self._model = model
        self._holders = {r.field: r.holder for r in model.relations}
        if last is not None and last._model.relations == model.relations:
            stale = _stale_keys(last._model, model)
            self.update((key, value) for key, value in last.items() if key not in stale)

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
        *prefix, entry = key
        index = self._index(*prefix)
        if entry == ALL:
            return tuple((k, self[(*prefix, k)]) for k in index)
        return tuple(self._contributor(prefix, item) for item in index.get(entry, ()))

    def _index(self, name: str, field: str = "") -> Mapping[Any, Any]:
        return self._model.related(field) if name == "related" else self._model.citations_by_line

    def _contributor(self, prefix: list[str], item: Any) -> tuple:
        """The file behind one entry of a relation or a line's citations: (kind, id, digest)."""
        if prefix[0] == "related":  # (holder's id, entry)
            kind = self._holders[prefix[1]]
            entity_id = item[0]
        else:  # a CitedAt
            kind, entity_id = item.kind, item.entity_id
        return kind, entity_id, self._digest(kind, entity_id)


def _stale_keys(old: Model, new: Model) -> set[tuple[Any, ...]]:
    """Every key whose fingerprint may differ between the two models: those of the entities
    whose files differ (added and removed ones included), of every entity of their kinds, of
    the relation entries and cited lines such an entity names (before or after), and those
    over a whole relation or all cited lines where one of those changed."""
    digests = old.digests.keys() | new.digests.keys()
    changed = [k for k in digests if old.digests.get(k) != new.digests.get(k)]
    stale: set[tuple[Any, ...]] = {("timeline",)} if ("timeline", "") in changed else set()
    for kind, entity_id in changed:
        stale |= {("entity", kind, entity_id), ("entity", kind, ALL)}
        for model in (old, new):
            entity = _entity(model, kind, entity_id)
            if entity is None:
                continue
            for relation in model.relations:
                if relation.holder == kind:
                    stale.add(("related", relation.field, ALL))
                    stale.update(("related", relation.field, i) for _, i in named(relation, entity))
            if isinstance(entity, Schema):
                for _, node in statements(entity):
                    stale.update(("citations_by_line", (c.source, c.line)) for c in node.cite)
                stale.add(("citations_by_line", ALL))
    return stale


def _entity(model: Model, kind: str, entity_id: str) -> Any:
    if kind == "timeline":
        return model.timeline
    return model.entities(kind).get(entity_id) if kind in model.by_kind else None


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
        self._recording = Reads()
        self._fragments: dict[Hashable, _Fragment] = {}  # across builds, by key
        self.rendered: list[Hashable] = []  # the fragments this build rendered (not kept)
        self.state = ""
        self._fingerprints: Fingerprints | None = None
        self.model: Any = None  # the TrackedModel that renderers read

    def start(self, model: Model, state: str) -> None:
        """A new build of `model`; `state` fingerprints what every file depends on besides the
        data (templates, configuration, the ledger)."""
        self._fingerprints = Fingerprints(model, self._fingerprints)
        self.state, self._answers, self._reads = state, {}, {}
        self._recording = Reads()
        self.rendered = []
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
        if last is None or last[:2] != (self.state, _content_digest(file)):
            return True
        return not self._unchanged(last[2], last[3])

    def _unchanged(self, keys: tuple[Key, ...], values: tuple) -> bool:
        """Whether each key still has the fingerprint it had (`values`)."""
        fingerprints = self._fingerprints
        return fingerprints is not None and tuple(map(fingerprints.__getitem__, keys)) == values

    def begin(self) -> None:
        self._recording.clear()

    def end(self, src_uri: str) -> None:
        """What was read since `begin` is what `src_uri` is drawn from."""
        self._reads.setdefault(src_uri, set()).update(self._recording.keys)
        self._recording.clear()

    def fragment(self, key: Hashable, compute: Callable[[], T], also: Hashable = ()) -> T:
        """What `compute` returns, kept from an earlier build while it would come out the
        same: the same build state and `also` (what the caller computed it from besides the
        model), and the same fingerprint of every key it read. Either way its reads are the
        enclosing page's."""
        fingerprints, state = self._fingerprints, (self.state, also)
        assert fingerprints is not None, "start() comes first"
        last = self._fragments.get(key)
        if last and last.state == state and self._unchanged(last.keys, last.values):
            self._recording.keys.update(last.keys)
            return last.value
        self._recording.nested()
        try:
            value = compute()
        finally:
            keys = tuple(self._recording.unnested())
        values = tuple(map(fingerprints.__getitem__, keys))
        self._fragments[key] = _Fragment(state, keys, values, value)
        self.rendered.append(key)
        return value

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
                state = (self.state, _content_digest(file), keys, values, file.dest_uri)
                self._written[file.src_uri] = state
        gone = [src for src in self._written if src not in present]
        return [self._written.pop(src)[4] for src in gone]


class TrackedFile(RenderedFile):
    """A file of the site that is rebuilt only when what it is drawn from changed. A JSON twin
    passes `render`: its content is made only when it is written, its reads noted."""

    tracker: Tracker

    @classmethod
    def of(cls, file: File, tracker: Tracker) -> File:
        """The same file, tracked: made anew through `File`'s public constructor."""
        tracked = cls(
            file.src_uri,
            file.src_dir,
            file.dest_dir,
            file.use_directory_urls,
            dest_uri=file.dest_uri,
            inclusion=file.inclusion,
        )
        if file.generated_by:
            tracked.generated_by = file.generated_by
            tracked.content_bytes = file.content_bytes
        tracked.tracker = tracker
        return tracked

    @classmethod
    def made(
        cls, config: MkDocsConfig, src_uri: str, content: str, tracker: Tracker
    ) -> TrackedFile:
        """A file the build generates, tracked from the start."""
        file = cls.generated(config, src_uri, content=content)
        assert isinstance(file, cls)
        file.tracker = tracker
        return file

    def is_modified(self) -> bool:
        return self.tracker.modified(self)

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        self.tracker.begin()  # what a twin reads as it is written is what it is drawn from
        super().copy_file(dirty=False)
        self.tracker.end(self.src_uri)


def _content_digest(file: File) -> str:
    """A file's own content: its text for a generated file (a stub, a redirect), its time and
    size for a file on disk, "" for one rendered when written (only its reads count)."""
    if getattr(file, "render", None) is not None:
        return ""
    if file.generated_by:
        return hashlib.sha1(file.content_bytes).hexdigest()
    assert file.abs_src_path, file.src_uri  # a file not generated is on disk
    info = os.stat(file.abs_src_path)
    return f"{info.st_mtime_ns}:{info.st_size}"


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
