"""Editors' commands, without building the site: `python -m macros --help`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from macros.data_format import write_schema_files
from macros.kinds import KINDS, load
from macros.model.errors import InvalidData


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser(
        "check", help="check data/ as the build does: every problem, with file, field and fix"
    )
    check_parser.add_argument("data_dir", nargs="?", default="data", type=Path)
    schema_parser = commands.add_parser(
        "schema", help="write the JSON Schema of every kind of data file"
    )
    schema_parser.add_argument("folder", nargs="?", default="schema", type=Path)
    args = parser.parse_args(argv)
    if args.command == "schema":
        write_schema_files(args.folder)
        return 0
    return check(args.data_dir)


def check(data_dir: Path) -> int:
    started = time.perf_counter()
    try:
        model = load(data_dir)
    except InvalidData as e:
        print(e, file=sys.stderr)
        print(f"{len(e.errors)} problem(s) in {data_dir}/", file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(model.entities(k.name))} {k.name}" for k in KINDS)
    print(f"{data_dir}/ is valid: {counts} ({time.perf_counter() - started:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
