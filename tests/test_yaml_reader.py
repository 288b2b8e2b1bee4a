"""The project's YAML subset: one meaning for each quirk, whichever parser reads the file, and a
clear refusal, with line and column, of what the subset leaves out."""

from __future__ import annotations

import pytest

from macros.model import yaml_reader
from macros.model.yaml_reader import Position, YamlProblem, positions, read_yaml

# (plain scalar as written, what it means in every file of data/)
MEANINGS = [
    ("no", "no"),
    ("yes", "yes"),
    ("on", "on"),
    ("off", "off"),
    ("True", "True"),
    ("true", True),
    ("false", False),
    ("~", None),
    ("null", None),
    ("Null", "Null"),
    ("", None),
    ("2025-06-02", "2025-06-02"),
    ("12:30", "12:30"),
    ("7", 7),
    ("-3", -3),
    ("012", "012"),
    ("0x1F", "0x1F"),
    ("1_000", "1_000"),
    ("+5", "+5"),
    ("1.5", 1.5),
    ("2e3", 2000.0),
    (".inf", ".inf"),
    ("NaN", "NaN"),
]


def both_readers(text: str) -> list:
    """The value as read by the fast path (where rapidyaml is installed) and the reference."""
    values = [yaml_reader._Reader(text).read()]
    if yaml_reader.ryml is not None:
        values.append(read_yaml(text))
    return values


@pytest.mark.parametrize(("written", "meaning"), MEANINGS)
def test_a_plain_scalar_means_one_thing_whichever_parser_reads_it(written, meaning):
    for value in both_readers(f"name: {written}\n" if written else "name:\n"):
        assert value == {"name": meaning}
        assert type(value["name"]) is type(meaning)


@pytest.mark.parametrize("written", ["no", "~", "12", "true", "2025-06-02"])
def test_a_quoted_scalar_is_always_text(written):
    for quote in "'\"":
        for value in both_readers(f"name: {quote}{written}{quote}\n"):
            assert value == {"name": written}


def test_lists_and_mappings_in_block_and_flow_style_read_alike():
    block = "facts:\n  - text: x\n    cite:\n      - source: s\n        line: 3\n"
    flow = "facts: [{text: x, cite: [{source: s, line: 3}]}]\n"
    expected = {"facts": [{"text": "x", "cite": [{"source": "s", "line": 3}]}]}
    assert both_readers(block) == both_readers(flow) == [expected] * len(both_readers(flow))


# (what the subset leaves out, a file using it, the words of the refusal, line, column)
REFUSED = [
    ("anchor", "a: &x 1\nb: 2\n", "an anchor (&x)", 1, 4),
    ("alias", "a: [1]\nb: *x\n", "", 2, 4),  # PyYAML finds no anchor x first: a syntax error
    ("anchor-and-alias", "a: &x [1]\nb: *x\n", "an anchor (&x)", 1, 4),
    ("tag", "a: !!python/name:os.system 1\n", "a tag", 1, 4),
    ("local-tag", "a: !secret 1\n", "a tag (!secret)", 1, 4),
    ("merge-key", "base: {a: 1}\nitem:\n  <<: {b: 2}\n", "a merge key (<<)", 3, 3),
    ("complex-key", "? [a, b]\n: c\n", "a list or mapping as a key", 1, 3),
    ("second-document", "a: 1\n---\nb: 2\n", "a second document", 2, 1),
    ("duplicate-key", "a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first on line 1)", 3, 1),
    ("control-character", "a: x\x07y\n", "U+0007", 1, 5),
    ("nul", "a: \x00\n", "U+0000", 1, 4),
    ("deep-nesting", "a: " + "[" * 70 + "]" * 70 + "\n", "nested more than 64", 1, 67),
    ("very-deep-nesting", "a: " + "[" * 100_000 + "\n", "nested more than 64", 1, 67),
]


@pytest.mark.parametrize(
    ("text", "words", "line", "column"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_what_the_subset_leaves_out_is_refused_where_it_stands(text, words, line, column):
    with pytest.raises(YamlProblem) as refused:
        read_yaml(text)
    assert words in refused.value.message
    assert refused.value.position == Position(line, column)
    assert refused.value.message.count(":") >= 1  # what is wrong, then the fix


def test_an_alias_bomb_is_refused_at_once():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    with pytest.raises(YamlProblem, match="an anchor"):
        read_yaml(bomb)


def test_positions_name_where_each_field_starts():
    text = "title: x\nfacts:\n  - text: y\n    cite: [{source: s, line: 3}]\n"
    found = positions(text)
    assert found["facts[0].text"] == Position(3, 5)
    assert found["facts[0].cite[0].line"] == Position(4, 24)


@pytest.mark.parametrize(
    ("text", "words", "line", "column"),
    [
        ('a: 1\nb: "unclosed\n', "quoted text is never closed", 2, 4),
        ("a: [1, 2\nb: 3\n", "bracket is never closed", 1, 4),
        ("a: b: c\n", "correct the YAML syntax", 1, 5),
    ],
    ids=["unclosed-quote-on-the-last-line", "unclosed-bracket", "colon-in-plain-text"],
)
def test_a_syntax_error_points_where_it_can_be_fixed(text, words, line, column):
    with pytest.raises(YamlProblem) as refused:
        read_yaml(text)
    assert words in refused.value.message
    assert refused.value.position == Position(line, column)
