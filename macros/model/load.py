"""Loading data/: find the files, read and validate each, then run the cross-checks.

Every problem of a run is reported at once, each placed at its file's line and column: a file that
fails validation still lends its id to the cross-checks, so its neighbours' errors show too.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from macros.model.checks import check_model
from macros.model.errors import DataError, InvalidData, nearest_position, validation_problems
from macros.model.schema import MAX_ID_LENGTH, RESERVED_IDS, SLUG_PATTERN, Schema
from macros.model.store import Model, Source
from macros.model.yaml_reader import YamlProblem, positions, read_yaml


class KindOfFiles(Protocol):
    """What loading needs of a kind (see `macros/kinds.py`)."""

    name: str
    schema: type[Schema]
    with_text: bool


class SingleFile(Protocol):
    name: str
    schema: type[Schema]
    file_name: str


_SLUG = re.compile(SLUG_PATTERN)
SYMLINK_FIX = (
    "data/ is read from regular files only, never through a link: put the file itself here"
)
Found = dict[str, dict[str, dict[str, Path]]]  # kind -> suffix -> id -> path


def load_model(data_dir: Path, kinds: Sequence[KindOfFiles], timeline: SingleFile) -> Model:
    """Load and check all of data/; raise InvalidData listing every problem found."""
    with _collector_paused():
        errors: list[DataError] = []
        found = _scan(data_dir, kinds, timeline, errors)
        by_kind = {
            kind.name: _load_kind(kind, found[kind.name], data_dir, errors) for kind in kinds
        }
        model = Model(by_kind, _load_single(data_dir, timeline, errors))
        scanned = {kind: set(found[kind][".yml"]) for kind in found}
        errors.extend(check_model(model, scanned, data_dir.name))
        if errors:
            raise InvalidData(list(_placed(errors, data_dir)))
        return model


def read_text(path: Path, label: str, errors: list[DataError]) -> str | None:
    """The file's text, or None after reporting why it cannot be used."""
    try:
        text = _read_regular_file(path).decode("utf-8")
    except OSError as e:
        errors.append(DataError(label, "", f"cannot be read ({e.strerror}): {SYMLINK_FIX}"))
        return None
    except UnicodeDecodeError as e:
        errors.append(DataError(label, "", f"not UTF-8 (byte {e.start}): save the file as UTF-8"))
        return None
    problem = (
        "the file is empty: add its content or delete the file"
        if not text.strip()
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


def _read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file, never through a symbolic link (even one made after the scan)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError(0, "not a regular file")
        return file.read()


def _read_document(path: Path, label: str, schema: type[Schema], errors: list[DataError]) -> Any:
    """One YAML file validated against its schema, or None after reporting why not."""
    text = read_text(path, label, errors)
    if text is None:
        return None
    try:
        data = read_yaml(text)
    except YamlProblem as e:
        errors.append(DataError(label, "", e.message, e.position))
        return None
    if not isinstance(data, dict):
        errors.append(DataError(label, "", "must be a mapping of field: value at the top level"))
        return None
    try:
        return schema.model_validate(data)
    except ValidationError as e:
        errors.extend(DataError(label, f, m) for f, m in validation_problems(e.errors()))
        return None


def _load_kind(
    kind: KindOfFiles, files: dict[str, dict[str, Path]], data_dir: Path, errors: list[DataError]
) -> dict[str, Any]:
    folder = f"{data_dir.name}/{kind.name}"
    if kind.with_text:
        _report_unpaired(files, folder, errors)
    loaded = {}
    for entity_id, path in files[".yml"].items():
        entity = _read_document(path, f"{folder}/{path.name}", kind.schema, errors)
        if entity is None:
            continue
        if kind.with_text:
            text_path = files[".txt"].get(entity_id)
            text = text_path and read_text(text_path, f"{folder}/{entity_id}.txt", errors)
            if text is None:
                continue
            entity = Source(entity, tuple(text.removesuffix("\n").split("\n")))
        loaded[entity_id] = entity
    return loaded


def _report_unpaired(
    files: dict[str, dict[str, Path]], folder: str, errors: list[DataError]
) -> None:
    texts, metas = files[".txt"], files[".yml"]
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


def _load_single(data_dir: Path, single: SingleFile, errors: list[DataError]) -> Any:
    path = data_dir / single.file_name
    label = f"{data_dir.name}/{single.file_name}"
    if path.is_symlink() or not path.exists():  # a link is reported by the scan
        return None
    if not path.is_file():
        errors.append(DataError(label, "", f"must be a file: replace the folder with {label}"))
        return None
    return _read_document(path, label, single.schema, errors)


def _scan(
    data_dir: Path, kinds: Sequence[KindOfFiles], single: SingleFile, errors: list[DataError]
) -> Found:
    """The well-named files of each folder of data/; every other file is reported, not skipped."""
    if data_dir.is_symlink() or not data_dir.is_dir():
        problem = "a symbolic link: " + SYMLINK_FIX if data_dir.is_symlink() else "no such folder"
        raise InvalidData([DataError(str(data_dir), "", problem)])
    suffixes = {k.name: (".txt", ".yml") if k.with_text else (".yml",) for k in kinds}
    found: Found = {name: {s: {} for s in allowed} for name, allowed in suffixes.items()}
    for entry in sorted(data_dir.iterdir()):
        if entry.name.startswith("."):
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
        # Well-named files first, so that a name differing only in case finds its twin.
        with os.scandir(entry) as listing:  # its entries know, without a second look, what they are
            files = sorted(
                listing, key=lambda f: (not _SLUG.fullmatch(f.name.rpartition(".")[0]), f.name)
            )
        for file in files:
            if not file.name.startswith("."):
                _file(file, f"{data_dir.name}/{entry.name}/{file.name}", found[entry.name], errors)
    return found


def _file(
    entry: os.DirEntry, label: str, files: dict[str, dict[str, Path]], errors: list[DataError]
) -> None:
    """File one entry under its suffix and id, or report why it cannot be."""
    if entry.is_symlink():
        errors.append(DataError(label, "", f"a symbolic link: {SYMLINK_FIX}"))
        return
    path = Path(entry.path)
    suffix = path.suffix if entry.is_file(follow_symlinks=False) else ""
    if suffix not in files:
        allowed = " or ".join(files)
        errors.append(DataError(label, "", f"unexpected file here: name it <id>{allowed}"))
        return
    file_id = path.name.removesuffix(suffix)
    if len(file_id) > MAX_ID_LENGTH:
        errors.append(
            DataError(
                label,
                "",
                f"the id is {len(file_id)} characters long: shorten it to at most {MAX_ID_LENGTH}",
            )
        )
        return
    if file_id in RESERVED_IDS:
        errors.append(
            DataError(
                label,
                "",
                f"'{file_id}' is reserved for the list page of "
                f"{path.parent.name}: choose another id",
            )
        )
        return
    if _SLUG.fullmatch(file_id):
        files[suffix][file_id] = path
        return
    twin = file_id.lower() if file_id.lower() in files[suffix] else None
    errors.append(
        DataError(
            label,
            "",
            f"differs only in case from {twin}{suffix}: rename or merge them"
            if twin
            else "the file name is the id and URL: use lowercase letters, "
            "digits and hyphens, as in 'army-size-limit.yml'",
        )
    )


def _placed(errors: Iterable[DataError], data_dir: Path) -> Iterator[DataError]:
    """Each field error at its line and column: files with errors are read once more for it."""
    found: dict[str, dict] = {}
    for error in errors:
        if error.position or not error.field or not error.file.endswith(".yml"):
            yield error
            continue
        if error.file not in found:
            found[error.file] = _positions(data_dir.parent / error.file)
        yield error._replace(position=nearest_position(found[error.file], error.field))


def _positions(path: Path) -> dict:
    try:
        return positions(_read_regular_file(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, YamlProblem):
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
