"""The character policy: which characters a source text may hold, and how text from the data
is shown on a terminal.

A source text is refused control characters as a YAML file is (YAML allows tab and line breaks
only): an ESC or OSC sequence in it would retitle or clear the terminal of whoever prints it,
and NUL, STX or ETX would show raw, or not at all, in a page.
Whatever the data holds, a message shows it escaped (`shown`): a file name with ESC in it, or
with bytes that are not UTF-8 (Python's surrogate escapes), prints as `\\x1b` or `\\xff`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# What a source text may not hold: C0 controls but tab and line feed (CR is refused before, with
# its own message),
# DEL, C1 controls (NEL too: a line break to some tools, which would miscount the lines), and
# the two noncharacters YAML refuses too.
TEXT_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# What a terminal must never receive raw: every control character (tab and line feed too: a
# message is one line), lone surrogates (undecodable bytes of a file name; unprintable), and the
# bidirectional controls, which reorder the text shown around them.
UNSHOWABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def shown(text: str) -> str:
    """`text` as a terminal (or a page) may show it: each unshowable character escaped."""
    return UNSHOWABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class Control(NamedTuple):
    """The first control character of a text, where it stands, and how many the text holds."""

    line: int
    column: int
    code: str  # U+001B
    in_all: int  # how many the text holds (not `count`: a tuple's method)

    @property
    def message(self) -> str:
        more = f" (and {self.in_all - 1} more in the file)" if self.in_all > 1 else ""
        return (
            f"holds the control character {self.code}{more}, which a terminal or a page would "
            "act on: remove it (a source text holds only printable characters, tabs and line ends)"
        )


def first_control(text: str) -> Control | None:
    """The first control character `text` may not hold, or None (one scan, in C, for a text
    without any)."""
    found = TEXT_CONTROLS.search(text)
    if found is None:
        return None
    start = found.start()
    line_start = text.rfind("\n", 0, start) + 1
    count = len(TEXT_CONTROLS.findall(text, start))
    code = f"U+{ord(found[0]):04X}"
    return Control(text.count("\n", 0, start) + 1, start - line_start + 1, code, count)
