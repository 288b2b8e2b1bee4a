"""Hostile or broken data, each case an attack once tried on the loader: refused with one line
naming the file and the fix, never a traceback, quickly, and nothing outside data/ is read."""

from __future__ import annotations

import os
import resource
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from macros.kinds import load
from macros.model.errors import InvalidData
from macros.model.limits import MAX_LINE_LENGTH
from sitetools import ROOT

ACTOR = "data/actors/russia.yml"
DEMAND = "data/demands/army-size-limit.yml"
ROUND = "data/rounds/round-2.yml"
SECRET = "SECRET=do-not-publish\n"


def append(name: str, text: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        with (root / name).open("a", encoding="utf-8") as file:
            file.write(text)

    return change


def replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}: update this test to the data"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def write(name: str, content: str | bytes) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return change


def link(name: str, target: Callable[[Path], Path]) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        path.symlink_to(target(root))

    return change


def secret_outside(root: Path) -> Path:
    outside = root / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "leak.txt").write_text(SECRET, encoding="utf-8")
    return outside / "leak.txt"


def linked_text(root: Path) -> None:
    """A source whose text is a link to a file outside data/, with metadata beside it."""
    link("data/sources/leak.txt", secret_outside)(root)
    write("data/sources/leak.yml", "title: Leak\n")(root)


def linked_folder(root: Path) -> None:
    """data/actors replaced by a link to a copy of itself elsewhere."""
    elsewhere = root / "elsewhere"
    shutil.copytree(root / "data" / "actors", elsewhere)
    shutil.rmtree(root / "data" / "actors")
    (root / "data" / "actors").symlink_to(elsewhere)


def dangling_timeline(root: Path) -> None:
    (root / "data" / "timeline.yml").unlink()
    (root / "data" / "timeline.yml").symlink_to(root / "nowhere.yml")


def long_quote_against_long_line(root: Path) -> None:
    """A long source line (within the limit) and a long wrong quote of it: diagnosed in a
    moment."""
    line = " ".join(f"word{i}" for i in range(2_000))
    assert len(line) <= MAX_LINE_LENGTH
    write("data/sources/long.txt", line + "\n")(root)
    write("data/sources/long.yml", "title: Long\n")(root)
    quote = line[1000:2000] + "X" + line[2001:3000]
    append(
        DEMAND,
        f"  - id: long\n    text: Long.\n    cite: [{{source: long, line: 1, quote: '{quote}'}}]\n",
    )(root)


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

# (case, how to make it, the file the message names, words it holds)
CASES: list[tuple[str, Callable[[Path], None], str, str]] = [
    ("symlinked-source-text", linked_text, "data/sources/leak.txt", "symbolic link"),
    ("symlinked-folder", linked_folder, "data/actors", "symbolic link"),
    ("dangling-timeline-link", dangling_timeline, "data/timeline.yml", "symbolic link"),
    ("timeline-is-a-folder", lambda root: timeline_folder(root), "data/timeline.yml", "file"),
    ("nul-byte", append(ACTOR, 'aliases: ["x\x00"]\n'), ACTOR, "U+0000"),
    ("control-character", append(ACTOR, "aliases: [x\x1by]\n"), ACTOR, "U+001B"),
    ("complex-key", append(ACTOR, "? [a, b]\n: c\n"), ACTOR, "as a key"),
    ("nesting-10000", append(ACTOR, "x: " + "[" * 10_000 + "\n"), ACTOR, "nested more"),
    ("nesting-100000", append(ACTOR, "x: " + "[" * 100_000 + "\n"), ACTOR, "nested more"),
    ("alias-bomb", write(ACTOR, BOMB), ACTOR, "an anchor"),
    ("python-tag", append(ACTOR, "x: !!python/object/apply:os.system [ls]\n"), ACTOR, "a tag"),
    ("lone-surrogate", replace(ACTOR, "name: Russia", 'name: "Russia\\ud800"'), ACTOR, "escape"),
    ("long-former-id", append(ACTOR, f"formerly: [{'a' * 300}]\n"), ACTOR, "at most 100"),
    ("long-file-name", write(f"data/actors/{'a' * 240}.yml", "name: A\n"), "data/actors/a", "100"),
    (
        "id-index",
        write("data/actors/index.yml", "name: Index\n"),
        "data/actors/index.yml",
        "reserved",
    ),
    ("former-id-index", append(ACTOR, "formerly: [index]\n"), ACTOR, "reserved"),
    (
        "affiliated-to-itself",
        replace("data/actors/rustem-umerov.yml", "actor: ukraine", "actor: rustem-umerov"),
        "data/actors/rustem-umerov.yml",
        "loop",
    ),
    ("same-stance-twice", lambda root: duplicate_first_stance(root), DEMAND, "already stances[0]"),
    (
        "speaker-twice",
        replace(
            "data/demands/unconditional-ceasefire.yml",
            "according_to: [rustem-umerov]",
            "according_to: [rustem-umerov, rustem-umerov]",
        ),
        "data/demands/unconditional-ceasefire.yml",
        "already",
    ),
    (
        "side-led-by-itself",
        replace(ROUND, "led_by: rustem-umerov", "led_by: ukraine"),
        ROUND,
        "cannot lead itself",
    ),
    (
        "invisible-name",
        replace(ACTOR, "name: Russia", 'name: "\\u200b\\u200d"'),
        ACTOR,
        "invisible",
    ),
    ("bidi-override", replace(ACTOR, "name: Russia", 'name: "Rus\\u202esia"'), ACTOR, "U+202E"),
    ("publisher-tilde-is-null", lambda root: None, "", ""),  # see its own test
    (
        "date-not-a-date",
        append("data/sources/istanbul-round-2.yml", "published: 2 June\n"),
        "data/sources/istanbul-round-2.yml",
        "YYYY-MM-DD",
    ),
    (
        "url-not-a-url",
        append("data/sources/istanbul-round-2.yml", "url: example.org\n"),
        "data/sources/istanbul-round-2.yml",
        "web address",
    ),
    ("float-line", replace(DEMAND, "line: 19", "line: 19.0"), DEMAND, "whole number"),
    ("long-wrong-quote", long_quote_against_long_line, DEMAND, "follows the line for"),
]


def timeline_folder(root: Path) -> None:
    (root / "data" / "timeline.yml").unlink()
    (root / "data" / "timeline.yml").mkdir()


def duplicate_first_stance(root: Path) -> None:
    path = root / DEMAND
    text = path.read_text(encoding="utf-8")
    start = text.index("stances:\n") + len("stances:\n")
    end = text.index("\n", text.index("quote:", start)) + 1  # the first stance's one citation
    path.write_text(text[:start] + text[start:end] + text[start:], encoding="utf-8")


def refuse(tmp_path: Path, change: Callable[[Path], None]) -> tuple[list[str], float]:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    change(tmp_path)
    started = time.perf_counter()
    with pytest.raises(InvalidData) as refused:
        load(tmp_path / "data")
    return [str(e) for e in refused.value.errors], time.perf_counter() - started


@pytest.mark.parametrize(
    ("change", "file", "words"),
    [c[1:] for c in CASES if c[2]],
    ids=[c[0] for c in CASES if c[2]],
)
def test_hostile_data_is_refused_naming_the_file_and_the_fix(tmp_path, change, file, words):
    messages, seconds = refuse(tmp_path, change)
    named = [m for m in messages if m.startswith(file)]
    assert named, "\n".join(messages)
    assert any(words in m for m in named), "\n".join(messages)
    assert all(": " in m and len(m) < 600 for m in messages), "\n".join(messages)
    assert not any(SECRET.strip() in m for m in messages)
    assert seconds < 20  # a generous bound: the benchmark, not this test, watches speed


def test_nothing_behind_a_link_is_ever_read(tmp_path, monkeypatch):
    """Even a link made between the scan and the read is not followed."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    leak = secret_outside(tmp_path)
    opened: list[str] = []
    real_open = os.open

    def spy(path, flags, *args, **kwargs):
        opened.append(str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    link("data/sources/leak.txt", lambda _: leak)(tmp_path)
    write("data/sources/leak.yml", "title: Leak\n")(tmp_path)
    with pytest.raises(InvalidData):
        load(tmp_path / "data")
    assert not any(p.endswith("leak.txt") for p in opened)


def test_a_tilde_means_no_value(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    append("data/sources/istanbul-round-2.yml", "publisher: ~\n")(tmp_path)
    model = load(tmp_path / "data")
    assert model.sources["istanbul-round-2"].meta.publisher is None


def test_an_alias_bomb_costs_little_memory(tmp_path):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    refuse(tmp_path, write(ACTOR, BOMB))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200
