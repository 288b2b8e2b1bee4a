"""`make serve`'s file watcher: the kernel's notice of a save (inotify) where it can be trusted.

MkDocs watches by polling: every half second it lists and stats each watched file, so a save
waits a quarter of a second on average (up to half) before the build starts. It polls on purpose
(mkdocs/mkdocs#2477): where the files live on a host's disk shared into a container or on a
network mount, the host's saves send the container no notice. So the notice replaces polling
only on Linux, for a project on a local filesystem; everywhere else MkDocs polls as before.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.api import ObservedWatch

# Filesystems whose changes, whoever makes them, the kernel itself sees and announces.
LOCAL = {"ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "jfs", "zfs", "tmpfs", "overlay"}
# What a save does (in place, or written aside and renamed, or touched), not a read: the
# build reads every data file, and an opened file must not start another build.
CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
]


def filesystem(path: Path) -> str:
    """The type of the filesystem `path` is on (Linux's mount table), or "" if unknown."""
    try:
        mounts = Path("/proc/self/mountinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    target, best, kind = os.path.realpath(path), "", ""
    for line in mounts:
        fields, _, rest = line.partition(" - ")
        point = fields.split(" ")[4].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, rest.split(" ")[0]
    return kind


def notified(server: LiveReloadServer, paths: Iterable[str]) -> bool:
    """Watch `paths` (those MkDocs has watched so far) through inotify instead of polling,
    where every one is on a local filesystem; True if it does. The server has not started."""
    paths = [os.path.abspath(p) for p in paths if os.path.exists(p)]  # as MkDocs' are
    if not sys.platform.startswith("linux") or server.observer.is_alive():
        return False
    if not paths or any(filesystem(Path(p)) not in LOCAL for p in paths):
        return False
    from watchdog.observers.inotify import InotifyObserver

    class Saves(InotifyObserver):
        """MkDocs' handler rebuilds on any event: only a save's reach it."""

        def schedule(
            self,
            handler: FileSystemEventHandler,
            path: str | Path,
            *,
            recursive: bool = False,
            event_filter: list[type[FileSystemEvent]] | None = None,
            follow_symlink: bool = False,
        ) -> ObservedWatch:
            return super().schedule(
                handler,
                path,
                recursive=recursive,
                event_filter=CHANGES,
                follow_symlink=follow_symlink,
            )

    probe = Saves()  # inotify's watches are taken when it starts: the system limits them
    try:
        for path in paths:
            probe.schedule(FileSystemEventHandler(), path, recursive=True)
        probe.start()
    except OSError:  # the limit reached: poll, as MkDocs does
        return False
    finally:
        if probe.is_alive():
            probe.stop()
            probe.join()
    watched = []
    for path in paths:
        try:
            server.unwatch(path)
        except KeyError:  # not watched (the theme's folders, without --watch-theme)
            continue
        watched.append(path)
    server.observer = Saves()  # type: ignore[assignment]  # MkDocs types it as its poller
    for path in watched:
        server.watch(path)
    return True
