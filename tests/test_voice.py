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
    assert "narrow the span" in error  # the fix where the frame, not the entry, is wrong


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


TOLD = "Alpha told reporters the truce was over, and talks ended, the agency reported."
TOLD_FRAMES = """\
frames:
  - {line: 1, span: the truce was over, according_to: [alpha]}
  - {line: 1, span: "the agency reported.", own_voice: true}
"""


def told_data(root: Path, frames: str, stance: str) -> Path:
    """A source whose only reporting words are among those the check has learned."""
    data = make_data(root, frames=frames, stance=stance)
    (data / "sources" / "src.txt").write_text(TOLD + "\nA second line.\n", encoding="utf-8")
    return data


def test_a_line_where_someone_told_reporters_asks_for_a_frame(tmp_path):
    from macros.model.voice import REPORTING_WORDS, reporting_word

    assert reporting_word(TOLD) in REPORTING_WORDS and "said" not in TOLD
    stance = "cite: [{source: src, line: 1, quote: Alpha told reporters}]"
    [error] = errors_of(told_data(tmp_path, "", stance))
    assert f"holds the reporting word '{reporting_word(TOLD)}'" in error


def test_a_quote_framed_by_told_reporters_gets_the_voice_check(tmp_path):
    stance = "cite: [{source: src, line: 1, quote: the truce was over}]"
    [error] = errors_of(told_data(tmp_path, TOLD_FRAMES, stance))
    assert "stances[0].according_to: " in error and "write according_to: [alpha]" in error
    named = "according_to: [alpha], " + stance
    assert load(told_data(tmp_path / "named", TOLD_FRAMES, named))


@pytest.mark.parametrize(
    "quote",
    [
        "and talks went on.",  # outside the speaker's span, on a framed line
        ASIDE,  # an own-voice span nested in the speaker's
        "Officials said",  # the reporting words: the text's, not the officials'
    ],
)
def test_a_speaker_named_on_words_in_the_texts_own_voice_is_refused(tmp_path, quote):
    stance = f"according_to: [officials], cite: [{{source: src, line: 1, quote: {quote}}}]"
    [error] = errors_of(make_data(tmp_path, stance=stance))
    assert error.startswith("data/demands/truce.yml:5:")
    assert ": stances[0].according_to: names officials, but every quote" in error
    assert "own voice" in error and "leave out according_to" in error
    assert "add a frame" in error and "line: 1" in error


def test_a_speaker_named_on_a_line_without_frames_is_refused(tmp_path):
    stance = "according_to: [officials], cite: [{source: src, line: 2, quote: A second line}]"
    [error] = errors_of(make_data(tmp_path, stance=stance))
    assert "stances[0].according_to: names officials" in error and "line 2 of src" in error


def test_one_quote_in_the_speakers_words_is_enough(tmp_path):
    stance = (
        "according_to: [officials], cite: [{source: src, line: 2, quote: A second line}, "
        "{source: src, line: 1, quote: Alpha rejected the truce}]"
    )
    assert load(make_data(tmp_path, stance=stance))
