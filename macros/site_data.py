"""The data of a build: data/ and its ledger, loaded and checked, and loaded again only when a
file there changed (a `mkdocs serve` rebuild after an edit elsewhere reuses the model); and the
dates git gives the build (when data/ last changed, the last commit's time, and the history
of each statement: `history.py`)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError

from macros import ledger
from macros.history import History, HistoryReader
from macros.model.errors import DataError, InvalidData, MissingIds
from macros.model.load import LoadCache
from macros.model.store import Model


class SiteData:
    def __init__(self) -> None:
        self.serving = False  # under `serve`, invalid data does not stop the build
        self.problems: list[DataError] = []  # of the data, while serving
        self.changed = ""  # when data/ last changed, from git (YYYY-MM-DD), or ""
        self._loaded: tuple[tuple, Model] | None = None  # (data fingerprint, model)
        self._cache = LoadCache()  # what loading kept of each file, for the next load
        self.history = History.unavailable()  # of data/, from git, read up to HEAD
        self._history = HistoryReader()  # what it read, kept for the next build

    def load(self, project: Path) -> Model | None:
        """The model of the project's data/, loaded again only when a file there (or the
        ledger) changed. Invalid data stops a build; under `serve` the last valid model stays
        (None if there is none), and `problems` says what is wrong."""
        self.changed = _last_change(project, "data")
        self.history = self._history.read(project)
        data_dir, published = project / "data", project / ledger.FILE
        fingerprint = (_fingerprint(data_dir), published.exists() and published.stat().st_mtime_ns)
        if self._loaded is None or self._loaded[0] != fingerprint:
            try:
                model = ledger.load_checked(data_dir, self._cache if self.serving else None)
            except MissingIds as e:
                if not self.serving:
                    raise PluginError(f"data/ has {len(e.errors)} problem(s):\n{e}") from None
                print(_shown_without_ids(e.errors), file=sys.stderr)
                model = e.model
            except InvalidData as e:
                message = f"data/ has {len(e.errors)} problem(s):\n{e}"
                if not self.serving:
                    raise PluginError(message) from None
                print(f"{message}\nEvery page shows them until they are fixed.", file=sys.stderr)
                self.problems = e.errors
                return self._loaded[1] if self._loaded else None
            self.problems = []
            gc.unfreeze()  # the model of the last reload under `serve` may go now
            self._loaded = (fingerprint, model)
            gc.freeze()  # the model lives all build: spare the collector rescanning it
        return self._loaded[1]

    def published(self, project: Path) -> ledger.Ledger:
        """The ledger, for the older anchors. Broken, it stops a build; under `serve`, where
        `load` has reported it already, the pages go without its anchors until it is fixed."""
        try:
            return ledger.read(project)
        except InvalidData as e:
            if not self.serving:
                raise PluginError(f"{e}") from None
            return {}


def _shown_without_ids(errors: list[DataError]) -> str:
    where = "\n".join(f"  {e}" for e in errors)
    return (
        f"{len(errors)} new statement(s) shown without an anchor until they have an id:\n{where}\n"
        "Run `make fact-ids` before you commit: `make check` and the build ask for the ids."
    )


def _fingerprint(data_dir: Path) -> tuple:
    """Cheap to take: changes whenever any file in data/ (data/timeline.yml included) is
    added, removed or edited. A folder or file that cannot be looked at (unreadable, or an
    editor's temporary file gone meanwhile) counts as changed: the load then says what it is."""
    entries = _entries(str(data_dir))
    if entries is None:
        return (("", "unreadable", time.monotonic_ns()),)
    listed: list[tuple] = []
    for entry in entries:
        inside = _entries(entry.path) if entry.is_dir() else []
        if inside is None:
            listed.append((entry.path, "unreadable", time.monotonic_ns()))
        listed += filter(None, map(_stamp, [entry, *(inside or [])]))
    return tuple(sorted(listed))


def _entries(folder: str) -> list[os.DirEntry] | None:
    """The entries of a folder, or None where it cannot be listed."""
    try:
        with os.scandir(folder) as listing:
            return list(listing)
    except OSError:
        return None


def _stamp(entry: os.DirEntry) -> tuple | None:
    """A file's path, time and size; None for a folder."""
    try:
        if not entry.is_file():
            return None
        status = entry.stat()
    except OSError:  # gone since it was listed, or behind a folder that cannot be read
        return (entry.path, "gone", time.monotonic_ns())
    return (entry.path, status.st_mtime_ns, status.st_size)


def last_commit_time(project: Path) -> str:
    """The time of the project's last commit, in seconds: the date MkDocs puts in the sitemap
    and its gzip header, so that one commit builds the same site on any day. Outside git, ""."""
    return _git_log(project, "--format=%ct")


def _last_change(project: Path, folder: str) -> str:
    """The date (YYYY-MM-DD, UTC) of the last commit that changed `folder`; "" outside git."""
    return _git_log(project, "--format=%cd", "--date=format-local:%Y-%m-%d", "--", folder)


def _git_log(project: Path, *args: str) -> str:
    """What `git log -1 <args>` prints in `project`, or "" where git or its history is absent."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", *args],
            cwd=project,
            capture_output=True,
            text=True,
            env={**os.environ, "TZ": "UTC"},
        )
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""
