"""Checking a citation against its source, and saying precisely what is wrong when it fails.

Pure functions over the lines of the loaded sources; the cross-checks call them for every
citation in data/. What a wrong citation costs is bounded, whatever the size of its source: the
lines that could hold the quote are found through an index of their words (`LineIndex`), and the
closest text is looked for on the cited line only.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from difflib import SequenceMatcher
from typing import NamedTuple

from macros.model.errors import did_you_mean
from macros.model.schema import Citation


class Problem(NamedTuple):
    field: str  # the citation's field at fault: source, line or quote
    message: str


def citation_problem(
    cite: Citation, sources: Mapping[str, tuple[str, ...]], index: LineIndex | None = None
) -> Problem | None:
    """None when the quote stands verbatim on the cited line, else what is wrong and the fix.
    `index`: the lines' words, shared by the citations of one check (else made for this one)."""
    lines = sources.get(cite.source)
    if lines is None:
        return Problem(
            "source",
            f"no source '{cite.source}'{_known_sources(cite.source, sources)}: correct the id "
            f"or add data/sources/{cite.source}.txt and .yml",
        )
    count = len(lines)
    if not 1 <= cite.line <= count:
        near = min(max(cite.line, 1), count)
        where = (index or LineIndex(sources)).lines_holding(cite.source, cite.quote, near)
        found = f" (the quote is on line {_listed(where)})" if where else ""
        return Problem(
            "line",
            f"line {cite.line} does not exist: source '{cite.source}' has lines 1 to {count}"
            f"{found}",
        )
    if cite.quote in lines[cite.line - 1]:
        return None
    where = (index or LineIndex(sources)).lines_holding(cite.source, cite.quote, cite.line)
    if where:
        return Problem(
            "quote",
            f"not found on line {cite.line} of source '{cite.source}' "
            f"(found on line {_listed(where)}): correct the line number",
        )
    return Problem(
        "quote",
        f"not found on line {cite.line} of source '{cite.source}': "
        + closest_difference(cite.quote, lines[cite.line - 1]),
    )


def _listed(lines: list[int]) -> str:
    return ", ".join(map(str, lines[:SHOWN_LINES])) + (", …" * (len(lines) > SHOWN_LINES))


def _known_sources(wrong: str, sources: Mapping[str, tuple[str, ...]]) -> str:
    """The known sources, where they are few; else the closest id."""
    if len(sources) > LISTED_SOURCES:
        return did_you_mean(wrong, sources)
    return f" (known: {', '.join(sorted(sources)) or 'none'})"


LISTED_SOURCES = 10  # sources a message lists at most
SHOWN_LINES = 10  # lines holding a quote that a message lists at most
NEARBY = 50  # lines either side of the cited one always looked at for its quote
LOOKED_AT = 200  # other lines looked at for a quote, at most (those holding its rarest word)
_WORD = re.compile(r"\w+")


class LineIndex:
    """Where a quote could stand in its source: the lines holding each word, for each source
    made on the first wrong quote into it (one pass over its text), so that each wrong quote
    then looks at a bounded number of lines, not at every line of its source."""

    def __init__(self, sources: Mapping[str, tuple[str, ...]]) -> None:
        self.sources = sources
        self._words: dict[str, dict[str, list[int]]] = {}  # source -> word -> its lines

    def lines_holding(self, source: str, quote: str, near: int) -> list[int]:
        """The lines (from 1) that hold the quote, among those near line `near` and the first
        LOOKED_AT that hold its rarest whole word."""
        lines = self.sources[source]
        nearby = range(max(1, near - NEARBY), min(len(lines), near + NEARBY) + 1)
        candidates = {*nearby, *self._with_rarest_word(source, quote)[:LOOKED_AT]}
        return [n for n in sorted(candidates) if quote in lines[n - 1]]

    def _with_rarest_word(self, source: str, quote: str) -> list[int]:
        # A word is whole when the quote holds what stands either side of it: the line that
        # holds the quote then holds that word too, as a word.
        whole = [m[0] for m in _WORD.finditer(quote) if m.start() > 0 and m.end() < len(quote)]
        if not whole:
            return []
        words = self._index(source)
        return min((words.get(word, []) for word in whole), key=len)

    def _index(self, source: str) -> dict[str, list[int]]:
        words = self._words.get(source)
        if words is None:
            words = self._words[source] = defaultdict(list)
            for number, text in enumerate(self.sources[source], 1):
                for word in set(_WORD.findall(text)):
                    words[word].append(number)
        return words


# Quote length times line length beyond which the exact comparison (quadratic) gives way to a
# quick one: a long wrong quote against a long line is answered in milliseconds, not minutes.
EXACT_COMPARISON_LIMIT = 200_000
SHOWN = 80  # characters of a quote or line that a message shows at most
PASTED = 400  # characters of the closest text a message shows whole, for the editor to copy


def closest_difference(quote: str, line: str) -> str:
    """Name the differences between the quote and the span of the line it most resembles."""
    if len(quote) * len(line) > EXACT_COMPARISON_LIMIT:
        return _first_difference(quote, line)
    blocks = [
        b
        for b in SequenceMatcher(None, quote, line, autojunk=False).get_matching_blocks()
        if b.size >= 3
    ]
    if not blocks:
        return "the line holds nothing close to it: copy the quote from the source text"
    start = max(blocks[0].b - blocks[0].a, 0)
    end = min(
        blocks[-1].b + blocks[-1].size + len(quote) - blocks[-1].a - blocks[-1].size, len(line)
    )
    span = line[start:end]
    changes = [
        _describe(quote[i1:i2], span[j1:j2])
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, quote, span, autojunk=False).get_opcodes()
        if tag != "equal"
    ]
    shown = "; ".join(changes[:3]) + ("; …" if len(changes) > 3 else "")
    if len(span) <= PASTED:  # whole, ready to paste as the quote
        return f"closest text on the line is “{span}” ({shown}): copy it as the quote"
    return (
        f"closest text on the line is “{_short(span)}” ({shown}): "
        "copy the quote from the source text"
    )


def _first_difference(quote: str, line: str) -> str:
    """Where the quote leaves the line: its longest start that stands on the line."""
    found, missing = 0, len(quote)  # quote[:found] is on the line, quote[:missing] is not
    while missing - found > 1:
        middle = (found + missing) // 2
        if quote[:middle] in line:
            found = middle
        else:
            missing = middle
    if found < 3:
        return "the line holds nothing close to it: copy the quote from the source text"
    at = line.find(quote[:found]) + found
    last_words = quote[max(0, found - 30) : found]
    return (
        f"the quote follows the line for {found} characters, up to “…{last_words}”, "
        f"then {_describe(quote[found : found + 1], line[at : at + 1])}: "
        "copy the quote from the source text"
    )


def _describe(in_quote: str, in_line: str) -> str:
    if not in_line:
        return f"the quote adds {_short(in_quote)!r}"
    if not in_quote:
        return f"the quote leaves out {_short(in_line)!r}"
    names = ", ".join(_codepoint(c) for c in in_line) if len(in_line) == 1 else ""
    return f"the quote has {_short(in_quote)!r} where the line has {_short(in_line)!r}" + (
        f" ({names})" if names else ""
    )


def _short(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip()
