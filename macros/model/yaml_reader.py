"""The project's YAML: one meaning for every file in data/, whichever parser reads it.

The subset (stated on the data-format page):
- mappings, lists and scalars, in block or flow style, one document a file, keys are text;
- refused with a message: anchors and aliases (`&a`, `*a`), tags (`!!str`, `!x`), merge keys
  (`<<`), complex keys (`? `), a second document, a duplicate key, nesting deeper than
  `MAX_DEPTH`;
- a plain (unquoted) scalar means null if it is `null`, `~` or nothing; true or false if it is
  `true` or `false`; a number if it is written as a JSON number (`7`, `-3`, `1.5`, `2e3`);
  and text otherwise: `no`, `on`, `yes`, `True`, `012` and `2025-06-02` are all text. A quoted
  scalar is always text.

The reference reader walks libyaml's (or PyYAML's) parse events and gives every error its line and
column. rapidyaml reads the usual file four times faster, by way of JSON; any file it might read
differently (an indicator of the refused features, a `~`, a parse error) goes to the reference.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml
from yaml import events

try:
    import ryml
except ImportError:  # without rapidyaml, the reference reader reads everything
    ryml = None

MAX_DEPTH = 64
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = {"", "~", "null"}
_BOOL = {"true": True, "false": False}
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
# Text in which rapidyaml's JSON could differ from the reference: refused features' indicators
# (also inside quotes: such files merely take the slower path), and documents markers.
# Escapes (`\ud800`) too: only the reference reader looks for lone surrogates.
_UNUSUAL = re.compile(r"[&*!?%]|<<|^(---|\.\.\.)|\\[uUx]", re.MULTILINE)
# The characters those indicators start with: looking for each (a fast search for one
# character) clears the usual file, where the pattern above, an alternation, tries every branch
# at every character.
_UNUSUAL_STARTS = "&*!?%<\\"
_SURROGATE = re.compile("[\ud800-\udfff]")


class Position(NamedTuple):
    line: int  # from 1
    column: int  # from 1


class YamlProblem(Exception):
    """Why a file is not in the subset, and where."""

    def __init__(self, message: str, position: Position | None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def read_yaml(text: str) -> Any:
    """The value of one YAML document in the project's subset; raises YamlProblem."""
    value = read_yaml_files([text])[0]
    if isinstance(value, YamlProblem):
        raise value
    return value


def read_yaml_files(texts: Sequence[str]) -> list[Any]:
    """The value of each text as `read_yaml` gives it, or the YamlProblem it raises: many files
    at once, under one redirection of stderr (its system calls cost more than a small file)."""
    usual = [ryml is not None and not _unusual(text) for text in texts]
    emitted: list[str | None] = [None] * len(texts)
    if any(usual):
        with native_stderr_hidden():
            emitted = [
                _emit_json(t) if fast else None for t, fast in zip(texts, usual, strict=True)
            ]
    return [_value(text, json_text) for text, json_text in zip(texts, emitted, strict=True)]


def _value(text: str, emitted: str | None) -> Any:
    if emitted is not None:
        try:
            return _from_json(emitted)
        except Exception:  # what rapidyaml's JSON cannot say, the reference reader reads
            pass
    try:
        return _Reader(text).read()
    except YamlProblem as problem:
        return problem


def positions(text: str) -> dict[str, Position]:
    """Field path (`facts[0].cite[1].quote`) -> where it starts, for the messages of a file that
    parsed. Mapping entries are placed at their key."""
    reader = _Reader(text)
    reader.read()
    return reader.positions


def resolve_plain(scalar: str) -> Any:
    """What an unquoted scalar means (see the module's docstring)."""
    if scalar in _NULL:
        return None
    if scalar in _BOOL:
        return _BOOL[scalar]
    if _NUMBER.fullmatch(scalar):
        number = float(scalar)
        return int(scalar) if number.is_integer() and re.fullmatch(r"-?[0-9]+", scalar) else number
    return scalar


# -- the fast path -----------------------------------------------------------------------------


def _unusual(text: str) -> bool:
    """Whether rapidyaml could read the text differently from the reference (`_UNUSUAL`)."""
    if any(character in text for character in _UNUSUAL_STARTS) or text.startswith(("---", "...")):
        return _UNUSUAL.search(text) is not None
    return "\n---" in text or "\n..." in text


def _emit_json(text: str) -> str | None:
    """rapidyaml's JSON of the text, or None where it finds it wrong (the reference reader
    words that)."""
    try:
        return ryml.emit_json(ryml.parse_in_arena(text.encode()))
    except Exception:
        return None


def _from_json(emitted: str) -> Any:
    if '"~"' in emitted:  # a plain ~ is null, a quoted one text: rapidyaml cannot tell them apart
        raise ValueError("~")
    return _DECODER.decode(emitted)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    mapping = dict(pairs)
    if len(mapping) < len(pairs):
        raise ValueError("duplicate key")
    return mapping


def _refuse(constant: str) -> None:
    raise ValueError(constant)  # NaN or Infinity: not a JSON number


# One decoder for every file: `json.loads` with hooks makes a new one for each call.
_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_refuse)


@contextmanager
def native_stderr_hidden() -> Iterator[None]:
    """rapidyaml prints its own parse errors to the process's stderr before raising; the
    reference reader reports the same error properly, so that copy is thrown away. Once around
    many files: the redirection's system calls cost more than reading a small file."""
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


# -- the reference reader --------------------------------------------------------------------


@dataclass
class _Open:
    """A mapping or list being read."""

    value: dict | list
    path: str
    keys: dict[str, Position] = field(default_factory=dict)  # a mapping's keys, for duplicates
    key: str | None = None  # the key waiting for its value
    key_at: Position | None = None


class _Reader:
    """Builds the value from parse events, without recursion, refusing what the subset lacks."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: dict[str, Position] = {}
        self.stack: list[_Open] = []
        self.documents = 0
        self.result: Any = None

    def read(self) -> Any:
        try:
            for event in yaml.parse(self.text, Loader=_Parser):
                self._take(event)
        except yaml.MarkedYAMLError as e:
            raise _syntax_problem(e, self.text) from None
        except yaml.reader.ReaderError as e:  # a character YAML does not allow
            character = chr(e.character) if isinstance(e.character, int) else e.character
            raise YamlProblem(
                f"the character U+{ord(character):04X} is not allowed in YAML: remove it",
                _offset_position(self.text, e.position),
            ) from None
        return self.result

    def _take(self, event: events.Event) -> None:
        where = _at(event.start_mark)
        assert where is not None  # the parser marks every event it emits
        if isinstance(event, events.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlProblem("a second document (---): keep one document a file", where)
        elif isinstance(event, events.AliasEvent):
            raise YamlProblem(
                f"an alias (*{event.anchor}): write the value out instead of referring to it",
                where,
            )
        elif isinstance(event, events.NodeEvent):
            _refuse_anchor_and_tag(event, where)
            top = self.stack[-1] if self.stack else None
            awaiting_key = top is not None and isinstance(top.value, dict) and top.key is None
            if isinstance(event, events.ScalarEvent):
                if _SURROGATE.search(event.value):
                    raise YamlProblem(
                        "a lone surrogate escape (\\ud800 to \\udfff) is not a character: "
                        "write the character itself",
                        where,
                    )
                plain = not event.style  # None from PyYAML, "" from libyaml
                value = resolve_plain(event.value) if plain else event.value
                if top is not None and awaiting_key:
                    self._take_key(top, value, where, plain)
                else:
                    self._store(value, self._child_path(where))
            elif isinstance(event, events.CollectionStartEvent):
                if awaiting_key:
                    raise YamlProblem("a list or mapping as a key: keys are plain words", where)
                if len(self.stack) >= MAX_DEPTH:
                    raise YamlProblem(
                        f"nested more than {MAX_DEPTH} levels deep: flatten it", where
                    )
                empty: dict | list = {} if isinstance(event, events.MappingStartEvent) else []
                self.stack.append(_Open(empty, self._child_path(where)))
        elif isinstance(event, events.CollectionEndEvent):
            closed = self.stack.pop()
            self._store(closed.value, closed.path)

    def _take_key(self, top: _Open, key: Any, where: Position, plain: bool) -> None:
        if plain and key == "<<":
            raise YamlProblem("a merge key (<<): write the fields out", where)
        if not isinstance(key, str):
            key = "" if key is None else json.dumps(key)
        if key in top.keys:
            first = top.keys[key].line
            raise YamlProblem(f"duplicate key {key!r} (first on line {first}): keep one", where)
        top.keys[key] = where
        top.key, top.key_at = key, where

    def _child_path(self, where: Position) -> str:
        """The field path of the value about to be read, recording where it starts."""
        if not self.stack:
            return ""
        top = self.stack[-1]
        if isinstance(top.value, dict):
            path = f"{top.path}.{top.key}" if top.path else str(top.key)
            self.positions[path] = top.key_at or where
        else:
            path = f"{top.path}[{len(top.value)}]"
            self.positions[path] = where
        return path

    def _store(self, value: Any, path: str) -> None:
        if not self.stack:
            self.result = value
            return
        top = self.stack[-1]
        if isinstance(top.value, dict):
            top.value[top.key] = value
            top.key, top.key_at = None, None
        else:
            top.value.append(value)


def _refuse_anchor_and_tag(event: events.NodeEvent, where: Position) -> None:
    if event.anchor is not None:
        raise YamlProblem(
            f"an anchor (&{event.anchor}): write each value out where it is used", where
        )
    tag = getattr(event, "tag", None)
    if tag is not None and not (isinstance(event, events.ScalarEvent) and tag == "!"):
        raise YamlProblem(f"a tag ({tag}): remove it; data/ takes plain values only", where)


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    """A syntax error placed where the editor can fix it: an unclosed quotation mark or bracket
    at its opening (libyaml finds it missing only at the end of the file), others where found."""
    context = error.context or ""
    if ("quoted scalar" in context or "flow" in context) and error.context_mark:
        what = "quoted text" if "quoted" in context else "bracket"
        return YamlProblem(
            f"this {what} is never closed ({error.problem}): close it",
            _at(error.context_mark),
        )
    where = _at(error.problem_mark or error.context_mark)
    last_line = text.count("\n") or 1
    if where and where.line > last_line:  # past the end of the file: its last line
        where = Position(last_line, 1)
    return YamlProblem(f"{error.problem or error}: correct the YAML syntax", where)


def _at(mark: Any) -> Position | None:
    return Position(mark.line + 1, mark.column + 1) if mark is not None else None


def _offset_position(text: str, offset: int) -> Position:
    line_start = text.rfind("\n", 0, offset) + 1
    return Position(text.count("\n", 0, offset) + 1, offset - line_start + 1)
