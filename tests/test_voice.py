"""The voice check (macros/model/voice.py) on small data: one source line reporting a claim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.kinds import load
from macros.model.errors import InvalidData

LINE = "Officials said Alpha rejected the truce, a plan of Beta, and talks went on."
SAID = "Alpha rejected the truce, a plan of Beta,"  # what the officials said
ASIDE = "a plan of Beta"  # the text's own description, nested inside what they said

FRAMES = f"""\
frames:
  - {{line: 1, span: "{SAID}", according_to: [officials]}}
  - {{line: 1, span: "{ASIDE}", own_voice: true}}
"""


def actor(name: str, facts: str = "") -> str:
    return f"name: {name}\nkind: group\nfacts:\n" + (
        facts or "  - {id: f, text: Talks went on., cite: [{source: src, line: 1, quote: talks}]}\n"
    )


def demand(stance: str) -> str:
    return (
        "title: The truce\nsummary: A truce.\nkind: proposal\n"
        f"stances:\n  - {{id: s, actor: alpha, stance: rejects, {stance}}}\n"
        "facts:\n  - {id: f, text: Talks went on., cite: [{source: src, line: 1, quote: talks}]}\n"
    )


def make_data(root: Path, frames: str = FRAMES, stance: str = "") -> Path:
    files = {
        "sources/src.txt": LINE + "\nA second line.\n",
        "sources/src.yml": "title: A test source\n" + frames,
        "actors/alpha.yml": actor("Alpha"),
        "actors/officials.yml": actor("Officials"),
        "demands/truce.yml": demand(
            stance or "cite: [{source: src, line: 1, quote: Alpha rejected the truce}]"
        ),
    }
    for name, text in files.items():
        (root / "data" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "data" / name).write_text(text, encoding="utf-8")
    return root / "data"


def errors_of(data: Path) -> list[str]:
    with pytest.raises(InvalidData) as caught:
        load(data)
    return [str(e) for e in caught.value.errors]


def test_a_relation_quoting_reported_words_must_name_the_speaker(tmp_path):
    [error] = errors_of(make_data(tmp_path))
    assert error.startswith("data/demands/truce.yml:5:5: stances[0].according_to: ")
    assert "in the words of officials" in error and "according_to: [officials]" in error


def test_naming_the_speaker_satisfies_the_check(tmp_path):
    stance = "according_to: [officials], cite: [{source: src, line: 1, quote: Alpha rejected}]"
    model = load(make_data(tmp_path, stance=stance))
    assert model.demands["truce"].stances[0].according_to == ("officials",)


def test_quoting_the_reporting_words_beside_the_claim_does_not_excuse_it(tmp_path):
    stance = (
        "cite: [{source: src, line: 1, quote: Officials said}, "
        "{source: src, line: 1, quote: the truce}]"
    )
    [error] = errors_of(make_data(tmp_path, stance=stance))
    assert "stances[0].according_to" in error


def test_words_the_text_says_itself_need_no_speaker(tmp_path):
    outside = "cite: [{source: src, line: 1, quote: and talks went on.}]"
    nested = f"cite: [{{source: src, line: 1, quote: {ASIDE}}}]"
    for stance in (outside, nested):
        assert load(make_data(tmp_path / stance[-12:-3], stance=stance))


def test_a_reporting_line_without_a_frame_asks_the_editor_to_decide(tmp_path):
    stance = "cite: [{source: src, line: 1, quote: and talks went on.}]"
    [error] = errors_of(make_data(tmp_path, frames="", stance=stance))
    assert error.startswith("data/sources/src.yml:1:1: frames: line 1 of src.txt holds the ")
    assert "'said'" in error and "own_voice: true" in error


def test_an_own_voice_entry_alone_settles_a_reporting_line(tmp_path):
    frames = 'frames:\n  - {line: 1, span: "and talks went on.", own_voice: true}\n'
    assert load(make_data(tmp_path, frames=frames))


@pytest.mark.parametrize(
    ("frame", "field", "message"),
    [
        ("{line: 1, span: Alpha said, according_to: [officials]}", "frames[0].span", "not found"),
        ("{line: 3, span: Alpha, according_to: [officials]}", "frames[0].line", "lines 1 to 2"),
        ("{line: 1, span: Alpha, according_to: [oficials]}", "according_to[0]", "'officials'"),
        (
            "{line: 1, span: Alpha, according_to: [officials], own_voice: true}",
            "frames[0]",
            "not both",
        ),
        ("{line: 1, span: Alpha}", "frames[0]", "write own_voice: true"),
    ],
)
def test_a_wrong_frame_names_its_field_and_the_fix(tmp_path, frame, field, message):
    frames = f"frames:\n  - {frame}\n  - {{line: 1, span: talks, own_voice: true}}\n"
    stance = "cite: [{source: src, line: 1, quote: and talks went on.}]"
    errors = errors_of(make_data(tmp_path, frames=frames, stance=stance))
    assert any(f"{field}:" in e and message in e for e in errors), errors


def test_spans_of_two_voices_may_not_cross(tmp_path):
    frames = FRAMES + '  - {line: 1, span: "Beta, and talks", own_voice: true}\n'
    stance = "according_to: [officials], cite: [{source: src, line: 1, quote: Alpha rejected}]"
    [error] = errors_of(make_data(tmp_path, frames=frames, stance=stance))
    assert "frames[2].span: crosses frames[0]" in error


def test_the_data_format_page_lists_every_reporting_word():
    from macros.model.voice import REPORTING_WORDS
    from sitetools import ROOT

    page = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    lists = re.findall(r"reporting word \(([^)`]*)\)", page.replace("\n ", ""))
    assert [words.split(", ") for words in lists] == [list(REPORTING_WORDS)]
