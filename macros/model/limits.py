"""The size limits of data/, in one place: what exceeds one is refused, naming the limit.

Each is far above what a real article or page needs (the largest source text in data/ has 24
lines of at most 276 characters; the longest text field, 263 characters), and low enough that
every check stays quick: the checks' cost is linear in the data, and these bound the constant
(a line's length bounds each quote's search on it, the frames on a line bound the voice check's
work per citation). Published on the data format page (`macros/data_format.py`).
"""

from __future__ import annotations

MAX_FILE_BYTES = 2_000_000  # any file of data/: checked before it is read
MAX_SOURCE_LINES = 20_000  # lines of one source text
MAX_LINE_LENGTH = 20_000  # characters of one line of a source text (so of a quote or span)
MAX_TEXT_LENGTH = 2_000  # characters of a field in the site's own words: a name, title, fact
MAX_FRAMES_PER_LINE = 30  # frames on one line of a source
MAX_ID_LENGTH = 100  # every file the site writes for an id then fits any file system's names


def size(count: int) -> str:
    """A number of bytes as a message shows it: 1.2 GB, 2 MB, 512 bytes."""
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if count >= factor:
            return f"{count / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{count} bytes"
