"""`python -m macros check [DATA_DIR]`: check data/ without building the site."""

import sys
import time
from pathlib import Path

from macros.model import InvalidData, load_model


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "check" or len(argv) > 2:
        print("usage: python -m macros check [DATA_DIR]", file=sys.stderr)
        return 2
    data_dir = Path(argv[1] if len(argv) > 1 else "data")
    started = time.perf_counter()
    try:
        model = load_model(data_dir)
    except InvalidData as e:
        print(e, file=sys.stderr)
        print(f"{len(e.errors)} problem(s) in {data_dir}/", file=sys.stderr)
        return 1
    counts = ", ".join(
        f"{len(model.entities(k))} {k}" for k in ("sources", "actors", "demands", "rounds")
    )
    print(f"{data_dir}/ is valid: {counts} ({time.perf_counter() - started:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
