"""Who stands where, as a diagram drawn at build time: an SVG with no script and no fetch.

The subject (a demand, or an actor) stands in the middle; those who made or support it (or the
demands an actor made or supports) on the left; those who reject or oppose it on the right.
Narrow screens get the same diagram in one column (`stance_diagram(..., narrow=True)`), drawn at
about the size it is shown at on a phone: those for it in one panel above the subject, those
against in one below, each panel joined to the subject by one line (never a line through the
boxes, which would read as a chain). Every name is wrapped in full: none is cut short.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterable
from typing import NamedTuple

BOX_WIDTH, LINE_HEIGHT, PADDING, GAP = 230, 16, 10, 12
COLUMNS = (0, 310, 620)
WIDTH = COLUMNS[2] + BOX_WIDTH
WRAP = 30  # characters a line in the wide layout's boxes
# The narrow layout: about as wide, in units, as a phone shows it in pixels (its text at the
# page's size), its boxes inside the two panels.
NARROW_WIDTH, NARROW_WRAP, NARROW_LINE, NARROW_PADDING, NARROW_GAP = 340, 40, 17, 7, 6
PANEL_PADDING, PANEL_LABEL = 8, 22  # a panel's margin around its boxes, and its label's room
LEFT_STANCES = ("made", "raised", "supports")


# name, url, stance (its box's class), voice ("according to …" or ""), the stance in words
# ("demanded", "rejects (changed)")
Related = tuple[str, str, str, str, str]


class Node(NamedTuple):
    x: int
    y: int
    height: int
    lines: list[str]  # the name's, then the stance's and whose words it is ("according to …")
    name_lines: int
    title: str  # the full name, stance and voice, shown on hover
    url: str  # final URL, relative to the page (SVG links are not rewritten by MkDocs)
    stance: str
    width: int = BOX_WIDTH


class Edge(NamedTuple):
    x1: int
    y1: int
    x2: int
    y2: int
    stance: str


class Panel(NamedTuple):
    """A group of boxes in the narrow layout: those for the subject, or those against it."""

    x: int
    y: int
    width: int
    height: int
    label: str


class Diagram(NamedTuple):
    width: int
    height: int
    center: Node
    nodes: list[Node]
    edges: list[Edge]
    description: str  # the whole diagram in words, for screen readers
    panels: tuple[Panel, ...] = ()
    line_height: int = LINE_HEIGHT
    baseline: int = PADDING + 14  # the first line's baseline, below a box's top


@functools.lru_cache(maxsize=4096)  # the same names recur on many pages; textwrap is slow
def wrap(text: str, width: int = WRAP) -> tuple[str, ...]:
    """`text` in lines of at most `width` characters (a longer word on a line of its own):
    every word of it, never cut short."""
    return tuple(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def _box(x: int, y: int, item: Related, narrow: bool = False) -> Node:
    name, url, stance, voice, words = item
    chars, line, pad = (
        (NARROW_WRAP, NARROW_LINE, NARROW_PADDING) if narrow else (WRAP, LINE_HEIGHT, PADDING)
    )
    width = NARROW_WIDTH - 2 * PANEL_PADDING if narrow else BOX_WIDTH
    name_lines = wrap(name, chars)
    lines = [*name_lines, *wrap(f"{words}, {voice}" if narrow and voice else words, chars)]
    if not narrow:
        lines += wrap(voice, chars)
    height = 2 * pad + line * len(lines)
    return Node(x, y, height, lines, len(name_lines), _said(item), url, stance, width)


def _said(item: Related) -> str:
    name, _, _, voice, words = item
    return f"{name}: {words}, {voice}" if voice else f"{name}: {words}"


def _column(x: int, items: list[Related], narrow: bool = False, top: int = 0) -> list[Node]:
    nodes, y = [], top
    for item in items:
        nodes.append(_box(x, y, item, narrow))
        y += nodes[-1].height + (NARROW_GAP if narrow else GAP)
    return nodes


def _subject(x: int, y: int, subject: str, narrow: bool = False) -> Node:
    width, chars, line, pad = (
        (NARROW_WIDTH, NARROW_WRAP, NARROW_LINE, NARROW_PADDING)
        if narrow
        else (BOX_WIDTH, WRAP, LINE_HEIGHT, PADDING)
    )
    lines = list(wrap(subject, chars))
    height = 2 * pad + line * len(lines)
    return Node(x, y, height, lines, len(lines), subject, "", "subject", width)


def stance_diagram(subject: str, related: Iterable[Related], narrow: bool = False) -> Diagram:
    """`related`: (name, url, stance, voice) of each actor (or demand) with a stance on the
    subject; voice is "according to …", or "" where the source says it in its own voice."""
    items = list(related)
    if narrow:
        return _one_column(subject, items)
    left = _column(COLUMNS[0], [i for i in items if i[2] in LEFT_STANCES])
    right = _column(COLUMNS[2], [i for i in items if i[2] not in LEFT_STANCES])
    center = _subject(COLUMNS[1], 0, subject)
    height = max(center.height, *(n.y + n.height for n in left + right)) if items else 0
    center = center._replace(y=(height - center.height) // 2)
    mid = center.y + center.height // 2
    edges = [Edge(n.x + BOX_WIDTH, n.y + n.height // 2, center.x, mid, n.stance) for n in left]
    edges += [Edge(center.x + BOX_WIDTH, mid, n.x, n.y + n.height // 2, n.stance) for n in right]
    description = "; ".join(n.title for n in left + right)
    return Diagram(WIDTH, height, center, left + right, edges, f"{subject}. {description}.")


def _panel(y: int, label: str, items: list[Related]) -> tuple[Panel, list[Node]]:
    """A panel at `y` holding a box for each item, under its label."""
    nodes = _column(PANEL_PADDING, items, narrow=True, top=y + PANEL_LABEL)
    bottom = nodes[-1].y + nodes[-1].height + PANEL_PADDING
    return Panel(0, y, NARROW_WIDTH, bottom - y, label), nodes


def _one_column(subject: str, items: list[Related]) -> Diagram:
    """Those for it in a panel above, the subject, those against in a panel below; one line
    joins each panel to the subject."""
    for_it = [i for i in items if i[2] in LEFT_STANCES]
    against = [i for i in items if i[2] not in LEFT_STANCES]
    panels: list[Panel] = []
    nodes: list[Node] = []
    edges: list[Edge] = []
    middle = NARROW_WIDTH // 2
    y = 0
    if for_it:
        panel, boxes = _panel(0, "For it", for_it)
        panels.append(panel)
        nodes += boxes
        y = panel.height + 3 * GAP
    center = _subject(0, y, subject, narrow=True)
    if panels:
        edges.append(Edge(middle, panels[0].height, middle, center.y, "for"))
    height = center.y + center.height
    if against:
        panel, boxes = _panel(height + 3 * GAP, "Against it", against)
        edges.append(Edge(middle, height, middle, panel.y, "against"))
        panels.append(panel)
        nodes += boxes
        height = panel.y + panel.height
    description = "; ".join(n.title for n in nodes)
    return Diagram(
        NARROW_WIDTH,
        height,
        center,
        nodes,
        edges,
        f"{subject}. {description}.",
        tuple(panels),
        NARROW_LINE,
        NARROW_PADDING + 14,
    )
