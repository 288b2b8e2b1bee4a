"""The tests' own machinery: the real site built once for every test process, and never reused
for a tree that changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from sitetools import ROOT, TESTS, copy_project, locked, tree_key


def test_the_shared_build_is_keyed_by_every_file_it_reads_and_its_environment(tmp_path):
    project = copy_project(tmp_path / "project")
    key = tree_key({}, project)
    assert tree_key({}, project) == key
    assert tree_key({"SITE_URL": "https://x.example/"}, project) != key
    demand = project / "data" / "demands" / "army-size-limit.yml"
    text = demand.read_text(encoding="utf-8")
    demand.write_text(text.replace("kind:", "kind: ", 1), encoding="utf-8")  # one byte more
    assert tree_key({}, project) != key
    demand.write_text(text, encoding="utf-8")
    assert tree_key({}, project) == key
    (project / "macros" / "new.py").write_text("", encoding="utf-8")  # a new file, empty
    assert tree_key({}, project) != key
    (project / "macros" / "new.py").unlink()
    shutil.rmtree(project / "overrides")
    assert tree_key({}, project) != key
    os.symlink(ROOT / "overrides", project / "overrides")  # a link is not its target's copy
    assert tree_key({}, project) != key


def test_a_compiled_file_does_not_change_the_key(tmp_path):
    project = copy_project(tmp_path / "project")
    key = tree_key({}, project)
    (project / "macros" / "__pycache__").mkdir(exist_ok=True)
    (project / "macros" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert tree_key({}, project) == key


HOLD = """
import sys, time
sys.path[:0] = [{tests!r}]
from pathlib import Path
from sitetools import locked
with locked(Path({path!r})) as held:
    print(held, flush=True)
    sys.stdin.read()
"""


def test_the_build_lock_is_held_by_one_process_at_a_time(tmp_path):
    lock = tmp_path / "site.lock"
    with locked(lock, wait=False) as held:
        assert held
        with locked(lock, wait=False) as again:  # even from the same process
            assert not again
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD.format(tests=str(TESTS), path=str(lock))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout.readline().strip() == "True"
        with locked(lock, wait=False) as held:
            assert not held
    finally:
        other.communicate("")
    with locked(lock, wait=False) as held:
        assert held
