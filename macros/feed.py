"""The Atom feed of the changes page (`/changes.xml`): one entry per commit that changed the
data, newest first, written with feedgen. No MkDocs here.

Entry ids are UUIDs drawn from the commit's id, so an entry keeps its id at every build and on
any host; the dates are the commits' (from git), never the build's clock.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from typing import NamedTuple

from feedgen.feed import FeedGenerator

FEED_ENTRIES = 50  # the latest commits the feed lists; the changes page lists them all
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "talks-facts:changes")
_EPOCH = datetime.datetime.fromtimestamp(0, datetime.UTC)  # an empty feed's date: no clock


class Entry(NamedTuple):
    commit: str
    moment: datetime.datetime
    title: str
    link: str  # where the change is listed on the changes page
    content: str  # HTML: the changes, each linked to where it stands now


def entry_id(commit: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, commit)}"


def atom(title: str, changes_url: str, feed_url: str, entries: Sequence[Entry]) -> str:
    """The feed's XML. `changes_url` and `feed_url` are absolute where the site's address is
    known, else from the site's root (which the feed's own address resolves)."""
    feed = FeedGenerator()
    feed.id(f"urn:uuid:{_NAMESPACE}")
    feed.title(title)
    feed.author({"name": title})
    feed.link(href=changes_url, rel="alternate", type="text/html")
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    feed.updated(entries[0].moment if entries else _EPOCH)
    for e in entries[:FEED_ENTRIES]:
        item = feed.add_entry(order="append")
        item.id(entry_id(e.commit))
        item.title(e.title)
        item.updated(e.moment)
        item.published(e.moment)
        item.link(href=e.link, rel="alternate", type="text/html")
        item.content(e.content, type="html")
    return feed.atom_str(pretty=True).decode("utf-8")


def counted(counts: dict[str, int]) -> str:
    """ "2 statements added, 1 changed": what a commit did, in a few words."""
    nouns = {"page added": "page", "page renamed": "page"}
    parts = []
    for what, n in counts.items():
        noun = nouns.get(what, "statement")
        verb = what.removeprefix("page ")
        parts.append(f"{n} {noun}{'s' if n != 1 else ''} {verb}")
    return ", ".join(parts) or "no change shown"
