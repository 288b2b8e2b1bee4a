"""Who stands where, as a diagram drawn at build time: an SVG with no script and no fetch.

The subject (a demand, or an actor) stands in the middle; those who made or support it (or the
demands an actor made or supports) on the left; those who reject or oppose it on the right.
Narrow screens get the same diagram laid out in one column (`stance_diagram(..., narrow=True)`):
those for it above the subject, those against below, so that no side is ever cut off.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterable
from typing import NamedTuple

BOX_WIDTH, LINE_HEIGHT, PADDING, GAP = 230, 16, 10, 12
COLUMNS = (0, 310, 620)
WIDTH = COLUMNS[2] + BOX_WIDTH
LEFT_STANCES = ("made", "raised", "supports")


Related = tuple[str, str, str, str]  # name, url, stance, voice ("according to …" or "")


class Node(NamedTuple):
    x: int
    y: int
    height: int
    lines: list[str]  # the name's, then the stance's and whose words it is ("according to …")
    name_lines: int
    title: str  # the full name, stance and voice, shown on hover
    url: str  # final URL, relative to the page (SVG links are not rewritten by MkDocs)
    stance: str


class Edge(NamedTuple):
    x1: int
    y1: int
    x2: int
    y2: int
    stance: str


class Diagram(NamedTuple):
    width: int
    height: int
    center: Node
    nodes: list[Node]
    edges: list[Edge]
    description: str  # the whole diagram in words, for screen readers
    box_width: int = BOX_WIDTH


@functools.lru_cache(maxsize=4096)  # the same names recur on many pages; textwrap is slow
def _wrap(name: str) -> tuple[str, ...]:
    return tuple(textwrap.wrap(name, 30, max_lines=3, placeholder=" …"))


def _box(x: int, y: int, item: Related) -> Node:
    name, url, stance, voice = item
    lines = [*_wrap(name), stance, *_wrap(voice)]
    height = 2 * PADDING + LINE_HEIGHT * len(lines)
    return Node(x, y, height, lines, len(_wrap(name)), _said(item), url, stance)


def _said(item: Related) -> str:
    name, _, stance, voice = item
    return f"{name}: {stance}, {voice}" if voice else f"{name}: {stance}"


def _column(x: int, items: list[Related]) -> list[Node]:
    nodes, y = [], 0
    for item in items:
        nodes.append(_box(x, y, item))
        y += nodes[-1].height + GAP
    return nodes


def stance_diagram(subject: str, related: Iterable[Related], narrow: bool = False) -> Diagram:
    """`related`: (name, url, stance, voice) of each actor (or demand) with a stance on the
    subject; voice is "according to …", or "" where the source says it in its own voice."""
    items = list(related)
    if narrow:
        return _one_column(subject, items)
    left = _column(COLUMNS[0], [i for i in items if i[2] in LEFT_STANCES])
    right = _column(COLUMNS[2], [i for i in items if i[2] not in LEFT_STANCES])
    center_height = 2 * PADDING + LINE_HEIGHT * len(_wrap(subject))
    height = max(center_height, *(n.y + n.height for n in left + right)) if items else 0
    center = Node(
        COLUMNS[1],
        (height - center_height) // 2,
        center_height,
        list(_wrap(subject)),
        len(_wrap(subject)),
        subject,
        "",
        "subject",
    )
    mid = center.y + center.height // 2
    edges = [Edge(n.x + BOX_WIDTH, n.y + n.height // 2, center.x, mid, n.stance) for n in left]
    edges += [Edge(center.x + BOX_WIDTH, mid, n.x, n.y + n.height // 2, n.stance) for n in right]
    description = "; ".join(n.title for n in left + right)
    return Diagram(WIDTH, height, center, left + right, edges, f"{subject}. {description}.")


def _one_column(subject: str, items: list[Related]) -> Diagram:
    """For it, above; the subject; against, below: every box full width, joined by edges."""
    for_it = [i for i in items if i[2] in LEFT_STANCES]
    against = [i for i in items if i[2] not in LEFT_STANCES]
    above = _column(0, for_it)
    top = (above[-1].y + above[-1].height + 2 * GAP) if above else 0
    center_height = 2 * PADDING + LINE_HEIGHT * len(_wrap(subject))
    center = Node(
        0, top, center_height, list(_wrap(subject)), len(_wrap(subject)), subject, "", "subject"
    )
    below = [n._replace(y=n.y + top + center_height + 2 * GAP) for n in _column(0, against)]
    middle = BOX_WIDTH // 2
    edges = [Edge(middle, n.y + n.height, middle, center.y, n.stance) for n in above]
    edges += [Edge(middle, center.y + center.height, middle, n.y, n.stance) for n in below]
    height = max([center.y + center.height, *(n.y + n.height for n in below)])
    description = "; ".join(n.title for n in above + below)
    return Diagram(BOX_WIDTH, height, center, above + below, edges, f"{subject}. {description}.")
