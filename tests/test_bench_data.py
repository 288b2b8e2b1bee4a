"""The benchmark's synthetic data passes every check, as an editor's data must: a check added to
the loader that the generator does not meet would stop `make bench` (it did, for names drawn
twice and quotes standing twice on a line)."""

from __future__ import annotations

from bench.generate import generate
from macros.kinds import load


def test_the_benchmarks_data_is_valid(tmp_path):
    generate(600, tmp_path / "data")  # big enough to draw names twice
    model = load(tmp_path / "data")
    assert len(model.actors) == 300 and model.timeline is not None


def test_the_benchmarks_history_is_commits_of_valid_data_that_the_history_reads(tmp_path):
    import subprocess

    from bench.history import make_history
    from macros.history import HistoryReader

    generate(60, tmp_path / "data")
    make_history(tmp_path, commits=4)
    log = subprocess.run(["git", "log", "--oneline"], cwd=tmp_path, capture_output=True, text=True)
    assert len(log.stdout.splitlines()) == 5
    load(tmp_path / "data")  # every commit's rewording keeps the data valid
    changed = [c for c in HistoryReader().read(tmp_path).changes if c.what == "changed"]
    assert len(changed) >= 4  # at least one statement reworded a commit
