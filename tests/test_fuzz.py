"""Fuzzing the loader: random mutations of the real data files, source texts and the ledger
(bytes, YAML and JSON constructs, unicode, control characters, line endings, long lines, deep
structures; files renamed, linked, hard-linked or turned into a folder or a FIFO) give a valid
model or a clean refusal naming a file, never a traceback, and quickly.

Bounded in `make test` (a fixed number of examples, derandomized); `make fuzz` runs it at length
(FUZZ_EXAMPLES, default 2,000 there)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros import ledger
from macros.model.errors import InvalidData
from sitetools import ROOT

OUTSIDE = Path(tempfile.gettempdir()) / "fuzz-outside.txt"  # a file the data must never read
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
DATA_FILES = [p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*") if p.is_file()]
FILES = sorted([*DATA_FILES, ledger.FILE])
YAML_PIECES = [
    "&a ",
    "*a",
    "!!str ",
    "!x ",
    "<<: {a: 1}\n",
    "? [a, b]\n: c\n",
    "---\n",
    "...\n",
    "[",
    "]",
    "{",
    "}",
    '"',
    "'",
    "\t",
    "\x00",
    "\x1b",
    "\x1b]0;title\x07",
    "\x02",
    "\x9b",
    "\x85",
    "\r\n",
    "\ufeff",
    "\u202e",
    "\u200b",
    "\\ud800",
    ": ",
    "- ",
    "#",
    "|\n",
    ">-\n",
    "~",
    "no",
    "1e999",
    "0x1F",
    "index",
    "\n" * 3,
    "  ",
    "a" * 300,
    "[" * 5000,
    "- " * 500,
    "\r\n",
    "\r",
    "\x02",
    "\x85",
    "\u2028",
    "x" * 100_000,
    "line\n" * 50_000,
    "<<<<<<< HEAD\n",
    '{"demands/x/": {"a": "b"}}',
    "[]",
    "null",
    '"x\\"><img src=x onerror=alert(1)>"',
]
mutation = st.one_of(
    st.tuples(st.just("bytes"), st.binary(min_size=1, max_size=40)),
    st.tuples(st.just("yaml"), st.sampled_from(YAML_PIECES)),
    st.tuples(st.just("text"), st.text(min_size=1, max_size=40)),
    st.tuples(st.just("truncate"), st.just(b"")),
    st.tuples(st.just("rename"), st.sampled_from(["Index.yml", "x.yaml", "index.yml", "a" * 250])),
    st.tuples(st.just("link"), st.sampled_from(["inside", "outside", "hard"])),
    st.tuples(st.just("kind"), st.sampled_from(["folder", "fifo", "dotfile"])),
)
# What must never reach a terminal or a page raw (a message's newline aside: there is none).
RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def mutate(data: Path, name: str, kind: str, piece: object, where: float) -> None:
    path = data.parent / name
    content = path.read_bytes()
    at = int(len(content) * where)
    if kind in ("bytes", "yaml", "text"):
        raw = piece if isinstance(piece, bytes) else str(piece).encode("utf-8", "surrogatepass")
        path.write_bytes(content[:at] + raw + content[at:])
    elif kind == "truncate":
        path.write_bytes(content[:at])
    elif kind == "rename":
        path.rename(path.with_name(str(piece)))
    elif kind == "link":
        target = data / "sources" / "istanbul-round-2.txt" if piece == "inside" else OUTSIDE
        path.unlink()
        path.hardlink_to(target) if piece == "hard" else path.symlink_to(target)
    elif kind == "kind":
        path.unlink()
        if piece == "folder":
            path.mkdir()
        elif piece == "fifo":
            os.mkfifo(path)
        else:
            path.with_name(f".{path.name}").write_bytes(content)


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(FILES), mutation, st.floats(0, 1)), min_size=1, max_size=3
    )
)
def test_mutated_data_loads_or_is_refused_cleanly(changes):
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(ROOT / "data", data)
        shutil.copy(ROOT / ledger.FILE, data.parent / ledger.FILE)
        OUTSIDE.write_text("SECRET\n", encoding="utf-8")
        for name, (kind, piece), where in changes:
            if (data.parent / name).is_file() and not (data.parent / name).is_symlink():
                mutate(data, name, kind, piece, where)
        started = time.perf_counter()
        try:
            model = ledger.load_checked(data)
        except InvalidData as refused:
            for error in refused.errors:
                assert str(error).startswith(("data", ledger.FILE)), str(error)
                assert "SECRET" not in str(error)
                assert error.message and len(str(error)) < 1000, str(error)
                assert not RAW_CONTROL.search(str(error)), repr(str(error))
        else:  # what loads holds no control character a page would show (tabs aside)
            for source in model.sources.values():
                assert not any(RAW_CONTROL.search(line.replace("\t", "")) for line in source.lines)
        assert time.perf_counter() - started < 10, changes
