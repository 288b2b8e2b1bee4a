"""The editors' commands and `make serve`'s bookkeeping on broken or hostile data: each problem
one line naming the file and a fix that fits, never a traceback, never a raw control character
on the terminal, within 5 s."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from macros import ledger, serve_mode, site_data
from macros.__main__ import main
from macros.incremental import Background
from macros.kinds import load
from macros.model.characters import shown
from macros.model.errors import InvalidData
from sitetools import ROOT

SOURCE = "data/sources/istanbul-round-2.txt"
ACTOR = "data/actors/russia.yml"
# What a terminal acts on: C0 and C1 controls but the line feed (bytes: C1 in UTF-8 is C2 xx).
RAW_CONTROL = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
COMMANDS = ("check data", "ids", "fact-ids", "links", "new demand new-demand", "new actor russia")


def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "published-links.json", tmp_path)
    return tmp_path


# Runs each command in turn in one process (one start-up for all), as `python -m macros` would,
# an escaping exception printed as the interpreter would print it.
DRIVER = """
import sys, traceback
from macros.__main__ import main
for command in sys.argv[1:]:
    print("$", command, flush=True)
    try:
        main(command.split())
    except SystemExit:
        pass
    except BaseException:
        traceback.print_exc()
    sys.stdout.flush(); sys.stderr.flush()
"""


def run(root: Path, *commands: str) -> tuple[bytes, float]:
    """The commands' output (both streams, as bytes: what reaches the terminal) and the
    time they took."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, *commands],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return result.stdout, time.perf_counter() - started


def source_line_with(characters: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / SOURCE
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[2] = lines[2][:5] + characters + lines[2][5:]
        path.write_text("\n".join(lines), encoding="utf-8")

    return change


def file_named(name: bytes, content: bytes = b"name: X\n") -> Callable[[Path], None]:
    def change(root: Path) -> None:
        with open(os.fsencode(root / "data" / "actors") + b"/" + name, "wb") as file:
            file.write(content)

    return change


# (case, how to make it, what `check` prints: the file and words of its message)
CASES: list[tuple[str, Callable[[Path], None], bytes]] = [
    ("osc-in-source-line", source_line_with("\x1b]0;owned\x07\x1b[2J"), b"txt:3:6: holds"),
    ("nul-in-source-line", source_line_with("\x00"), b"control character U+0000"),
    ("stx-etx-in-source-line", source_line_with("\x02quote\x03"), b"U+0002 (and 1 more"),
    ("csi-c1-in-source-line", source_line_with("\x9b2J"), b"U+009B"),
    ("esc-in-file-name", file_named(b"x\x1b]0;owned\x07.yml"), b"actors/x\\x1b]0;owned\\x07.yml"),
    ("file-name-not-utf8", file_named(b"\xff\xfe.yml"), b"data/actors/\\xff\\xfe.yml: "),
    ("content-not-utf8", file_named(b"bad.yml", b"name: \xff\n"), b"bad.yml: not UTF-8"),
    ("bidi-in-file-name", file_named("x\u202e.yml".encode()), b"data/actors/x\\u202e.yml"),
]


@pytest.mark.parametrize(("change", "said"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_no_command_prints_a_traceback_or_a_raw_control_character(tmp_path, change, said):
    root = project(tmp_path)
    change(root)
    output, seconds = run(root, *COMMANDS)
    assert b"Traceback" not in output, output.decode(errors="replace")
    assert not RAW_CONTROL.search(output), output
    output.decode("utf-8")  # never half a character, nor a raw byte of a file name
    assert said in output.split(b"$ ids")[0], output.decode(errors="replace")  # by `check`
    assert seconds < 4 * 5


def test_links_on_invalid_data_lists_the_problems_and_writes_nothing(tmp_path):
    root = project(tmp_path)
    (root / ACTOR).write_text("name: [\n", encoding="utf-8")
    before = (root / "published-links.json").read_bytes()
    output, _ = run(root, "links")
    assert output.decode().startswith(f"$ links\n{ACTOR}:"), output
    assert b"fix these first" in output and b"Traceback" not in output
    assert (root / "published-links.json").read_bytes() == before


def refuse_opening(monkeypatch, name: str, error: OSError) -> None:
    """os.open fails for one file as it would for another user (the tests run as root, whom
    `chmod 000` does not stop)."""
    real_open = os.open

    def opener(path, flags, *args, **kwargs):
        if os.fspath(path).endswith(name):
            raise error
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", opener)


def check_says(capsys, root: Path, *args: str) -> list[str]:
    assert main(["check", str(root / "data"), *args]) == 1
    captured = capsys.readouterr()
    return (captured.out + captured.err).splitlines()


def test_an_unreadable_file_is_named_with_chmod_as_its_fix(tmp_path, monkeypatch, capsys):
    root = project(tmp_path)
    denied = PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    refuse_opening(monkeypatch, "russia.yml", denied)
    lines = check_says(capsys, root)
    [line] = [line for line in lines if "russia.yml" in line]
    assert line.endswith(
        "russia.yml: cannot be read (permission denied): make it readable with chmod u+r"
    ), lines


def test_a_file_gone_while_it_is_read_is_named_not_blamed_on_links(tmp_path, monkeypatch, capsys):
    root = project(tmp_path)
    gone = FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT))
    refuse_opening(monkeypatch, "russia.yml", gone)
    lines = check_says(capsys, root)
    [line] = [line for line in lines if "russia.yml" in line]
    assert "was removed while data/ was read" in line and "link" not in line


def test_an_unreadable_folder_is_named_with_chmod_as_its_fix(tmp_path, monkeypatch, capsys):
    root = project(tmp_path)
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("demands"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    lines = check_says(capsys, root)
    assert "data/demands: cannot be read (permission denied): make it readable with chmod u+rx" in (
        lines
    )


def test_serve_fingerprints_data_while_files_come_and_go(tmp_path, monkeypatch):
    """An editor's temporary file listed, then gone before it is looked at; a folder that cannot
    be listed: the fingerprint is taken (it says "changed"), the load then says what is wrong."""
    root = project(tmp_path)
    temporary = root / "data" / "actors" / "russia.yml~"
    real_scandir = os.scandir

    class Listing(list):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def scandir(path="."):
        if os.fspath(path).endswith("rounds"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        temporary.write_text("x", encoding="utf-8")
        with real_scandir(path) as listing:
            entries = Listing(listing)
        temporary.unlink(missing_ok=True)
        return entries

    monkeypatch.setattr(os, "scandir", scandir)
    first = site_data._fingerprint(root / "data")
    assert first != site_data._fingerprint(root / "data")  # what cannot be looked at is a change


def test_a_failed_background_work_is_reported_and_the_next_one_still_runs():
    failures: list[Exception] = []
    ran = threading.Event()
    background = Background(failures.append)

    def fails() -> None:
        raise OSError("the site folder is gone")

    background.submit(fails)
    deadline = time.monotonic() + 5
    while not failures and time.monotonic() < deadline:
        time.sleep(0.01)
    background.submit(ran.set)
    assert ran.wait(5), "the background thread died with the first failure"
    assert [str(f) for f in failures] == ["the site folder is gone"]


def test_a_background_failure_is_logged_as_an_error_and_escaped(caplog):
    mode = serve_mode.DirtyServe()
    mode._failed(UnicodeEncodeError("utf-8", "\udcff", 0, 1, "surrogates"))
    assert "could not be written" in mode._stale and "\udcff" not in mode._stale
    assert any(r.levelname == "ERROR" for r in caplog.records)


def test_shown_escapes_what_a_terminal_would_act_on():
    assert (
        shown("a\x1b]0;t\x07b\tc\nd\x9b\u202e\udcff é")
        == "a\\x1b]0;t\\x07b\\x09c\\x0ad\\x9b\\u202e\\xff é"
    )


def test_problems_of_an_undecodable_file_name_can_be_written_for_serve(tmp_path):
    """`make serve` writes the problems into data-problems.json as UTF-8: a name's undecodable
    byte (a lone surrogate to Python) made the rebuild fail, and the server hang."""
    root = project(tmp_path)
    file_named(b"\xff.yml")(root)
    with pytest.raises(InvalidData) as refused:
        load(root / "data")
    shown_errors = [str(e) for e in refused.value.errors]
    assert "data/actors/\\xff.yml: the file name is the id" in shown_errors[0]
    json.dumps(shown_errors, ensure_ascii=False).encode("utf-8")


def test_a_file_system_error_no_check_foresaw_is_one_line(tmp_path, monkeypatch, capsys):
    """Such as published-links.json that `make links` may not write."""
    root = project(tmp_path)
    monkeypatch.chdir(root)

    def refused(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", "published-links.json")

    monkeypatch.setattr(ledger, "write", refused)
    assert main(["links"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "published-links.json: permission denied: give yourself access (chmod u+rw; u+rwx for a "
        "folder)"
    ]
