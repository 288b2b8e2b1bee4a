"""The time of loading data/ as `mkdocs serve` does after an edit: a fresh load, then a reload
through a `LoadCache` after each of a few edits of one demand file (restored at the end).

    .venv/bin/python -m bench.generate 4000 /tmp/x/data
    .venv/bin/python -m bench.reload /tmp/x/data
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from macros import ledger
from macros.model.load import LoadCache


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="a data/ folder (bench.generate makes one)")
    parser.add_argument("--edits", type=int, default=5, help="reloads to time")
    args = parser.parse_args()
    cache = LoadCache()
    wall, cpu = timed(lambda: ledger.load_checked(args.data, cache))
    print(f"fresh load: {wall:.3f} s wall, {cpu:.3f} s CPU")
    demand = sorted((args.data / "demands").glob("*.yml"))[0]
    original = demand.read_text(encoding="utf-8")
    try:
        for edit in range(args.edits):
            demand.write_text(original.replace("summary: ", f"summary: Edit {edit}. ", 1))
            wall, cpu = timed(lambda: ledger.load_checked(args.data, cache))
            print(
                f"reload after editing {demand.name}: {wall:.3f} s wall, {cpu:.3f} s CPU, "
                f"{len(cache.read)} file(s) read"
            )
    finally:
        demand.write_text(original, encoding="utf-8")


if __name__ == "__main__":
    main()
