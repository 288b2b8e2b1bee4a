"""Finished HTML kept out of Python-Markdown's way, so that each page is rendered once.

A page's Markdown, as the templates write it, is its headings (for the table of contents and
their permalinks) around blocks of finished HTML. Python-Markdown would read every block again
with its HTML parser, and MkDocs once more for anchors, to pass it through unchanged. So the
macros' output goes through `set_aside`: each block becomes a placeholder paragraph, and
`put_back`, given the converted page, puts the blocks where their placeholders came out.

A block is a chunk between blank lines (or headings) that opens with a tag. Only the macros' own
output is set aside: the hand-written Markdown around a macro call is converted as usual. No
MkDocs here.
"""

from __future__ import annotations

import re
import secrets

# A block ends at a blank line or at a heading (a line opening with #: no data value can open a
# line, as `render.escape_text` turns its line breaks into spaces). Written to open with its
# literal newline, which lets the regex engine skip to each newline: ten times faster on a
# page of megabytes (the stance matrix) than the same alternation, `\n{2,}|\n(?=#)`.
_BOUNDARY = re.compile(r"(\n(?:\n+|(?=#)))")


class HtmlBlocks:
    def __init__(self) -> None:
        # A placeholder no data can spell: data text never reaches the page unescaped, and
        # this differs at each run.
        self._mark = f"htmlblock{secrets.token_hex(8)}n"
        self._found = re.compile(rf"<p>{self._mark}(\d+)</p>")
        self._placeholder = re.compile(rf"{self._mark}(\d+)")
        self._kept: dict[str, list[str]] = {}  # page -> its blocks, in order

    def set_aside(self, page: str, markdown: str) -> str:
        """The Markdown with each HTML block replaced by a placeholder, kept for `page`."""
        kept = self._kept.setdefault(page, [])
        parts = _BOUNDARY.split(markdown)  # chunk, boundary, chunk, ..., chunk
        for i in range(0, len(parts), 2):
            if parts[i].startswith("<"):
                # Before a blank line, a block keeps a newline, as Python-Markdown's did.
                after = "\n" if i + 1 < len(parts) and parts[i + 1] != "\n" else ""
                kept.append(parts[i].rstrip("\n") + after)
                parts[i] = f"{self._mark}{len(kept) - 1}"
        return "".join(parts).replace("\n#", "\n\n#")

    def put_back(self, page: str, html: str) -> str:
        """The page's HTML with its blocks in place of their placeholders."""
        kept = self._kept.pop(page, None)
        if not kept:
            return html
        return self._found.sub(lambda m: kept[int(m[1])], html)

    def restored(self, page: str, markdown: str) -> str:
        """The Markdown as the templates wrote it, each block in place of its placeholder: for
        a build of the same pages without the macros (the benchmark's floor)."""
        kept = self._kept.pop(page, None) or []
        return self._placeholder.sub(lambda m: kept[int(m[1])].rstrip("\n"), markdown)

    def forget(self, page: str) -> None:
        """Drop what was set aside for a page that will not be converted as it was written."""
        self._kept.pop(page, None)
