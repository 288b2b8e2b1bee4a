"""`make serve` notices a save through inotify on a local Linux filesystem (macros/watcher.py),
and only a save: the build reads every data file, and a read must not start another build."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from macros import watcher


def _server(root: Path) -> LiveReloadServer:
    return LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(root))


def test_the_filesystem_is_the_mount_tables(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the mount table read is Linux's")
    said = subprocess.run(
        ["stat", "--file-system", "--format=%T", str(tmp_path)], capture_output=True, text=True
    ).stdout.strip()
    found = watcher.filesystem(tmp_path)
    # stat names a few types otherwise (ext2/ext3 for ext4, overlayfs for overlay)
    assert found and (found in said or said in found or said.startswith("ext")), (found, said)
    assert watcher.filesystem(Path("/proc/self")) == "proc"


def test_a_path_on_another_filesystem_keeps_mkdocs_polling(tmp_path: Path) -> None:
    server = _server(tmp_path)
    server.watch("/proc/self")
    assert not watcher.notified(server, ["/proc/self"])
    assert isinstance(server.observer, PollingObserver)


class _Seen(FileSystemEventHandler):
    def __init__(self) -> None:
        self.events: list[FileSystemEvent] = []
        self.any = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.events.append(event)
        self.any.set()


def test_a_save_is_noticed_and_a_read_is_not(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.yml").write_text("id: a\n", encoding="utf-8")
    server = _server(tmp_path)
    server.watch(str(data))
    if watcher.filesystem(tmp_path) not in watcher.LOCAL or not sys.platform.startswith("linux"):
        pytest.skip(f"{tmp_path} is not on a local Linux filesystem: MkDocs polls there")
    theme = tmp_path / "theme"  # not watched, as the theme is not without --watch-theme
    theme.mkdir()
    assert watcher.notified(server, [str(data), str(theme)])
    assert not isinstance(server.observer, PollingObserver)
    seen = _Seen()
    server.observer.schedule(seen, str(data), recursive=True)
    server.observer.start()
    try:
        (data / "a.yml").read_text(encoding="utf-8")
        time.sleep(0.3)
        assert not seen.events, "reading a data file would start a build"
        (data / "a.yml").write_text("id: b\n", encoding="utf-8")
        assert seen.any.wait(5), "a save went unnoticed"
    finally:
        server.observer.stop()
        server.observer.join()
