"""The editor's loop: from saving an edited data file to the served page showing the change.

    python -m bench.edit_loop PROJECT [--repeat 3]

Runs `make serve`'s command (`mkdocs serve --dirty --no-strict`) in PROJECT (a copy of the
project with its data/, as `bench.benchmark` makes), waits for its first build, then for each
kind of edit saves a changed demand file and times how long until the demand's page, fetched
over HTTP as a browser would, shows the change; then puts the file back and waits until the
server is idle again (its background work, data.json and the search index, done). Prints and
returns the median seconds of each kind of edit, and the server's CPU seconds for them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
AFTER_BUILD = "data.json and the search are up to date"  # the server's word: idle again
LIVERELOAD = re.compile(rb"livereload\(\d+, \d+\)")  # the server's script, new on each request


def _fact(text: str) -> str:
    return text.replace("text: ", "text: Edited in the benchmark, ", 1)


def _stance(text: str) -> str:
    found = re.search(r"stance: (\w+)", text)
    assert found, "the benchmark's demand has no stance"
    other = "rejects" if found[1] != "rejects" else "supports"
    return text.replace(found[0], f"stance: {other}", 1)


EDITS: dict[str, Callable[[str], str]] = {"fact": _fact, "stance": _stance}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _page(url: str) -> bytes:
    """The page as served, less the part the server changes on every request."""
    return LIVERELOAD.sub(b"", urllib.request.urlopen(url, timeout=120).read())


def _cpu(pid: int) -> float:
    """The server's CPU seconds so far (user and system), with its reaped children's."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


class Server:
    def __init__(self, project: Path) -> None:
        self.port = _free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (open while it serves; stop() closes)
        command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict"]
        self.process = subprocess.Popen(
            [*command, "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=ENV,
        )
        self.base = f"http://127.0.0.1:{self.port}/"

    def said(self, words: str) -> int:
        self.log.seek(0)
        return self.log.read().decode(errors="replace").count(words)

    def wait_idle(self, builds: int, seconds: float = 1800) -> None:
        """Until the server has said AFTER_BUILD `builds` times."""
        deadline = time.monotonic() + seconds
        while self.said(AFTER_BUILD) < builds:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.log.seek(0)
                sys.exit(f"mkdocs serve stopped or hung:\n{self.log.read().decode()[-4000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=30)
        self.log.close()


def _changed(url: str, before: bytes, seconds: float = 600) -> float:
    """Seconds until the page at `url` differs from `before`."""
    started = time.perf_counter()
    while _page(url) == before:
        if time.perf_counter() - started > seconds:
            raise TimeoutError(f"{url} never changed")
        time.sleep(0.05)
    return time.perf_counter() - started


def measure(project: Path, repeat: int = 3) -> dict[str, dict[str, float]]:
    """Median seconds from saving an edit to its page showing it, and the server's CPU."""
    demand = sorted((project / "data" / "demands").glob("*.yml"))[len(EDITS)]
    server = Server(project)
    url = f"{server.base}demands/{demand.stem}/"
    results: dict[str, dict[str, float]] = {}
    try:
        server.wait_idle(1)
        original = demand.read_text(encoding="utf-8")
        for name, change in EDITS.items():
            walls, cpus = [], []
            for _ in range(repeat):
                before, cpu = _page(url), _cpu(server.process.pid)
                done = server.said(AFTER_BUILD)
                demand.write_text(change(original), encoding="utf-8")
                walls.append(_changed(url, before))
                cpus.append(_cpu(server.process.pid) - cpu)
                server.wait_idle(done + 1)
                demand.write_text(original, encoding="utf-8")
                server.wait_idle(done + 2)
            results[name] = {
                "edit_shown_s": round(statistics.median(walls), 2),
                "edit_cpu_s": round(statistics.median(cpus), 2),
            }
    finally:
        server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure(args.project, args.repeat), indent=1))


if __name__ == "__main__":
    main()
