"""Editors' commands, without building the site: `python -m macros --help` lists them, and
the Makefile's targets of the same names run them (`make check`, `make ids`, `make fact-ids`...).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

from macros import ledger
from macros.data_format import write_schema_files
from macros.fact_ids import assign_ids
from macros.kinds import BY_NAME, KINDS, load
from macros.model.characters import shown
from macros.model.errors import DataError, InvalidData, did_you_mean
from macros.model.load import read_text
from macros.model.schema import SourceMeta
from macros.model.store import Model
from macros.model.voice import Span, speakers_of
from macros.model.yaml_reader import read_yaml
from macros.new import FILL, Refused, new_file


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except OSError as e:  # what no check foresaw (a folder made unreadable meanwhile): one line
        print(_os_problem(e), file=sys.stderr)
        return 1


def _os_problem(e: OSError) -> str:
    """An error of the file system, as one line naming the file, and what to do."""
    name = e.filename if isinstance(e.filename, (str, bytes)) else "data/"
    where = shown(os.fsdecode(name))
    if isinstance(e, PermissionError):
        return f"{where}: permission denied: give yourself access (chmod u+rw; u+rwx for a folder)"
    return f"{where}: {e.strerror}: check that it exists and that you can read and write it"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m macros",
        description="Editors' commands, without building the site.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check_parser = commands.add_parser(
        "check",
        help="check data/ as the build does: every problem, with file, line, field and fix",
        description="Check all of data/ as the build does. Given one file of data/, report "
        "only its problems (the others' are counted).",
    )
    check_parser.add_argument(
        "path", nargs="?", default="data", type=Path, help="data/ (the default) or one file in it"
    )
    check_parser.set_defaults(run=lambda a: check(a.path))
    ids_parser = commands.add_parser("ids", help="list ids with their titles")
    ids_parser.add_argument(
        "kind", nargs="?", choices=[k.name for k in KINDS], help="only this kind (default: all)"
    )
    ids_parser.add_argument("--data", default="data", type=Path, help="the data folder")
    ids_parser.set_defaults(run=lambda a: ids(a.data, a.kind))
    cite_parser = commands.add_parser(
        "cite", help="find the source lines holding some words: a ready-to-paste cite: entry"
    )
    cite_parser.add_argument("words", help="the words, as in the source (case is ignored)")
    cite_parser.add_argument("--data", default="data", type=Path, help="the data folder")
    cite_parser.set_defaults(run=lambda a: cite(a.data, a.words))
    links_parser = commands.add_parser(
        "links", help="record the pages and anchors the data shows in published-links.json"
    )
    links_parser.set_defaults(run=lambda a: record_links(Path(".")))
    ids_writer = commands.add_parser(
        "fact-ids", help="write an id into each fact and relation of data/ that has none"
    )
    ids_writer.add_argument("--data", default="data", type=Path, help="the data folder")
    ids_writer.set_defaults(run=lambda a: write_fact_ids(a.data))
    new_parser = commands.add_parser(
        "new",
        help="write a new data file, its fields commented, for you to fill in",
        description="Write data/<kind>s/<id>.yml with every field and its description. For a "
        "source, its text data/sources/<id>.txt must be there: a frame is proposed for each "
        "line holding a reporting word.",
    )
    new_parser.add_argument("kind", choices=[k.singular for k in KINDS])
    new_parser.add_argument("id", help="the file's name and URL: lowercase letters, digits, -")
    new_parser.add_argument("--data", default="data", type=Path, help="the data folder")
    new_parser.set_defaults(run=lambda a: new(a.data, a.kind, a.id))
    schema_parser = commands.add_parser(
        "schema", help="write the JSON Schema of every kind of data file"
    )
    schema_parser.add_argument("folder", nargs="?", default="schema", type=Path)
    schema_parser.set_defaults(run=lambda a: _write_schema(a.folder))
    return parser


def check(path: Path) -> int:
    """Check data/, or with a file in it, report that file's problems only."""
    # The collector would traverse the whole model (no cycles in it) once it is loaded: 0.3 s
    # of 2 at 10,000 entities. It comes back on after the model is freed.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _check(path)
    finally:
        if was_enabled:
            gc.enable()


def _write_schema(folder: Path) -> int:
    write_schema_files(folder)
    return 0


def _check(path: Path) -> int:
    if not path.exists() and not path.is_symlink():
        print(_no_such_file(path), file=sys.stderr)
        return 1
    data_dir, only = (path, None) if path.is_dir() else (_data_folder(path), path)
    started = time.perf_counter()
    try:
        model = ledger.load_checked(data_dir)
        _require_recorded(model, data_dir)
    except InvalidData as e:
        reported = [err for err in e.errors if only is None or _is_file(err, only, data_dir)]
        for error in reported:
            print(error, file=sys.stderr)
        others = len(e.errors) - len(reported)
        elsewhere = f" (and {others} in other files)" if only and others else ""
        where = _shown_path(only or data_dir)
        print(f"{len(reported)} problem(s) in {where}{elsewhere}", file=sys.stderr)
        return 1 if reported else 0
    counts = ", ".join(f"{len(model.entities(k.name))} {k.name}" for k in KINDS)
    print(f"{_shown_path(data_dir)}/ is valid: {counts} ({time.perf_counter() - started:.2f} s)")
    return 0


def _require_recorded(model: Model, data_dir: Path) -> None:
    """Where the project keeps a ledger, new pages and anchors are problems for `make check`
    (not for the build, which may publish them): the editor records them with `make links`."""
    if not (data_dir.parent / ledger.FILE).exists():
        return
    published = ledger.read(data_dir.parent)
    new = ledger.unrecorded(published, model)
    if new:
        raise InvalidData(
            [
                DataError(
                    f"{data_dir.name}/{page.rstrip('/')}.yml",
                    "",
                    f"{_new_links(page, len(anchors), page in published)} {ledger.FILE}: "
                    "run `make links` and commit it",
                )
                for page, anchors in sorted(new.items())
            ]
        )


def _new_links(page: str, anchors: int, known: bool) -> str:
    """What the ledger lacks: "the new page /x/ (with 3 anchors) is not yet in", or "/x/ has
    3 new anchors not yet in"."""
    count = f"{anchors} {'anchor' if anchors == 1 else 'anchors'}"
    if known:
        return f"/{page} has {count.replace(' ', ' new ', 1)} not yet in"
    return f"the new page /{page}{f' (with {count})' if anchors else ''} is not yet in"


def record_links(project: Path) -> int:
    """Add the pages and anchors the data shows now to the ledger; nothing is removed."""
    try:
        model = load(project / "data")
    except InvalidData as e:
        for error in e.errors:
            print(error, file=sys.stderr)
        print(
            f"{len(e.errors)} problem(s) in data/: links are recorded from valid data only: "
            "fix these first, then run `make links` again",
            file=sys.stderr,
        )
        return 1
    published = ledger.read(project)
    new = ledger.unrecorded(published, model)
    ledger.write(project, ledger.recorded(published, model))
    print(f"{ledger.FILE}: {len(new)} page(s) with new links recorded")
    return 0


def write_fact_ids(data_dir: Path) -> int:
    for line in assign_ids(data_dir):
        print(shown(line))
    return 0


def new(data_dir: Path, kind: str, entity_id: str) -> int:
    """Write a new data file from the schema, and say what is left to fill in and check."""
    try:
        written = new_file(data_dir, kind, entity_id)
    except Refused as e:
        print(shown(str(e)), file=sys.stderr)
        return 1
    where = _shown_path(written.path)
    if written.to_fill:
        fields = ", ".join(written.to_fill)
        print(f"{where}: written: fill in {fields} (each marked {FILL})")
    else:
        print(f"{where}: written, valid as it is: check its title")
    if written.proposed:
        print(f"  {written.proposed} frame(s) proposed: check each against the text (CHECK)")
    if kind != "source":
        print('  a quote: .venv/bin/python -m macros cite "some words" prints one to paste')
    print("  then: make fact-ids (ids for new facts), make check, make links (the new page)")
    return 0


def _no_such_file(path: Path) -> str:
    """The message for a path to check that is not there, with the nearest name beside it."""
    folder = path.parent
    if not folder.is_dir():
        return (
            f"{path}: no such file: {folder}/ does not exist either: give a file of data/, "
            "as data/demands/x.yml"
        )
    try:
        near = did_you_mean(path.name, [p.name for p in folder.iterdir()])
    except OSError:
        near = ""
    return f"{path}: no such file{near}: give the name of a file in {folder}/"


def _data_folder(file: Path) -> Path:
    for parent in file.resolve().parents:
        if parent.name == "data":
            return parent
    raise SystemExit(
        f"{_shown_path(file)}: not a file in a data/ folder: give a path such as data/demands/x.yml"
    )


def _shown_path(path: Path) -> str:
    """A path as the terminal may print it (its name may hold anything: `shown`)."""
    return shown(str(path))


def _is_file(error: DataError, file: Path, data_dir: Path) -> bool:
    return (data_dir.parent / error.file).resolve() == file.resolve()


def ids(data_dir: Path, kind: str | None) -> int:
    """Each id with its title, kind by kind: the names to use in stances, rounds and cite."""
    try:
        model = load(data_dir)
    except InvalidData as e:
        where = _shown_path(data_dir)
        print(f"{len(e.errors)} problem(s) in {where}/: run `make check` first", file=sys.stderr)
        return 1
    for k in [BY_NAME[kind]] if kind else KINDS:
        print(f"{k.name}:")
        for entity_id, entity in sorted(model.entities(k.name).items()):
            print(f"  {entity_id:<32} {shown(k.title(entity))}")
    return 0


def cite(data_dir: Path, words: str) -> int:
    """Every source line holding `words` (case aside), each as a cite: entry with the exact
    quote of the line, ready to paste."""
    found = 0
    for text_file in sorted((data_dir / "sources").glob("*.txt")):
        errors: list[DataError] = []
        text = read_text(text_file, str(text_file), errors, source=True)
        if text is None:
            print(errors[0], file=sys.stderr)
            continue
        lines = text.split("\n")
        frames = _frames(text_file.with_suffix(".yml"), lines)
        for number, line in enumerate(lines, 1):
            start = line.casefold().find(words.casefold())
            if start >= 0 and len(line.casefold()) == len(line):
                quote = line[start : start + len(words)]
                print(
                    f"- source: {shown(text_file.stem)}\n  line: {number}\n"
                    f"  quote: {json.dumps(quote, ensure_ascii=False)}"
                )
                if speakers := speakers_of(frames.get(number, []), start, start + len(words)):
                    print(
                        f"  # these are the words of {', '.join(speakers)} (the source's frames):"
                    )
                    print(f"  # give the fact or relation according_to: [{', '.join(speakers)}]")
                found += 1
    if not found:
        print(
            f"no source line holds {words!r}: copy the words from data/sources/*.txt "
            "(curly quotation marks and typos included)",
            file=sys.stderr,
        )
        return 1
    return 0


def _frames(meta_file: Path, lines: list[str]) -> dict[int, list[Span]]:
    """The frames of a source's metadata, as spans, for `cite` to say whose words it found
    (nothing where the metadata is missing, too large or invalid: `make check` reports that).
    Read as the loader reads: never through a link, never over the size limit."""
    meta_text = read_text(meta_file, str(meta_file), [])
    try:
        meta = SourceMeta.model_validate(read_yaml(meta_text or ""))
    except Exception:
        return {}
    spans: dict[int, list[Span]] = {}
    for i, frame in enumerate(meta.frames):
        start = lines[frame.line - 1].find(frame.span) if 0 < frame.line <= len(lines) else -1
        if start >= 0:
            end = start + len(frame.span)
            spans.setdefault(frame.line, []).append(Span(start, end, frame.according_to, i))
    return spans


if __name__ == "__main__":
    sys.exit(main())
