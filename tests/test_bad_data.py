"""Bad data never reaches a reader: each kind of mistake, made in a copy of the real data, is
refused with one line naming the file, the field and the fix (checked in-process, as `make check`
and the build load data); one real build proves that the build stops so, with no traceback."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from macros.kinds import load
from macros.model.errors import InvalidData
from sitetools import ROOT, build, copy_project

DEMAND = "data/demands/army-size-limit.yml"
ACTOR = "data/actors/russia.yml"
SOURCE = "data/sources/istanbul-round-2"


def edit(path: Path, pattern: str, replacement: str) -> None:
    """Replace the first match of `pattern`; fail loudly if the real data no longer has it."""
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert count, f"{pattern!r} not in {path}: update this test to the data"
    path.write_text(new, encoding="utf-8")


def first_quote(project: Path) -> tuple[int, str]:
    """The line and quote of the first citation in DEMAND."""
    text = (project / DEMAND).read_text(encoding="utf-8")
    line, quote = re.search(r"line: (\d+)\n\s+quote: (.+)", text).groups()
    return int(line), quote.strip().strip('"')


def write(name: str, content: str | bytes) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        path = project / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return change


def sub(name: str, pattern: str, replacement: str) -> Callable[[Path], None]:
    return lambda project: edit(project / name, pattern, replacement)


def quote_moved_a_line(project: Path) -> None:
    line, _ = first_quote(project)
    edit(project / DEMAND, rf"line: {line}\b", f"line: {line - 1}")


def source_changed(project: Path) -> None:
    line, quote = first_quote(project)
    lines = (project / f"{SOURCE}.txt").read_text(encoding="utf-8").split("\n")
    lines[line - 1] = lines[line - 1].replace(quote, quote.upper())
    (project / f"{SOURCE}.txt").write_text("\n".join(lines), encoding="utf-8")


def straight_quotes(project: Path) -> None:
    edit(project / DEMAND, r"quote: .*’.*", "quote: Other conditions include a ban on Ukraine's")


# (what is wrong, how to make it, what the message must say)
CASES: list[tuple[str, Callable[[Path], None], list[str]]] = [
    (
        "yaml-syntax",
        sub(DEMAND, r"^kind: (\w+)", r"kind: [\1"),
        [f"{DEMAND}:", "never closed"],
    ),
    (
        "duplicate-key",
        sub(DEMAND, r"^kind: .*$", "kind: condition\nkind: demand"),
        [DEMAND, "duplicate key 'kind'"],
    ),
    ("not-utf8", write(DEMAND, "title: Caf\xe9\n".encode("latin-1")), [DEMAND, "not UTF-8"]),
    ("empty-file", write(DEMAND, "  \n"), [DEMAND, "empty"]),
    (
        "id-not-a-slug",
        write("data/demands/Army_Size.yml", "title: x\n"),
        ["data/demands/Army_Size.yml", "lowercase letters, digits and hyphens"],
    ),
    (
        "ids-differ-in-case",
        write("data/actors/Russia.yml", "name: Russia\n"),
        ["data/actors/Russia.yml", "differs only in case from russia.yml"],
    ),
    (
        "unknown-actor",
        sub(DEMAND, r"actor: [\w-]+", "actor: atlantis"),
        [DEMAND, "stances[0].actor: no actor 'atlantis'", "data/actors/atlantis.yml"],
    ),
    (
        "unknown-source",
        sub(DEMAND, r"source: [\w-]+", "source: nowhere"),
        [DEMAND, ".cite[0].source: no source 'nowhere'"],
    ),
    (
        "fact-without-citation",
        sub(DEMAND, r"^facts:\n", "facts:\n  - text: Uncited.\n"),
        [DEMAND, "facts[0].cite: required field is missing"],
    ),
    (
        "empty-citation-list",
        sub(DEMAND, r"^facts:\n", "facts:\n  - text: Uncited.\n    cite: []\n"),
        [DEMAND, "facts[0].cite: must list at least 1"],
    ),
    ("line-zero", sub(DEMAND, r"line: \d+", "line: 0"), [DEMAND, ".line: line 0 does not exist"]),
    ("line-negative", sub(DEMAND, r"line: \d+", "line: -3"), [DEMAND, ".line: line -3 does not"]),
    (
        "line-past-the-end",
        sub(DEMAND, r"line: \d+", "line: 26"),
        [DEMAND, ".line: line 26 does not exist", "lines 1 to 25"],
    ),
    ("empty-quote", sub(DEMAND, r"quote: .*", 'quote: ""'), [DEMAND, ".quote: ", "empty"]),
    ("blank-quote", sub(DEMAND, r"quote: .*", 'quote: "   "'), [DEMAND, ".quote: ", "white space"]),
    (
        "quote-on-another-line",
        quote_moved_a_line,
        [DEMAND, ".quote: not found on line", "(found on line"],
    ),
    (
        "straight-for-curly-quote",
        straight_quotes,
        [DEMAND, ".quote: not found", "U+2019 RIGHT SINGLE QUOTATION MARK"],
    ),
    ("source-changed-after-citing", source_changed, [DEMAND, "cite[0].quote: not found on line"]),
    (
        "misspelt-field",
        sub(DEMAND, r"^facts:", "fatcs:"),
        [DEMAND, "fatcs: unknown field", "facts: required"],
    ),
    (
        "value-not-allowed",
        sub(DEMAND, r"stance: \w+", "stance: endorses"),
        [DEMAND, "stances[0].stance: 'endorses' is not allowed", "'made'"],
    ),
    ("wrong-type", sub(DEMAND, r"line: \d+", "line: seven"), [DEMAND, ".line: ", "whole number"]),
    (
        "missing-required-field",
        sub(ACTOR, r"^name: .*\n", ""),
        [ACTOR, "name: required field is missing"],
    ),
    (
        "stray-file",
        write("data/demands/notes.yaml", "title: x\n"),
        ["data/demands/notes.yaml", "unexpected file", "<id>.yml"],
    ),
    (
        "source-without-metadata",
        write("data/sources/orphan.txt", "A line.\n"),
        ["data/sources/orphan.txt", "no metadata", "orphan.yml"],
    ),
    ("top-level-not-a-mapping", write(DEMAND, "- just\n- a list\n"), [DEMAND, "mapping"]),
    (
        "windows-line-endings",
        write(f"{SOURCE}.txt", "One.\r\nTwo.\r\n"),
        [f"{SOURCE}.txt", "line endings"],
    ),
    (
        "redirect-clash",
        sub(ACTOR, r"^name:", "formerly: [ukraine]\nname:"),
        [ACTOR, "formerly[0]: 'ukraine' is already the id of actors/ukraine"],
    ),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_data_is_refused_with_a_clear_message(tmp_path, change, expected):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    change(tmp_path)
    with pytest.raises(InvalidData) as refused:
        load(tmp_path / "data")
    messages = [str(error) for error in refused.value.errors]
    text = "\n".join(messages)
    message = next(m for m in messages if m.startswith(expected[0]))
    for part in expected:
        assert part in text, f"{part!r} not in:\n{text}"
    assert re.match(r"[^:]+(:\d+:\d+)?: ", message), message  # file[:line:column]: what is wrong


def test_all_problems_are_reported_at_once(tmp_path):
    project = copy_project(tmp_path)
    chosen = {"missing-required-field", "unknown-source", "stray-file"}
    for name, change, _ in CASES:
        if name in chosen:
            change(project)
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "data/ has 3 problem(s)" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert re.search(r"^data/actors/russia.yml:\d+:\d+: name: required", result.stderr, re.M)


def test_make_check_prints_only_the_projects_own_lines(tmp_path):
    """No parser's own output (rapidyaml prints its errors in C++), no traceback: one line per
    problem in the editors' format, then the count."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    for name in ("yaml-syntax", "unknown-source", "stray-file", "missing-required-field"):
        next(change for case, change, _ in CASES if case == name)(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "macros", "check", str(tmp_path / "data")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    *problems, summary = result.stderr.splitlines()
    assert len(problems) == 3, result.stderr  # the syntax error hides its file's other error
    assert all(re.match(r"\S*data/\S+(:\d+:\d+)?: \S", line) for line in problems), result.stderr
    assert summary.startswith("3 problem(s) in ")


def refused_messages(project: Path) -> list[str]:
    with pytest.raises(InvalidData) as refused:
        load(project / "data")
    return [str(error) for error in refused.value.errors]


def test_a_line_past_the_end_says_where_the_quote_is(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    line, _ = first_quote(tmp_path)
    count = len((tmp_path / f"{SOURCE}.txt").read_text(encoding="utf-8").splitlines())
    edit(tmp_path / DEMAND, rf"line: {line}\b", f"line: {count + 10}")
    messages = refused_messages(tmp_path)
    assert any(
        f"line {count + 10} does not exist" in m and f"the quote is on line {line}" in m
        for m in messages
    ), messages


def test_a_quote_with_straight_quotation_marks_gets_the_line_s_words_whole(tmp_path):
    """The editor copies the right text from the message: the closest text, uncut."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    lines = (tmp_path / f"{SOURCE}.txt").read_text(encoding="utf-8").splitlines()
    number, words = next(
        (n, w)
        for n, t in enumerate(lines, 1)
        for w in re.findall(r"[^.;]*“[^”]+”[^.;]*", t)
        if len(w) > 80
    )
    straight = words.replace("“", '"').replace("”", '"').strip()
    text = (tmp_path / DEMAND).read_text(encoding="utf-8")
    fact = (
        f"  - id: straight-quotes\n    text: A fact.\n    cite:\n"
        f"      - {{source: istanbul-round-2, line: {number}, quote: {json.dumps(straight)}}}\n"
    )
    (tmp_path / DEMAND).write_text(text.replace("\nfacts:\n", f"\nfacts:\n{fact}", 1), "utf-8")
    messages = [m for m in refused_messages(tmp_path) if "facts[0].cite[0].quote" in m]
    assert messages and f"“{words.strip()}”" in messages[0], messages


def test_a_misspelt_speaker_is_not_offered_back_in_the_fix(tmp_path):
    """The voice check's fix names the right speaker, not the typo beside it."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    path = tmp_path / DEMAND
    text = path.read_text(encoding="utf-8")
    speaker = re.search(r"according_to: \[([\w-]+)\]", text)
    if speaker is None:  # another file of the data then: any with a single speaker
        path = next(
            p
            for p in (tmp_path / "data" / "demands").glob("*.yml")
            if re.search(r"according_to: \[([\w-]+)\]", p.read_text(encoding="utf-8"))
        )
        text = path.read_text(encoding="utf-8")
        speaker = re.search(r"according_to: \[([\w-]+)\]", text)
    right = speaker[1]
    typo = right[:-2] + right[-1]  # a letter left out
    path.write_text(text.replace(speaker[0], f"according_to: [{typo}]", 1), encoding="utf-8")
    fixes = re.findall(r"write according_to: \[([^\]]*)\]", "\n".join(refused_messages(tmp_path)))
    assert fixes and all(typo not in fix.split(", ") for fix in fixes), fixes
