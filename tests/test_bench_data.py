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
