"""What the history of data/ (macros/history.py: each statement's dates, the changes page, the
feed) costs, on a project given a few hundred commits of edits.

    python -m bench.history PROJECT [--commits 300]

`bench.benchmark` calls `measure` on its generated project after its own builds: the project,
given its commits, built with its history and without (its `.git` set aside), in turns, is what
the history adds. Reading it is timed apart, as `make serve` meets it: the first read (no
cache), a new process's read (the cache on disk), the read after one more commit (the state in
memory), and a read with HEAD unchanged, which is what each edit in the serve loop pays.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

COMMITS = 300  # "a few hundred commits" (issue 24)
EDITS_PER_COMMIT = 3  # facts whose wording a commit changes
START = 1_800_000_000  # the first commit's time (2027-01-15), one commit an hour after it
TEXT = re.compile(r"^(\s+(?:- )?text: )(.+)$", re.M)


def _git(project: Path, *args: str, when: int = START) -> None:
    stamp = f"@{when} +0000"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    env |= {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org"}
    env |= {"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


def _reworded(mark: str, match: re.Match[str]) -> str:
    return match[1] + match[2].rstrip(".") + mark


def make_history(project: Path, commits: int = COMMITS, seed: int = 1) -> None:
    """`project` as a git repository: its data committed, then `commits` commits that each
    reword a few facts (a plain word added: the data stays valid)."""
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "The data")
    files = sorted((project / "data").glob("*/*.yml"))
    files = [f for f in files if f.parent.name != "sources"]
    rng = random.Random(seed)
    for n in range(1, commits + 1):
        mark = f" (edit {n})."
        for path in rng.sample(files, EDITS_PER_COMMIT):
            text = path.read_text(encoding="utf-8")
            edited = TEXT.sub(functools.partial(_reworded, mark), text, count=1)
            path.write_text(edited, encoding="utf-8")
        _git(project, "commit", "-q", "-a", "-m", f"Edit {n}", when=START + 3600 * n)


def _timed(read: Callable[[], Any]) -> float:
    started = time.perf_counter()
    read()
    return round(time.perf_counter() - started, 3)


def read_times(project: Path) -> dict[str, float]:
    """The history read as a build and `make serve` read it, in seconds."""
    from macros.history import HistoryReader  # the snapshot's, on sys.path (bench.benchmark)

    shutil.rmtree(project / ".cache", ignore_errors=True)
    cold = _timed(lambda: HistoryReader().read(project))
    reader = HistoryReader()
    cached = _timed(lambda: reader.read(project))  # a new process: the cache on disk
    data = next((project / "data").glob("demands/*.yml"))
    data.write_text(data.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _git(project, "commit", "-q", "-a", "-m", "One more", when=START + 3600 * (COMMITS + 1))
    next_commit = _timed(lambda: reader.read(project))  # the state kept in memory
    unchanged = _timed(lambda: reader.read(project))  # each edit of the serve loop
    return {
        "history_cold_s": cold,
        "history_cached_s": cached,
        "history_next_commit_s": next_commit,
        "history_unchanged_s": unchanged,
    }


def measure(project: Path, build: Callable[[Path], Any], commits: int = COMMITS) -> dict[str, Any]:
    """The history's figures on `project`, with `build(project)` giving the run of a full build
    (its `cpu` and `seconds`): the same project built with its history and without (its `.git`
    set aside), in turns, the fastest of two each; the first build with history reads it cold,
    the second from its cache, as each build after it does."""
    make_history(project, commits)
    with_history, without = [], []
    for _ in range(2):
        with_history.append(build(project))
        without.append(_without_git(project, build))
    built = min(with_history, key=lambda run: run.cpu)
    bare = min(without, key=lambda run: run.cpu)
    return {
        "history_commits": commits,
        "history_build_s": round(built.seconds, 2),
        "history_build_cpu_s": round(built.cpu, 2),
        "history_share": round(built.cpu / bare.cpu - 1, 3),
        **read_times(project),
    }


def _without_git(project: Path, build: Callable[[Path], Any]) -> Any:
    aside = project.with_name(f"{project.name}.git-aside")
    (project / ".git").rename(aside)
    try:
        return build(project)
    finally:
        aside.rename(project / ".git")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path, help="a project with data/ and no .git")
    parser.add_argument("--commits", type=int, default=COMMITS)
    args = parser.parse_args()
    if (args.project / ".git").exists():
        raise SystemExit(f"{args.project} has a .git already: give a copy without one")
    make_history(args.project, args.commits)
    print(json.dumps({"history_commits": args.commits, **read_times(args.project)}))


if __name__ == "__main__":
    main()
