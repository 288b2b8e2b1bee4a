"""Hostile or broken data, each case an attack once tried on the loader: refused with one line
naming the file and the fix, never a traceback, quickly, and nothing outside data/ is read."""

from __future__ import annotations

import difflib
import errno
import json
import os
import random
import resource
import shutil
import string
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from markdown.extensions.toc import slugify

from macros.kinds import load
from macros.model import checks, voice
from macros.model.citations import LOOKED_AT, NEARBY, LineIndex, citation_problem
from macros.model.errors import CANDIDATES, InvalidData, did_you_mean
from macros.model.limits import (
    MAX_FILE_BYTES,
    MAX_FRAMES_PER_LINE,
    MAX_ID_LENGTH,
    MAX_LINE_LENGTH,
    MAX_SOURCE_LINES,
    MAX_TEXT_LENGTH,
    size,
)
from macros.model.schema import Citation
from sitetools import ROOT

ACTOR = "data/actors/russia.yml"
DEMAND = "data/demands/army-size-limit.yml"
ROUND = "data/rounds/round-2.yml"
SOURCE_TEXT = "data/sources/istanbul-round-2.txt"
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


def hard_linked_text(root: Path) -> None:
    """A source whose text is a second name of a file outside data/ (`ln`, not `ln -s`)."""
    os.link(secret_outside(root), root / "data" / "sources" / "leak.txt")
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


def first_stance(root: Path) -> tuple[str, str]:
    """(actor, id) of DEMAND's first stance: a relation that its actor's page shows too."""
    stance = yaml.safe_load((root / DEMAND).read_text(encoding="utf-8"))["stances"][0]
    return stance["actor"], stance["id"]


def first_fact_id(root: Path, name: str) -> str:
    return yaml.safe_load((root / name).read_text(encoding="utf-8"))["facts"][0]["id"]


def refact(name: str, new_id: Callable[[Path], str]) -> Callable[[Path], None]:
    """Give the first fact of `name` the id `new_id` makes from the data."""
    return lambda root: replace(name, f"id: {first_fact_id(root, name)}", f"id: {new_id(root)}")(
        root
    )


def stance_id_on_actor_fact(root: Path) -> None:
    """An actor's fact takes the id of a stance (in a demand's file) its page shows."""
    actor, stance_id = first_stance(root)
    refact(f"data/actors/{actor}.yml", lambda _: stance_id)(root)


def stance_id_on_delegation(root: Path) -> None:
    """A delegation (a round's file) takes the id of a stance (a demand's file) of the same
    actor: the actor's page shows both."""
    actor, stance_id = first_stance(root)
    text = (root / ROUND).read_text(encoding="utf-8")
    for delegation in yaml.safe_load(text)["delegations"]:
        if actor in (delegation["actor"], delegation.get("led_by"), delegation.get("team")):
            replace(ROUND, f"id: {delegation['id']}", f"id: {stance_id}")(root)
            return
    raise AssertionError(f"no delegation of {actor} in {ROUND}: update this test to the data")


def withdraw(name: str, *ids: str) -> Callable[[Path], None]:
    """Add withdrawn entries to `name`, under its `withdrawn:` if it has one."""

    def change(root: Path) -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        entries = "".join(f"  - {{id: {i}, date: 2025-06-03, reason: Wrong.}}\n" for i in ids)
        if "\nwithdrawn:\n" in text:
            path.write_text(text.replace("\nwithdrawn:\n", f"\nwithdrawn:\n{entries}"), "utf-8")
        else:
            path.write_text(f"{text}withdrawn:\n{entries}", encoding="utf-8")

    return change


def grown(name: str, size: int) -> Callable[[Path], None]:
    """The file made `size` bytes long, sparse (its new part takes no disk and no time)."""

    def change(root: Path) -> None:
        os.truncate(root / name, size)

    return change


def withdrawn_stance_id(root: Path) -> None:
    """An actor's page withdraws the id of a stance it still shows."""
    actor, stance_id = first_stance(root)
    withdraw(f"data/actors/{actor}.yml", stance_id)(root)


def title_slug(root: Path) -> str:
    """The id the page's title heading has (the toc extension's slug of it)."""
    return slugify(yaml.safe_load((root / ACTOR).read_text(encoding="utf-8"))["name"], "-")


def twice_framed_span(root: Path) -> None:
    """A frame whose span stands twice on its line: which words it frames cannot be told."""
    source = root / "data/sources/istanbul-round-2"
    lines = (source.with_suffix(".txt")).read_text(encoding="utf-8").split("\n")
    number, word = next(
        (n, w)
        for n, line in enumerate(lines, 1)
        for w in line.split()
        if len(w) > 3 and line.count(w) > 1
    )
    append(
        "data/sources/istanbul-round-2.yml",
        f"  - {{line: {number}, span: {word!r}, according_to: [russia]}}\n",
    )(root)


def quote_in_two_voices(root: Path) -> None:
    """A line where the same words stand in the text's voice, then in Putin's (framed): a fact
    quoting them in no one's voice must not pass on the strength of the first place."""
    text = root / "data/sources/istanbul-round-2.txt"
    lines = text.read_text(encoding="utf-8").removesuffix("\n").split("\n")
    line = "Crowds called for an end to the war; Putin said he too wanted an end to the war."
    text.write_text("\n".join([*lines, line]) + "\n", encoding="utf-8")
    append(
        SOURCE_META,
        f"  - {{line: {len(lines) + 1}, span: he too wanted an end to the war., "
        "according_to: [vladimir-putin]}\n",
    )(root)
    append(
        DEMAND,
        "  - id: an-end-to-the-war\n    text: An end to the war.\n    cite: [{source: "
        f"istanbul-round-2, line: {len(lines) + 1}, quote: an end to the war}}]\n",
    )(root)


def look_alike_actor(name: Callable[[str], str]) -> Callable[[Path], None]:
    """A second actor whose name reads as ACTOR's."""

    def change(root: Path) -> None:
        text = (root / ACTOR).read_text(encoding="utf-8").partition("\nwithdrawn:")[0] + "\n"
        old = yaml.safe_load(text)["name"]
        write(LOOK_ALIKE, text.replace(f"name: {old}", f"name: {json.dumps(name(old))}", 1))(root)

    return change


def first_quote_cut(root: Path) -> None:
    """DEMAND's first quote cut to its first letter, which stands on nearly every line."""
    quote = yaml.safe_load((root / DEMAND).read_text(encoding="utf-8"))["stances"][0]["cite"][0]
    replace(DEMAND, f"quote: {quote['quote']}", f"quote: {quote['quote'][0]}")(root)


def fifo(name: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        os.mkfifo(root / name)

    return change


LOOK_ALIKE = "data/actors/russia2.yml"  # after ACTOR, which is the first
SOURCE_META = "data/sources/istanbul-round-2.yml"
SOURCE = "data/sources/istanbul-round-2"
FRAME_LINE = 14  # a line of SOURCE, with a reporting word (so with frames already)


def frames(count: int) -> Callable[[Path], None]:
    """`count` more frames on one line of SOURCE: the same own-voice span again and again."""
    frame = f"  - line: {FRAME_LINE}\n    span: Medinsky also said\n    own_voice: true\n"
    return replace(f"{SOURCE}.yml", "frames:\n", "frames:\n" + frame * count)


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

# (case, how to make it, the file the message names, words it holds)
CASES: list[tuple[str, Callable[[Path], None], str, str]] = [
    ("symlinked-source-text", linked_text, "data/sources/leak.txt", "symbolic link"),
    ("hard-linked-source-text", hard_linked_text, "data/sources/leak.txt", "hard link"),
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
    ("same-stance-twice", lambda root: duplicate_first_stance(root), DEMAND, "repeats stances[0]"),
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
    ("source-escape", append(SOURCE_TEXT, "\x1b]0;owned\x07\n"), SOURCE_TEXT, "U+001B"),
    ("source-nul", append(SOURCE_TEXT, "a\x00b\n"), SOURCE_TEXT, "U+0000"),
    ("source-c1-csi", append(SOURCE_TEXT, "\x9b2J\n"), SOURCE_TEXT, "U+009B"),
    ("source-crlf", append(SOURCE_TEXT, "end\r\n"), SOURCE_TEXT, "LF line endings"),
    ("long-wrong-quote", long_quote_against_long_line, DEMAND, "follows the line for"),
    # Anchors: one statement per id on every page that shows it.
    ("id-of-a-heading", refact(DEMAND, lambda _: "facts"), DEMAND, "heading"),
    ("id-of-the-title", refact(ACTOR, title_slug), ACTOR, "the page's title"),
    ("id-of-a-relation-shown-here", stance_id_on_actor_fact, DEMAND, "shows both"),
    ("two-relations-one-id", stance_id_on_delegation, ROUND, "shows both"),
    ("withdrawn-id-still-shown", withdrawn_stance_id, DEMAND, "withdrawn id is never reused"),
    (
        "withdrawn-twice",
        withdraw(ACTOR, "gone", "gone"),
        ACTOR,
        "withdrawn id once",
    ),
    (
        "withdrawn-heading",
        withdraw(ACTOR, "withdrawn"),
        ACTOR,
        "heading",
    ),
    ("span-twice-on-its-line", twice_framed_span, SOURCE_META, "occurs more than once"),
    ("quote-in-two-voices", quote_in_two_voices, DEMAND, "stands more than once"),
    # Smaller ones.
    ("published-zero", append(SOURCE_META, "published: 0\n"), SOURCE_META, "YYYY-MM-DD"),
    ("published-epoch", append(SOURCE_META, "published: 1748822400\n"), SOURCE_META, "YYYY-MM-DD"),
    (
        "withdrawn-date-number",
        replace(ACTOR, "date: 2026-11-25", "date: 0"),
        ACTOR,
        "YYYY-MM-DD",
    ),
    (
        "windows-device-file",
        write("data/actors/con.yml", "name: Con\n"),
        "data/actors/con.yml",
        "Windows",
    ),
    (
        "windows-device-com1",
        write("data/demands/com1.yml", "title: C\n"),
        "data/demands/com1.yml",
        "Windows",
    ),
    ("windows-device-former-id", append(ACTOR, "formerly: [nul]\n"), ACTOR, "Windows"),
    (
        "look-alike-cyrillic",
        look_alike_actor(lambda n: n.replace("s", "\u0455")),
        LOOK_ALIKE,
        "reads the same",
    ),
    ("look-alike-case", look_alike_actor(str.upper), LOOK_ALIKE, "reads the same"),
    (
        "fullwidth-name",
        look_alike_actor(lambda n: "\uff32" + n[1:]),
        LOOK_ALIKE,
        "compatibility forms",
    ),
    (
        "soft-hyphen-name",
        look_alike_actor(lambda n: n[:2] + "\u00ad" + n[2:]),
        LOOK_ALIKE,
        "U+00AD",
    ),
    (
        "hidden-file",
        write("data/demands/.draft.yml", "title: x\n"),
        "data/demands/.draft.yml",
        "hidden",
    ),
    ("hidden-folder", write("data/.drafts/x.yml", "title: x\n"), "data/.drafts", "hidden"),
    (
        "one-letter-quote",
        first_quote_cut,
        DEMAND,
        "too short",
    ),
    ("fifo", fifo("data/demands/pipe.yml"), "data/demands/pipe.yml", "not a regular file"),
    (
        "folder-among-files",
        write("data/demands/sub/x.yml", "title: x\n"),
        "data/demands/sub",
        "a folder",
    ),
    (
        "5000-digit-line",
        replace(DEMAND, "line: 19", "line: " + "9" * 5000),
        DEMAND,
        "too long to be a line",
    ),
    ("text-of-1-gb", grown(f"{SOURCE}.txt", 10**9 + 1), f"{SOURCE}.txt", "the limit is 2 MB"),
    ("yaml-of-3-mb", grown(DEMAND, MAX_FILE_BYTES + 10**6), DEMAND, "is 3 MB; the limit is 2 MB"),
    (
        "line-too-long",
        append(f"{SOURCE}.txt", "\n" + "x" * (MAX_LINE_LENGTH + 1) + "\n"),  # after line 25
        f"{SOURCE}.txt:26:1",
        f"line 26 is {MAX_LINE_LENGTH + 1:,} characters long; the limit is {MAX_LINE_LENGTH:,}",
    ),
    (
        "too-many-lines",
        append(f"{SOURCE}.txt", "More.\n" * MAX_SOURCE_LINES),
        f"{SOURCE}.txt",
        f"lines; the limit is {MAX_SOURCE_LINES:,}: split the source",
    ),
    (
        "text-too-long",
        replace(ACTOR, "name: Russia", f"name: Russia{' and more' * 500}"),
        ACTOR,
        f"name: is 4,506 characters long: shorten it to at most {MAX_TEXT_LENGTH:,}",
    ),
    (
        "frames-on-a-line",
        frames(MAX_FRAMES_PER_LINE + 1),
        f"{SOURCE}.yml",
        f"more than {MAX_FRAMES_PER_LINE} frames",
    ),
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


def test_an_unreadable_file_is_to_be_made_readable_not_unlinked(tmp_path, monkeypatch):
    """Permissions do not bind root (which runs the tests), so the refusal is made here."""
    denied = str(tmp_path / DEMAND)
    real_open = os.open

    def deny(path, flags, *args, **kwargs):
        if str(path) == denied:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, flags, *args, **kwargs)

    def change(root: Path) -> None:
        monkeypatch.setattr(os, "open", deny)

    messages, _ = refuse(tmp_path, change)
    message = next(m for m in messages if m.startswith(DEMAND))
    assert "chmod" in message and "link" not in message, message


# The checks' cost: linear in the data, plus a bounded amount per problem. Counted, not timed.


def test_did_you_mean_compares_a_bounded_number_of_ids(monkeypatch):
    rng = random.Random(1)
    known = {"".join(rng.choices(string.ascii_lowercase, k=8)) + "-delegation" for _ in range(5000)}
    wanted = sorted(known)[1234]
    compared: list[int] = []
    real = difflib.get_close_matches

    def counted(word, possibilities, *args, **kwargs):
        compared.append(len(possibilities))
        return real(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    for typo in (wanted[:-1] + "x", wanted[1:], wanted[:3] + wanted[4:]):
        assert did_you_mean(typo, known) == f" (did you mean '{wanted}'?)"
    assert max(compared) <= CANDIDATES


class CountedLines(tuple):
    """A source's lines that count how many times a line is read."""

    reads = 0

    def __getitem__(self, index):
        CountedLines.reads += 1
        return super().__getitem__(index)

    def __iter__(self):
        for line in super().__iter__():
            CountedLines.reads += 1
            yield line


def test_a_wrong_quote_reads_a_bounded_number_of_lines():
    lines = CountedLines(f"Line {n} says little about anything." for n in range(1, 20_001))
    sources, index = {"long": lines}, LineIndex({"long": lines})
    CountedLines.reads = 0
    for n in range(1, 20_000, 200):  # 100 wrong quotes: quite wrong, or on another line
        wrong = Citation(source="long", line=n, quote=f"Line {n} says much about")
        assert "closest text" in citation_problem(wrong, sources, index).message
        moved = Citation(source="long", line=n, quote=f"Line {20_000 - n} says little")
        assert f"(found on line {20_000 - n})" in citation_problem(moved, sources, index).message
    # One pass to index the source's words, then a bounded number of lines per wrong quote.
    assert CountedLines.reads <= len(lines) + 200 * (2 * NEARBY + 1 + LOOKED_AT + 2)


def test_frames_on_a_line_are_compared_a_bounded_number_of_times(tmp_path, monkeypatch):
    compared = [0]
    real = voice._clash

    def counted(a, b):
        compared[0] += 1
        return real(a, b)

    monkeypatch.setattr(voice, "_clash", counted)
    messages, _ = refuse(tmp_path, frames(2000))
    assert any(f"more than {MAX_FRAMES_PER_LINE} frames" in m for m in messages)
    assert compared[0] < MAX_FRAMES_PER_LINE**2


def test_the_data_format_page_states_every_limit():
    page = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    limits = page[page.index("## Limits") : page.index("## Every field")]
    assert f"{size(MAX_FILE_BYTES)} ({MAX_FILE_BYTES:,} bytes)" in limits
    assert f"| {MAX_SOURCE_LINES:,} |" in limits and f"| {MAX_FRAMES_PER_LINE} |" in limits
    assert f"| {MAX_LINE_LENGTH:,} characters |" in limits
    assert f"| {MAX_TEXT_LENGTH:,} characters |" in limits
    assert f"| {MAX_ID_LENGTH} characters |" in limits


class CountedActors(dict):
    """Actors by id that count how many times one is looked up."""

    reads = 0

    def __getitem__(self, key):
        CountedActors.reads += 1
        return super().__getitem__(key)


def test_a_long_chain_of_affiliations_is_walked_once():
    """300 actors, each part of the next, the last part of the first: one loop, told once,
    each actor looked up a bounded number of times (not once for every actor on its chain)."""
    n = 300
    actors = CountedActors(
        (f"a{i}", SimpleNamespace(affiliation=SimpleNamespace(actor=f"a{(i + 1) % n}")))
        for i in range(n)
    )
    [error] = checks._check_relations(SimpleNamespace(rounds={}, actors=actors), "data")
    assert error.file == "data/actors/a0.yml" and "(a0 → a1 → a2 → " in error.message
    assert CountedActors.reads <= 2 * n


def test_an_unknown_source_among_thousands_gets_one_suggestion_not_the_list():
    sources = {f"report-{n}": ("A line.",) for n in range(1000)}
    wrong = Citation(source="report-1234", line=1, quote="A line.")
    problem = citation_problem(wrong, sources)
    assert problem and "(did you mean 'report-" in problem.message
    assert len(problem.message) < 200


def test_a_field_as_long_as_a_file_is_shown_cut(tmp_path):
    """Found by `make fuzz`: an unknown key of thousands of letters was printed whole."""
    messages, _ = refuse(tmp_path, append(ACTOR, f"{'x' * 1_000}: 1\n"))
    named = [m for m in messages if m.startswith(ACTOR)]
    assert named and all(len(m) < 600 for m in named), [m[:200] for m in named]
    assert any("unknown field" in m and "…" in m for m in named)
