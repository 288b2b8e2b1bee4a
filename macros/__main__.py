"""`python -m macros check [DATA_DIR]`: check data/ without building the site.
`python -m macros schema [DIR]`: write the JSON Schema of every data file (default: schema/)."""

import sys
import time
from pathlib import Path

from macros.model import InvalidData, load_model
from macros.schema import write_schema_files


def main(argv: list[str]) -> int:
    command, *args = argv or [""]
    if command not in ("check", "schema") or len(args) > 1:
        print("usage: python -m macros check [DATA_DIR] | schema [DIR]", file=sys.stderr)
        return 2
    if command == "schema":
        write_schema_files(Path(args[0] if args else "schema"))
        return 0
    return check(Path(args[0] if args else "data"))


def check(data_dir: Path) -> int:
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
