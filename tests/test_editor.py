"""The editor's tools: `python -m macros` (check one file, ids, cite), `make help`, and `make serve`
showing the data's problems in the browser, then recovering by itself."""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from macros import ledger
from macros.kinds import load
from sitetools import ROOT, copy_project


def macros_command(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "macros", *args], cwd=cwd, capture_output=True, text=True
    )


def test_ids_lists_every_id_with_its_title(model):
    result = macros_command("ids", "actors")
    assert result.returncode == 0, result.stderr
    listed = dict(line.split(maxsplit=1) for line in result.stdout.splitlines()[1:])
    assert listed == {i: actor.name for i, actor in model.actors.items()}


def test_cite_prints_a_cite_entry_that_the_check_accepts(tmp_path):
    result = macros_command("cite", "FULL AND AND unconditional")
    assert result.returncode == 0, result.stderr
    assert "according_to: [rustem-umerov]" in result.stdout  # Umerov's words (the frames)
    shutil.copytree(ROOT / "data", tmp_path / "data")
    demand = tmp_path / "data" / "demands" / "army-size-limit.yml"
    entry = "\n".join("      " + line for line in result.stdout.splitlines())
    demand.write_text(
        demand.read_text(encoding="utf-8")
        + f"  - id: full-ceasefire\n    text: Full ceasefire.\n    according_to: [rustem-umerov]\n"
        f"    cite:\n{entry}\n",
        encoding="utf-8",
    )
    facts = load(tmp_path / "data").demands["army-size-limit"].facts
    assert facts[-1].cite[0].quote == "full and and unconditional"  # the source's own case


def test_cite_says_when_no_source_holds_the_words():
    result = macros_command("cite", "NATO membership")
    assert result.returncode == 1 and "no source line holds" in result.stderr


def test_cite_reads_no_source_over_the_size_limit(tmp_path):
    """A source text of 1 GB (sparse) is refused, naming the limit, not read whole."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    os.truncate(tmp_path / "data" / "sources" / "istanbul-round-2.txt", 10**9)
    result = macros_command("cite", "FULL AND AND unconditional", "--data", str(tmp_path / "data"))
    assert "istanbul-round-2.txt: the file is 1 GB; the limit is 2 MB" in result.stderr
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_check_of_one_file_reports_that_file_only(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    for name in ("actors/russia.yml", "demands/army-size-limit.yml"):
        path = tmp_path / "data" / name
        path.write_text(path.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    one = tmp_path / "data" / "demands" / "army-size-limit.yml"
    result = macros_command("check", str(one))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("data/demands/army-size-limit.yml:")
    assert "(and 1 in other files)" in lines[1]


@pytest.mark.parametrize("args", [["--help"], ["check", "-h"], ["cite", "--help"]])
def test_every_command_has_real_help(args):
    result = macros_command(*args)
    assert result.returncode == 0 and result.stdout.startswith("usage: python -m macros")


def test_make_lists_its_targets_by_default():
    result = subprocess.run(
        ["make", "--no-print-directory"], cwd=ROOT, capture_output=True, text=True
    )
    targets = re.findall(r"make (\w+)", result.stdout)
    assert {"serve", "build", "test", "check", "ids"} <= set(targets), result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def page_when(url: str, wanted: str, seconds: float = 60) -> str:
    """The page at `url` once it holds `wanted` (the server rebuilds after each save)."""
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):  # not serving yet
            page = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
        if wanted in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {wanted!r}; last:\n{page[:2000]}")


def test_serve_shows_the_problems_then_recovers_and_shows_a_new_fact_before_its_id(tmp_path):
    project = copy_project(tmp_path / "project")
    demand = project / "data" / "demands" / "army-size-limit.yml"
    good = demand.read_text(encoding="utf-8")
    demand.write_text(good.replace("kind: condition", "kind: wish"), encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--dirty",
            "--no-strict",
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    try:
        url = f"http://127.0.0.1:{port}/demands/"
        broken = html.unescape(page_when(url, "The data has problems"))
        assert "data/demands/army-size-limit.yml:3:1: kind: 'wish' is not allowed" in broken
        demand.write_text(good, encoding="utf-8")
        page_when(url, "Limit on the size of Ukraine")
        # A new fact, typed without its id: shown at once, without an anchor.
        cite = re.search(
            r"\nfacts:\n  - id: [^\n]+\n    text: [^\n]+\n(    cite:\n(?:      [^\n]+\n)+)", good
        )
        assert cite, "army-size-limit.yml's first fact: update this test to the data"
        added = good.replace(
            "\nfacts:\n", f"\nfacts:\n  - text: A fact typed just now.\n{cite[1]}", 1
        )
        demand.write_text(added, encoding="utf-8")
        page = page_when(f"{url}army-size-limit/", "A fact typed just now.")
        assert "The data has problems" not in page
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert "Traceback" not in stderr, stderr
    assert "army-size-limit.yml:3:1: kind: 'wish' is not allowed" in stderr
    assert "1 new statement(s) shown without an anchor" in stderr
    refused = subprocess.run(
        [sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "has no id" in refused.stdout + refused.stderr


NEW_DEMAND = """title: A new call
summary: A new call, for the test.
kind: call
facts:
  - id: new-call-fact
    text: A fact of the new call.
    cite:
      - {source: istanbul-round-2, line: 2, quote: unconditional ceasefire}
"""


def test_make_check_asks_for_new_links_to_be_recorded_as_make_test_does(tmp_path):
    """What `make test` wants of a new page (the ledger records it), `make check` says first."""
    project = copy_project(tmp_path / "project")
    (project / "data" / "demands" / "new-call.yml").write_text(NEW_DEMAND, encoding="utf-8")
    result = macros_command("check", cwd=project)
    assert result.returncode == 1
    assert "the new page /demands/new-call/ (with 1 anchor) is not yet in published-links.json" in (
        result.stderr
    )
    assert "run `make links`" in result.stderr
    assert macros_command("links", cwd=project).returncode == 0
    assert macros_command("check", cwd=project).returncode == 0
    assert not ledger.unrecorded(ledger.read(project), load(project / "data"))


def test_check_of_a_file_that_is_not_there_says_so_with_the_nearest_name(model):
    real = sorted(model.demands)[0]
    typo = f"data/demands/{real[:-1]}.yml"  # one letter short
    result = macros_command("check", typo)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{typo}: no such file")
    assert f"did you mean '{real}.yml'" in result.stderr and "problem(s)" not in result.stderr
