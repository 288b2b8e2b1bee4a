"""Checking a citation against its source, and saying precisely what is wrong when it fails.

Pure functions over the lines of the loaded sources; the cross-checks call them for every
citation in data/.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from difflib import SequenceMatcher
from typing import NamedTuple

from macros.model.schema import Citation


class Problem(NamedTuple):
    field: str  # the citation's field at fault: source, line or quote
    message: str


def citation_problem(cite: Citation, sources: Mapping[str, tuple[str, ...]]) -> Problem | None:
    """None when the quote stands verbatim on the cited line, else what is wrong and the fix."""
    lines = sources.get(cite.source)
    if lines is None:
        known = ", ".join(sorted(sources)) or "none"
        return Problem(
            "source",
            f"no source '{cite.source}' (known: {known}): correct the id "
            f"or add data/sources/{cite.source}.txt and .yml",
        )
    count = len(lines)
    if not 1 <= cite.line <= count:
        return Problem(
            "line",
            f"line {cite.line} does not exist: source '{cite.source}' has lines 1 to {count}",
        )
    if cite.quote in lines[cite.line - 1]:
        return None
    where = [n for n, text in enumerate(lines, 1) if cite.quote in text]
    if where:
        found = ", ".join(map(str, where))
        return Problem(
            "quote",
            f"not found on line {cite.line} of source '{cite.source}' "
            f"(found on line {found}): correct the line number",
        )
    return Problem(
        "quote",
        f"not found on line {cite.line} of source '{cite.source}': "
        + closest_difference(cite.quote, lines[cite.line - 1]),
    )


def closest_difference(quote: str, line: str) -> str:
    """Name the differences between the quote and the span of the line it most resembles."""
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
    return f"closest text on the line is “{span}” ({shown}): copy the quote from the source text"


def _describe(in_quote: str, in_line: str) -> str:
    if not in_line:
        return f"the quote adds {in_quote!r}"
    if not in_quote:
        return f"the quote leaves out {in_line!r}"
    names = ", ".join(_codepoint(c) for c in in_line) if len(in_line) == 1 else ""
    return f"the quote has {in_quote!r} where the line has {in_line!r}" + (
        f" ({names})" if names else ""
    )


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip()
