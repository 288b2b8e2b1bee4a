"""`python -m macros new KIND ID`: a new data file written from the schema, every field with its
description as a comment, for the editor to fill in.

A source's `.yml` is written beside its text, with a frame proposed for each line holding a
reporting word (the voice check's own words, `voice.reporting_word`): the span after the word,
and the speaker where a known actor's name stands before it. An actor, demand or round cannot
be valid as written (its facts need quotes, which only the editor can choose): its required
fields are left empty, each marked FILL IN, so that `make check` names any left unfilled.
"""

from __future__ import annotations

import re
import textwrap
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from macros.kinds import KINDS, Kind
from macros.model.errors import DataError
from macros.model.load import id_problem, read_text
from macros.model.schema import Actor, SourceMeta
from macros.model.voice import reporting_words
from macros.model.yaml_reader import read_yaml

FILL = "FILL IN"  # marks each value the editor must write
# Written by `make fact-ids`, or later in a file's life (a statement withdrawn, a rename).
LEFT_OUT = frozenset({"id", "withdrawn", "formerly", "search_variants", "search_terms"})
_WIDTH = 96  # of the description comments
_MIN_SPAN = 12  # characters after a reporting word that can be what is reported


class Refused(Exception):
    """Why the file cannot be written: one line, with the fix."""


class Written(NamedTuple):
    path: Path
    to_fill: list[str]  # the field paths left for the editor (FILL IN)
    proposed: int  # frames proposed (sources)


def new_file(data_dir: Path, singular: str, entity_id: str) -> Written:
    """Write data/<kind>s/<id>.yml; raises Refused (an invalid id, an existing file, a source
    without its text) before writing anything."""
    kind = next(k for k in KINDS if k.singular == singular)
    path = data_dir / kind.name / f"{entity_id}.yml"
    label = f"{data_dir.name}/{kind.name}/{entity_id}.yml"
    if problem := id_problem(entity_id, kind.name):
        raise Refused(str(DataError(label, "", problem)))
    if path.exists() or path.is_symlink():
        raise Refused(f"{label}: already exists: edit it, or choose another id")
    sources = sorted(p.stem for p in (data_dir / "sources").glob("*.yml"))
    if kind.with_text:
        lines, to_fill, proposed = _source(data_dir, kind, entity_id)
    else:
        lines = list(_entity(kind, entity_id, sources))
        to_fill, proposed = [line.field for line in lines if line.field], 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # never over a file made meanwhile
        out.write("".join(f"{line.text}\n" for line in lines))
    return Written(path, to_fill, proposed)


class Line(NamedTuple):
    text: str
    field: str = ""  # the field path, where the line holds a value to fill
    comment: bool = False  # a description, not a field


def _entity(kind: Kind, entity_id: str, sources: list[str]) -> Iterator[Line]:
    yield from _header(kind, entity_id)
    yield Line(
        '# Fill in each FILL IN (a quote: `python -m macros cite "words"` prints one ready to '
        "paste);"
    )
    yield Line("# uncomment the optional fields the sources give. Then: make fact-ids, make check,")
    yield Line("# make links. A fact quoting someone's words names them in according_to.")
    yield Line("")
    yield from _fields(kind.schema, "", 0, False, sources)


def _header(kind: Kind, entity_id: str) -> Iterator[Line]:
    yield Line(f"# data/{kind.name}/{entity_id}.yml: the page /{kind.name}/{entity_id}/.")
    for part in textwrap.wrap(_doc(kind.schema), _WIDTH - 2):
        yield Line(f"# {part}")


def _fields(
    schema: type[BaseModel], path: str, indent: int, hidden: bool, sources: list[str]
) -> Iterator[Line]:
    """Each field of `schema` at `indent`, its own before those it shares (`cite`, `facts`):
    its description as a comment, then the field. Optional fields, and all inside them, are
    commented out (`hidden`), their descriptions left to the data format page but one line."""
    for name in _ordered(schema):
        info = schema.model_fields[name]
        off = hidden or not info.is_required()
        field = f"{path}.{name}" if path else name
        if not hidden:
            for part in textwrap.wrap(_described(info), _WIDTH - indent - 2):
                yield Line(f"{' ' * indent}# {part}", comment=True)
        yield from _field(name, info.annotation, field, indent, off, sources)


def _ordered(schema: type[BaseModel]) -> list[str]:
    """The fields to write, those the class declares first, then its bases' (a fact's `text`
    before its `cite`)."""
    names = [n for n in schema.model_fields if n not in LEFT_OUT]
    depth = {
        n: i for i, cls in enumerate(schema.__mro__) for n in vars(cls).get("__annotations__", {})
    }
    return sorted(names, key=lambda n: (depth.get(n, 0), n == "cite"))


def _field(
    name: str, annotation: Any, field: str, indent: int, off: bool, sources: list[str]
) -> Iterator[Line]:
    start = "# " if off else ""
    pad = " " * indent
    inner, many = _item_type(annotation)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        yield Line(f"{start}{pad}{name}:")
        item = f"{field}[0]" if many else field
        nested = list(_fields(inner, item, indent + (4 if many else 2), off, sources))
        if many:  # a list of one item: its first field opens it with "- ", described above it
            first = _first_key(nested)
            for i, line in enumerate(nested[: first + 1]):
                cut = len(start) + indent + 4 if i == first else indent + 4
                mark = "- " if i == first else ""
                nested[i] = line._replace(text=f"{line.text[: cut - 2]}{mark}{line.text[cut:]}")
        yield from nested
        return
    if many:
        yield Line(f"{start}{pad}{name}: []")
        return
    yield Line(*_scalar(name, inner, field, start, pad, off, sources))


def _first_key(lines: list[Line]) -> int:
    """The first line that is a field, not a description."""
    return next(i for i, line in enumerate(lines) if not line.comment)


def _scalar(
    name: str, inner: Any, field: str, start: str, pad: str, off: bool, sources: list[str]
) -> tuple[str, str]:
    """A field holding one value: left empty, for the editor (FILL IN where required)."""
    hint = ""
    if typing.get_origin(inner) is Literal:
        hint = "one of " + ", ".join(typing.get_args(inner))
    elif name == "source" and sources:
        shown = ", ".join(sources[:8]) + (", …: make ids lists them" if len(sources) > 8 else "")
        hint = f"a source id ({shown})"
    if off:
        return f"{start}{pad}{name}:" + (f"  # {hint}" if hint else ""), ""
    return f"{pad}{name}:  # {FILL}" + (f": {hint}" if hint else ""), field


def _item_type(annotation: Any) -> tuple[Any, bool]:
    """The type a field holds, and whether as a list (`tuple[X, ...]`); None and Annotated
    unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _item_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(inner) > 1:  # one of several kinds of value (a date or a round's id): a scalar
            return annotation, False
        return _item_type(inner[0])
    if origin is tuple:
        inner, _ = _item_type(typing.get_args(annotation)[0])
        return inner, True
    return annotation, False


def _described(info: FieldInfo) -> str:
    required = "required" if info.is_required() else "optional"
    return f"{info.description or ''} ({required})".strip()


def _doc(schema: type[BaseModel]) -> str:
    return " ".join((schema.__doc__ or "").split())


def _source(data_dir: Path, kind: Kind, source_id: str) -> tuple[list[Line], list[str], int]:
    """A source's metadata: a title to check, and a frame proposed for each reporting line."""
    text_label = f"{data_dir.name}/sources/{source_id}.txt"
    text_path = data_dir / "sources" / f"{source_id}.txt"
    if not text_path.exists() and not text_path.is_symlink():
        raise Refused(
            f"{text_label}: no such file: copy the source's text there first, verbatim, one "
            "paragraph a line, then run this again"
        )
    errors: list[DataError] = []
    text = read_text(text_path, text_label, errors, source=True)
    if text is None:
        raise Refused(str(errors[0]))
    lines = list(_header(kind, source_id))
    lines.append(Line("# Check every line below: the title is made from the id."))
    lines.append(Line(f"title: {source_id.replace('-', ' ').capitalize()}"))
    for name in ("publisher", "url", "published"):
        lines.append(Line(f"# {name}:  # {SourceMeta.model_fields[name].description}"))
    frames, to_fill = _frames(text.removesuffix("\n").split("\n"), _speakers(data_dir))
    return [*lines, *frames], to_fill, sum(1 for line in frames if line.text.startswith("  - "))


def _frames(text: list[str], speakers: dict[str, str]) -> tuple[list[Line], list[str]]:
    """A frame proposed for each line holding a reporting word, and the fields left to fill."""
    out: list[Line] = []
    to_fill: list[str] = []
    proposed = 0
    for number, line in enumerate(text, 1):
        words = reporting_words(line)
        if not words:
            continue
        if not proposed:
            out.extend([*map(Line, _FRAMES_NOTE), Line("frames:")])
        span, speaker = _proposal(line, words[0], speakers)
        field = f"frames[{proposed}]"
        proposed += 1
        out.append(Line(f"  # line {number}: {', '.join(repr(w.group()) for w in words)}: CHECK"))
        out.append(Line(f"  - line: {number}"))
        out.append(Line(f"    span: {_yaml_text(span)}"))
        if speaker:
            out.append(Line(f"    according_to: [{speaker}]  # CHECK: guessed from a name"))
        else:
            out.append(Line(f"    according_to: []  # {FILL}: who says the span", field))
            to_fill.append(f"{field}.according_to")
    return out, to_fill


_FRAMES_NOTE = (
    "# Proposed by `make new`, one frame for each line holding a reporting word: each must be",
    "# checked against the text. The span is what the word frames (narrow it to the reported",
    "# words; one frame per speaker where a line has several); according_to is who says it (an",
    "# actor id), or write own_voice: true instead where the word frames no claim (a report by",
    "# the publisher itself: 'the agency reported'). See Voice on the data format page.",
)


def _proposal(line: str, word: re.Match, speakers: dict[str, str]) -> tuple[str, str]:
    """(span, speaker id or ""): the words after the reporting word where there are enough
    ("X said that ..."), else those before it ("..., the agency reported"); the speaker, the
    known name nearest the word on the side that is not the span ("according to X, ...":
    after it), leaving out a relative clause (", who led the team,")."""
    after = re.sub(r"^(that|reporters|journalists) ", "", line[word.end() :].lstrip(" ,:"))
    before = re.sub(r",\s*(who|which)\b[^,]*,", ",", line[: word.start()])
    if word.group().lower() == "according to":
        name, _, claim = after.partition(",")
        return _once(line, claim.strip() or after), _nearest(name, speakers, last=False)
    if len(after) >= _MIN_SPAN:
        return _once(line, after), _nearest(before, speakers, last=True)
    clause = before.rfind(",")
    span, speaker = line[: max(clause, 0)], before[clause + 1 :]
    return _once(line, span), _nearest(speaker, speakers, last=True)


def _once(line: str, span: str) -> str:
    """The span, or the whole line where it is empty or stands twice (a span stands once)."""
    span = span.strip()
    return span if span and line.count(span) == 1 else line


def _nearest(text: str, speakers: dict[str, str], last: bool) -> str:
    """The id of the known name standing last (or first) in `text`, or "". Apostrophes are
    compared as one (the sources' are curly), and a name's first letter in either case (a
    name opening a sentence: "The Russian team")."""
    text = text.replace("\u2019", "'")
    best: tuple[int, int, str] | None = None
    for name, actor_id in speakers.items():
        plain = name.replace("\u2019", "'")
        first = f"[{re.escape(plain[0].upper())}{re.escape(plain[0].lower())}]"
        pattern = rf"\b{first}{re.escape(plain[1:])}\b"
        for found in re.finditer(pattern, text):
            place = found.end() if last else -found.start()
            key = (place, len(name), actor_id)
            if best is None or key > best:
                best = key
    return best[2] if best else ""


def _speakers(data_dir: Path) -> dict[str, str]:
    """name -> actor id, for every name, alias and person's surname of the valid actor files
    (read as the loader reads them: an invalid one is skipped, `make check` reports it)."""
    names: dict[str, str] = {}
    for path in sorted((data_dir / "actors").glob("*.yml")):
        try:
            actor = Actor.model_validate(read_yaml(read_text(path, str(path), []) or ""))
        except Exception:
            continue
        surname = [actor.name.split()[-1]] if actor.kind == "person" else []
        for name in (actor.name, *actor.aliases, *surname):
            names.setdefault(name, path.stem)
    return names


def _yaml_text(value: str) -> str:
    """A value as a YAML double-quoted string (valid whatever the text holds)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
