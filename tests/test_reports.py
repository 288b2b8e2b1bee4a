"""A relation entry is one report: one source's words in one voice, with a time where the data
gives one. A side's reports make its position: corroborated, changed over time, or accounts that
differ, never resolved and never inferred (macros/model/positions.py). Run on the tests' own
data (tests/fixtures/data), which holds each case."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from macros.fact_ids import assign_ids
from macros.kinds import load
from macros.model.errors import InvalidData
from macros.model.positions import positions
from macros.model.schema import Stance
from sitetools import TESTS

FIXTURES = TESTS / "fixtures" / "data"
MODEL = load(FIXTURES)
ROUND_1, ROUND_2 = sorted(MODEL.rounds, key=lambda r: MODEL.rounds[r].sequence)[:2]
DATED = next(s for s, source in MODEL.sources.items() if source.meta.published)
UNDATED = next(s for s, source in MODEL.sources.items() if not source.meta.published)


def report(stance: str, source: str = DATED, as_of: object = None, voice: tuple = ()) -> Stance:
    line = MODEL.sources[source].lines[0]
    return Stance.model_validate(
        {
            "actor": "betania",
            "stance": stance,
            "as_of": as_of,
            "according_to": list(voice),
            "cite": [{"source": source, "line": 1, "quote": line}],
        }
    )


def position(*reports: Stance):
    [side] = positions(reports, MODEL.rounds, MODEL.sources)
    return side


def test_reports_of_one_side_for_the_same_thing_are_one_position_however_many():
    side = position(report("made"), report("supports", as_of=ROUND_1), report("made"))
    assert not side.changed and not side.differ
    assert list(side.stances()) == ["made", "supports"]
    assert len(side.now) == 3


def test_a_side_that_changed_between_rounds_has_an_earlier_and_a_latest_position():
    side = position(report("rejects", as_of=ROUND_2), report("supports", as_of=ROUND_1))
    assert side.changed and not side.differ
    assert [r.stance.stance for r in side.earlier] == ["supports"]
    assert list(side.stances()) == ["rejects"]
    back = position(
        report("made", as_of=ROUND_1),
        report("rejects", as_of=ROUND_2),
        report("made", as_of="2099-01-01"),
    )
    assert back.differ  # a round beside a date: the site does not order them


def test_dates_order_reports_and_the_latest_date_is_the_position():
    early, late = datetime.date(2031, 1, 1), datetime.date(2031, 2, 1)
    side = position(report("opposes", as_of=late.isoformat()), report("made", as_of=early))
    assert side.changed and [r.stance.stance for r in side.now] == ["opposes"]


def test_for_and_against_that_no_time_orders_are_accounts_that_differ():
    same_round = position(report("made", as_of=ROUND_2), report("rejects", as_of=ROUND_2))
    one_undated = position(report("made", as_of=ROUND_1), report("rejects", source=UNDATED))
    for side in (same_round, one_undated):
        assert side.differ and not side.changed and not side.earlier
        assert len(side.now) == 2  # both accounts stand


def test_a_report_takes_its_sources_date_where_it_gives_none_and_no_date_where_neither_does():
    dated, undated = position(report("made")), position(report("made", source=UNDATED))
    assert dated.now[0].when.date == MODEL.sources[DATED].meta.published
    assert not dated.now[0].when.given
    assert undated.now[0].when.kind == "" and undated.now[0].when.date is None


def copy(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "data")
    return tmp_path / "data"


def refused(data: Path) -> list[str]:
    with pytest.raises(InvalidData) as problems:
        load(data)
    return [str(e) for e in problems.value.errors]


def first_stance_lines(path: Path) -> tuple[str, int, int]:
    """A demand file's text and where its first stance entry starts and ends."""
    text = path.read_text(encoding="utf-8")
    start = text.index("stances:\n") + len("stances:\n")
    end = text.index("\n  - ", start + 1) + 1
    return text, start, end


def test_a_report_whose_citations_come_from_two_sources_is_refused_with_its_fix(tmp_path):
    data = copy(tmp_path)
    path = data / "demands" / "truce-30-days.yml"
    demand = MODEL.demands["truce-30-days"]
    other = next(s for s in demand.stances if s.cite[0].source != demand.stances[0].cite[0].source)
    text, _, end = first_stance_lines(path)
    cite = other.cite[0]
    extra = f'      - {{source: {cite.source}, line: {cite.line}, quote: "{cite.quote}"}}\n'
    path.write_text(text[:end] + extra + text[end:], encoding="utf-8")
    [problem] = [p for p in refused(data) if "stances[0].cite" in p]
    assert "cites 2 sources" in problem and "one entry per source" in problem


def test_the_same_report_twice_is_refused_but_another_voice_or_source_is_not(tmp_path):
    data = copy(tmp_path)
    path = data / "demands" / "truce-30-days.yml"
    text, start, end = first_stance_lines(path)
    entry = text[start:end]
    repeat = re.sub(r"  - id: [^\n]+\n    ", "  - ", entry)  # without its id, to be refused once
    path.write_text(text[:end] + repeat + text[end:], encoding="utf-8")
    problems = refused(data)
    assert any("stances[1]: repeats stances[0]" in p for p in problems), problems
    # The same words in another voice are another report (their voice check aside).
    voice = MODEL.demands["truce-30-days"].stances[0].according_to
    assert voice, "the first stance of truce-30-days should be reported in a speaker's voice"
    path.write_text(
        text[:end]
        + repeat.replace(f"according_to: [{voice[0]}]", "according_to: [betania]")
        + text[end:],
        encoding="utf-8",
    )
    assert not any("repeats" in p for p in refused(data))


def test_fact_ids_gives_a_second_report_an_id_of_its_own_that_names_its_source(tmp_path):
    data = copy(tmp_path)
    demand = MODEL.demands["truce-30-days"]
    first = demand.stances[0]
    second = next(
        s for s in demand.stances[1:] if (s.actor, s.stance) == (first.actor, first.stance)
    )
    path = data / "demands" / "truce-30-days.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(f"  - id: {second.id}\n    actor", "  - actor", 1),
        encoding="utf-8",
    )
    assert any("1 id(s) added" in line for line in assign_ids(data))
    written = load(data).demands["truce-30-days"].stances
    new = next(s for s in written if s.cite == second.cite).id
    assert new != first.id and new.endswith(second.cite[0].source)
