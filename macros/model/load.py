"""Loading data/: find the files, read and validate each, then run the cross-checks.

Every problem of a run is reported at once, each placed at its file's line and column: a file that
fails validation still lends its id to the cross-checks, so its neighbours' errors show too.

A `LoadCache`, kept by the caller across loads (`mkdocs serve`), holds what each file gave: a load
then reads, parses and validates only the files whose size, mtime or inode changed, and the new
ones. The cross-checks always run over the whole model, so the outcome is a fresh load's; what
a file's own part of them found is kept too (`checks.CheckCache`), while the file and what it
depends on are unchanged.
"""

from __future__ import annotations

import dataclasses
import errno
import gc
import hashlib
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from pydantic import ValidationError

from macros.model.characters import first_control
from macros.model.checks import CheckCache, check_model
from macros.model.errors import (
    DataError,
    InvalidData,
    MissingIds,
    nearest_position,
    only_missing_ids,
    validation_problems,
)
from macros.model.limits import MAX_FILE_BYTES, MAX_LINE_LENGTH, MAX_SOURCE_LINES, size
from macros.model.relations import Relation
from macros.model.schema import MAX_ID_LENGTH, RESERVED_IDS, SLUG_PATTERN, Schema, windows_name
from macros.model.store import Memo, Model, Source
from macros.model.yaml_reader import Position, YamlProblem, positions, read_yaml_files


class KindOfFiles(Protocol):
    """What loading needs of a kind (see `macros/kinds.py`); read-only, as a kind is."""

    @property
    def name(self) -> str: ...
    @property
    def schema(self) -> type[Schema]: ...
    @property
    def with_text(self) -> bool: ...

    @property
    def title(self) -> Callable[[Any], str]: ...  # its entity -> its page's title


class SingleFile(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def schema(self) -> type[Schema]: ...
    @property
    def file_name(self) -> str: ...


_SLUG = re.compile(SLUG_PATTERN)
SYMLINK_FIX = (
    "data/ is read from regular files only, never through a link (symbolic or hard): put a "
    "copy of the file itself here"
)
# The hidden files that editors, version control and file managers leave beside a file (a swap
# file, a lock, a placeholder): passed over. Any other hidden file is reported, since it would
# otherwise be ignored without a word. Listed on the data format page.
EDITOR_FILES = re.compile(
    r"\.(DS_Store|directory|gitignore|gitkeep|keep)|\..*\.sw[a-p]|\.#.*|\._.*|\.~lock\..*#"
    r"|\..*\.kate-swp|\.goutputstream-.*"
)
HIDDEN_FIX = (
    "hidden (its name starts with a dot), so data/ would never read it: name it <id>.yml "
    "to publish it, or move it out of data/"
)
Found = dict[str, dict[str, dict[str, str]]]  # kind -> suffix -> id -> path
FileKey = tuple[int, int, int]  # size, mtime_ns, inode: a file unchanged since it was read
DOCUMENT_SUFFIX = ".yml"
_BATCH = 256  # files parsed together
# File systems stamp mtimes from a coarse clock (up to 2 s on some): a file changed this close to
# a load's start could change again keeping its size and mtime, so it is read again next time.
_RACY_NS = 2_000_000_000


class _Outcome(NamedTuple):
    """What reading one file gave: its value (a validated document, or a source's lines), or
    None after its errors; the key and digest of the bytes read."""

    key: FileKey
    digest: str
    value: Any
    errors: tuple[DataError, ...]
    schema: type[Schema] | None  # what the value was validated against; None for a text


class LoadCache:
    """What loading kept of each file of one data/ folder, for the next load to reuse: the
    caller keeps it across loads (`mkdocs serve`'s rebuilds)."""

    def __init__(self) -> None:
        self._folder = ""
        self._outcomes: dict[str, _Outcome] = {}
        self.read: list[str] = []  # the paths the last load read: the others came from here
        self.checks = CheckCache()  # what checking found of each file
        self.memo = Memo()  # what the model's indexes drew from each file

    def _begin(self, data_dir: Path) -> dict[str, _Outcome]:
        """The outcomes a new load of data_dir may reuse; the cache then keeps only the files
        this load looks at (deleted files drop out)."""
        folder = os.path.abspath(data_dir)
        previous = self._outcomes if folder == self._folder else {}
        if folder != self._folder:
            self.checks, self.memo = CheckCache(), Memo()
        self._folder, self._outcomes, self.read = folder, {}, []
        return previous


class _Files:
    """The files one load reads: each read once, or taken from the cache while unchanged."""

    def __init__(self, cache: LoadCache | None, data_dir: Path) -> None:
        self.cache = cache
        self.previous = cache._begin(data_dir) if cache else {}
        self.trusted_before = time.time_ns() - _RACY_NS  # mtimes older than this are settled

    def reusable(self, path: str, schema: type[Schema] | None) -> _Outcome | None:
        outcome = self.previous.get(path)
        if outcome is None or outcome.schema is not schema:
            return None
        try:
            status = os.lstat(path)
        except OSError:
            return None
        return outcome if _key(status) == outcome.key else None

    def keep(self, path: str, outcome: _Outcome, was_read: bool) -> _Outcome:
        if self.cache:
            if outcome.key[1] < self.trusted_before:
                self.cache._outcomes[path] = outcome
            if was_read:
                self.cache.read.append(path)
        return outcome

    def documents(self, wanted: Sequence[tuple[str, str, type[Schema]]]) -> dict[str, _Outcome]:
        """path -> outcome for each (path, label, schema): the changed files read, their YAML
        parsed a batch at a time (one redirection of stderr for many files, while only a few
        hundred texts are held at once), then validated."""
        outcomes: dict[str, _Outcome] = {}
        for start in range(0, len(wanted), _BATCH):
            outcomes.update(self._batch(wanted[start : start + _BATCH]))
        return outcomes

    def _batch(self, wanted: Sequence[tuple[str, str, type[Schema]]]) -> dict[str, _Outcome]:
        outcomes = {}
        fresh = []  # (path, label, schema, key, digest, text)
        for path, label, schema in wanted:
            outcome = self.reusable(path, schema)
            if outcome:
                outcomes[path] = self.keep(path, outcome, was_read=False)
                continue
            key, digest, text, errors = _read_file(path, label)
            if text is None:
                outcomes[path] = self.keep(path, _Outcome(key, digest, None, errors, schema), True)
            else:
                fresh.append((path, label, schema, key, digest, text))
        values = read_yaml_files([text for *_, text in fresh])
        for (path, label, schema, key, digest, _), value in zip(fresh, values, strict=True):
            document, errors = _validated(value, label, schema)
            outcomes[path] = self.keep(path, _Outcome(key, digest, document, errors, schema), True)
        return outcomes

    def text(self, path: str, label: str) -> _Outcome:
        """A source's text, as its lines."""
        outcome = self.reusable(path, None)
        if outcome:
            return self.keep(path, outcome, was_read=False)
        key, digest, text, errors = _read_file(path, label)
        text, errors = _printable(text, label, errors)
        lines = None if text is None else tuple(text.removesuffix("\n").split("\n"))
        if lines is not None and (too_long := _lines_problem(lines, label)):
            lines, errors = None, (*errors, too_long)
        return self.keep(path, _Outcome(key, digest, lines, errors, None), was_read=True)


def _lines_problem(lines: tuple[str, ...], label: str) -> DataError | None:
    """Why a source text is too long to check quickly, if it is: too many lines, or a line too
    long (the first one; each check of a quote on a line costs its length)."""
    if len(lines) > MAX_SOURCE_LINES:
        return DataError(
            label,
            "",
            f"has {len(lines):,} lines; the limit is {MAX_SOURCE_LINES:,}: split the source "
            "into parts, each its own .txt and .yml",
        )
    if max(map(len, lines)) <= MAX_LINE_LENGTH:
        return None
    number = next(n for n, line in enumerate(lines, 1) if len(line) > MAX_LINE_LENGTH)
    return DataError(
        label,
        "",
        f"line {number} is {len(lines[number - 1]):,} characters long; the limit is "
        f"{MAX_LINE_LENGTH:,}: break it into paragraphs, one a line, where the source's own "
        "paragraphs or sentences end",
        Position(number, 1),
    )


def load_model(
    data_dir: Path,
    kinds: Sequence[KindOfFiles],
    timeline: SingleFile,
    relations: tuple[Relation, ...] = (),
    cache: LoadCache | None = None,
) -> Model:
    """Load and check all of data/; raise InvalidData listing every problem found. With a
    cache, only the files changed since the cache's last load are read again."""
    with _collector_paused():
        errors: list[DataError] = []
        found = _scan(data_dir, kinds, timeline, errors)
        model = _read_all(data_dir, found, kinds, timeline, _Files(cache, data_dir), errors)
        memo = cache.memo if cache else model.memo
        model = dataclasses.replace(model, relations=relations, memo=memo)
        scanned = {kind: set(found[kind][DOCUMENT_SUFFIX]) for kind in found}
        titles = {kind.name: kind.title for kind in kinds}
        checks = cache.checks if cache else None
        errors.extend(check_model(model, scanned, data_dir.name, titles, checks))
        if errors:
            placed = list(_placed(errors, data_dir))
            raise MissingIds(placed, model) if only_missing_ids(placed) else InvalidData(placed)
        return model


def _read_all(
    data_dir: Path,
    found: Found,
    kinds: Sequence[KindOfFiles],
    timeline: SingleFile,
    files: _Files,
    errors: list[DataError],
) -> Model:
    """The model of the files found, their errors added in the order of the files."""
    timeline_path, timeline_problem = _single_path(data_dir, timeline)
    wanted = [
        (path, f"{data_dir.name}/{kind.name}/{entity_id}{DOCUMENT_SUFFIX}", kind.schema)
        for kind in kinds
        for entity_id, path in found[kind.name][DOCUMENT_SUFFIX].items()
    ]
    if timeline_path:
        wanted.append((timeline_path, f"{data_dir.name}/{timeline.file_name}", timeline.schema))
    outcomes = files.documents(wanted)
    by_kind, digests = {}, {}
    for kind in kinds:
        loaded = _assemble(kind, found[kind.name], outcomes, files, data_dir, errors)
        by_kind[kind.name] = {entity_id: value for entity_id, (value, _) in loaded.items()}
        digests.update({(kind.name, i): digest for i, (_, digest) in loaded.items()})
    single = outcomes.get(timeline_path) if timeline_path else None
    errors.extend(single.errors if single else timeline_problem)
    digests[(timeline.name, "")] = single.digest if single and single.value else ""
    return Model(by_kind, single.value if single else None, digests)


def _assemble(
    kind: KindOfFiles,
    files: dict[str, dict[str, str]],
    outcomes: dict[str, _Outcome],
    reader: _Files,
    data_dir: Path,
    errors: list[DataError],
) -> dict[str, tuple[Any, str]]:
    """id -> (entity, digest) of a kind's valid files, their errors added in the files' order."""
    folder = f"{data_dir.name}/{kind.name}"
    if kind.with_text:
        _report_unpaired(files, folder, errors)
    loaded = {}
    for entity_id, path in files[DOCUMENT_SUFFIX].items():
        outcome = outcomes[path]
        errors.extend(outcome.errors)
        if outcome.value is None:
            continue
        entity, digest = outcome.value, outcome.digest
        if kind.with_text:
            text_path = files[".txt"].get(entity_id)
            if text_path is None:
                continue  # reported as unpaired
            text = reader.text(text_path, f"{folder}/{entity_id}.txt")
            errors.extend(text.errors)
            if text.value is None:
                continue
            entity = Source(entity, text.value)
            digest = hashlib.sha1(f"{digest} {text.digest}".encode()).hexdigest()
        loaded[entity_id] = (entity, digest)
    return loaded


def _read_file(path: str, label: str) -> tuple[FileKey, str, str | None, tuple[DataError, ...]]:
    """A file's key, the digest of its bytes and its text, or None and why it cannot be used."""
    errors: list[DataError] = []
    data, key = _read_bytes(path, label, errors)
    if data is None:
        return key, "", None, (*errors,)
    text = _text_of(data, label, errors)
    return key, hashlib.sha1(data).hexdigest(), text, (*errors,)


def read_text(path: Path, label: str, errors: list[DataError], source: bool = False) -> str | None:
    """The file's text, or None after reporting why it cannot be used (for a `source` text,
    also a control character in it)."""
    data, _ = _read_bytes(str(path), label, errors)
    text = None if data is None else _text_of(data, label, errors)
    if not source:
        return text
    text, problems = _printable(text, label, ())
    errors.extend(problems)
    return text


def _printable(
    text: str | None, label: str, errors: tuple[DataError, ...]
) -> tuple[str | None, tuple[DataError, ...]]:
    """A source text, or None and why not where it holds a control character (as YAML may
    not): placed at the first, so that the editor finds it."""
    control = first_control(text) if text is not None else None
    if control is None:
        return text, errors
    where = Position(control.line, control.column)
    return None, (*errors, DataError(label, "", control.message, where))


def _read_bytes(path: str, label: str, errors: list[DataError]) -> tuple[bytes | None, FileKey]:
    """The file's bytes and key, or None after reporting why it cannot be read."""
    try:
        return _read_regular_file(path)
    except TooLarge as e:
        fix = (
            "split the source into parts, each its own .txt and .yml"
            if label.endswith(".txt")
            else "check that it is the file meant (a data file takes a few kB), or move facts "
            "to entities of their own"
        )
        limit = f"the file is {size(e.size)}; the limit is {size(MAX_FILE_BYTES)}"
        errors.append(DataError(label, "", f"{limit}: {fix}"))
    except OSError as e:
        errors.append(DataError(label, "", unreadable(e)))
    return None, (-1, -1, -1)


def unreadable(e: OSError, folder: bool = False) -> str:
    """Why a file (or folder) of data/ cannot be read, with the fix that fits the cause."""
    if isinstance(e, PermissionError):
        mode = "u+rx" if folder else "u+r"
        return f"cannot be read (permission denied): make it readable with chmod {mode}"
    if isinstance(e, FileNotFoundError):
        return (
            "was removed while data/ was read (an editor's temporary file?): check again once "
            "it is saved"
        )
    if e.errno in (errno.ELOOP, errno.EMLINK):  # a link made after the scan, or a hard link
        return f"cannot be read ({e.strerror}): {SYMLINK_FIX}"
    if e.errno == 0:  # `_read_regular_file`'s own: a pipe, a device, a socket
        return f"cannot be read ({e.strerror}): data/ holds regular files only: replace it"
    return f"cannot be read ({e.strerror}): repair the file, or restore it from git"


def _text_of(data: bytes, label: str, errors: list[DataError]) -> str | None:
    """The bytes as text, or None after reporting why they cannot be used."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        errors.append(DataError(label, "", f"not UTF-8 (byte {e.start}): save the file as UTF-8"))
        return None
    problem = (
        "the file is empty: add its content or delete the file"
        if not text or text.isspace()  # what `not text.strip()` says, without copying it
        else "starts with a byte order mark: save it as UTF-8 without BOM"
        if text.startswith("\ufeff")
        else "has Windows line endings (CR): save it with LF line endings"
        if "\r" in text
        else None
    )
    if problem:
        errors.append(DataError(label, "", problem))
        return None
    return text


class TooLarge(Exception):
    """A file over MAX_FILE_BYTES: refused before it is read (or as it grows past it)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _read_regular_file(path: str) -> tuple[bytes, FileKey]:
    """The bytes of a regular file, never through a symbolic link (even one made after the
    scan), and the key of what was read. Raises TooLarge, without reading, for a file over
    the limit."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(0, "not a regular file")
        if status.st_nlink > 1:  # a hard link: the same file has a name elsewhere, maybe outside
            raise OSError(errno.EMLINK, "it is a hard link, the same file as another name")
        if status.st_size > MAX_FILE_BYTES:
            raise TooLarge(status.st_size)
        data = os.read(descriptor, status.st_size + 1)
        if len(data) > status.st_size:  # it grew since: read on to its end, or the limit
            rest, total = [data], len(data)
            while rest[-1] and total <= MAX_FILE_BYTES:
                rest.append(os.read(descriptor, 1 << 20))
                total += len(rest[-1])
            if total > MAX_FILE_BYTES:
                raise TooLarge(total)
            data = b"".join(rest)
        return data, _key(status)
    finally:
        os.close(descriptor)


def _key(status: os.stat_result) -> FileKey:
    return status.st_size, status.st_mtime_ns, status.st_ino


def _validated(
    value: Any, label: str, schema: type[Schema]
) -> tuple[Schema | None, tuple[DataError, ...]]:
    """A file's YAML value validated against its schema, or None and why not."""
    if isinstance(value, YamlProblem):
        return None, (DataError(label, "", value.message, value.position),)
    if not isinstance(value, dict):
        return None, (DataError(label, "", "must be a mapping of field: value at the top level"),)
    try:
        return schema.model_validate(value), ()
    except ValidationError as e:
        return None, tuple(DataError(label, f, m) for f, m in validation_problems(e.errors()))


def _report_unpaired(
    files: dict[str, dict[str, str]], folder: str, errors: list[DataError]
) -> None:
    texts, metas = files[".txt"], files[DOCUMENT_SUFFIX]
    for text_id in sorted(texts.keys() - metas.keys()):
        errors.append(
            DataError(
                f"{folder}/{text_id}.txt",
                "",
                f"no metadata beside it: add {folder}/{text_id}.yml with a title",
            )
        )
    for meta_id in sorted(metas.keys() - texts.keys()):
        errors.append(
            DataError(
                f"{folder}/{meta_id}.yml", "", f"no text beside it: add {folder}/{meta_id}.txt"
            )
        )


def _single_path(data_dir: Path, single: SingleFile) -> tuple[str | None, list[DataError]]:
    """The path of the single file beside the folders if there is one to read, or the problem
    (reported after the folders' problems)."""
    path = data_dir / single.file_name
    if path.is_symlink() or not path.exists():  # a link is reported by the scan
        return None, []
    if not path.is_file():
        label = f"{data_dir.name}/{single.file_name}"
        return None, [DataError(label, "", f"must be a file: replace the folder with {label}")]
    return str(path), []


def _scan(
    data_dir: Path, kinds: Sequence[KindOfFiles], single: SingleFile, errors: list[DataError]
) -> Found:
    """The well-named files of each folder of data/; every other file is reported, not skipped."""
    if data_dir.is_symlink() or not data_dir.is_dir():
        problem = "a symbolic link: " + SYMLINK_FIX if data_dir.is_symlink() else "no such folder"
        raise InvalidData([DataError(str(data_dir), "", problem)])
    suffixes = {k.name: (".txt", ".yml") if k.with_text else (".yml",) for k in kinds}
    found: Found = {name: {s: {} for s in allowed} for name, allowed in suffixes.items()}
    try:
        entries = sorted(data_dir.iterdir())
    except OSError as e:
        raise InvalidData([DataError(str(data_dir), "", unreadable(e, folder=True))]) from None
    for entry in entries:
        if entry.name.startswith("."):
            _hidden(entry.name, f"{data_dir.name}/{entry.name}", errors)
            continue
        if entry.is_symlink():
            errors.append(
                DataError(f"{data_dir.name}/{entry.name}", "", f"a symbolic link: {SYMLINK_FIX}")
            )
            continue
        if entry.name == single.file_name:
            continue
        if entry.name not in found or not entry.is_dir():
            errors.append(
                DataError(
                    f"{data_dir.name}/{entry.name}",
                    "",
                    f"not part of the data: data/ holds only the folders {', '.join(found)}"
                    f" and {single.file_name}",
                )
            )
            continue
        folder = f"{data_dir.name}/{entry.name}"
        try:
            files = _listed(entry)
        except OSError as e:
            errors.append(DataError(folder, "", unreadable(e, folder=True)))
            continue
        for file in files:
            if file.name.startswith("."):
                _hidden(file.name, f"{folder}/{file.name}", errors)
            else:
                _file(file, f"{folder}/{file.name}", found[entry.name], errors)
    return found


def _hidden(name: str, label: str, errors: list[DataError]) -> None:
    """A hidden file is an editor's, passed over, or reported: it would never be read."""
    if not EDITOR_FILES.fullmatch(name):
        errors.append(DataError(label, "", HIDDEN_FIX))


def _listed(folder: Path) -> list[os.DirEntry]:
    """A folder's entries, well-named files first, so that a name differing only in case finds
    its twin. (Its entries know, without a second look, what they are.)"""
    with os.scandir(folder) as listing:
        return sorted(
            listing, key=lambda f: (not _SLUG.fullmatch(f.name.rpartition(".")[0]), f.name)
        )


def _file(
    entry: os.DirEntry, label: str, files: dict[str, dict[str, str]], errors: list[DataError]
) -> None:
    """File one entry under its suffix and id, or report why it cannot be."""
    if entry.is_symlink():
        errors.append(DataError(label, "", f"a symbolic link: {SYMLINK_FIX}"))
        return
    if not entry.is_file(follow_symlinks=False):
        errors.append(DataError(label, "", _not_a_file(entry, label)))
        return
    suffix = _suffix(entry.name)
    if suffix not in files:
        allowed = " or ".join(files)
        errors.append(DataError(label, "", f"unexpected file here: name it <id>{allowed}"))
        return
    file_id = entry.name.removesuffix(suffix)
    problem = id_problem(file_id, label.split("/")[-2])
    if problem is None:
        files[suffix][file_id] = entry.path
        return
    twin = file_id.lower() if file_id.lower() in files[suffix] else None
    if problem == NOT_A_SLUG and twin:
        problem = f"differs only in case from {twin}{suffix}: rename or merge them"
    errors.append(DataError(label, "", problem))


NOT_A_SLUG = (
    "the file name is the id and URL: use lowercase letters, digits and hyphens, as in "
    "'army-size-limit.yml'"
)


def id_problem(file_id: str, folder: str) -> str | None:
    """Why `file_id` cannot name a file of `folder` (actors, demands...), or None: the
    loader's refusal, which `python -m macros new` gives before writing the file."""
    if len(file_id) > MAX_ID_LENGTH:
        return f"the id is {len(file_id)} characters long: shorten it to at most {MAX_ID_LENGTH}"
    if file_id in RESERVED_IDS:
        return f"'{file_id}' is reserved for the list page of {folder}: choose another id"
    if problem := windows_name(file_id):
        return problem
    return None if _SLUG.fullmatch(file_id) else NOT_A_SLUG


def _not_a_file(entry: os.DirEntry, label: str) -> str:
    """What is wrong with an entry that is no regular file, and what to do."""
    folder = label.rpartition("/")[0]
    if entry.is_dir(follow_symlinks=False):
        return f"a folder: {folder}/ holds files only; move its files into {folder}/ or out"
    return (
        "not a regular file (a pipe, socket or device): data/ holds regular files only; "
        "remove it, and put a file here"
    )


def _suffix(name: str) -> str:
    """What `Path(name).suffix` says, without making a Path for each of thousands of files."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _placed(errors: Iterable[DataError], data_dir: Path) -> Iterator[DataError]:
    """Each field error at its line and column: files with errors are read once more for it."""
    found: dict[str, dict] = {}
    for error in errors:
        if error.position or not error.field or not error.file.endswith(".yml"):
            yield error
            continue
        if error.file not in found:
            found[error.file] = _positions(str(data_dir.parent / error.file))
        yield error._replace(position=nearest_position(found[error.file], error.field))


def _positions(path: str) -> dict:
    try:
        return positions(_read_regular_file(path)[0].decode("utf-8"))
    except (OSError, TooLarge, UnicodeDecodeError, YamlProblem):
        return {}


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading makes millions of objects and frees none: collecting meanwhile is wasted work."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
