"""Where each side stands on a demand, from every report of it (`stances:` entries).

Each entry is one report: what one source says, in one voice. A side's reports make its
position: the stance they report, how many sources report it, whether it changed over time and
whether accounts differ. Nothing is inferred: a report's time is its `as_of` (a round or a date)
or its source's `published` date, and reports are ordered only where every one has a time of the
same kind (rounds by their sequence, dates by the calendar). For and against that no time orders
are accounts that differ, which the site shows side by side and never resolves.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from macros.model.schema import Cited, Round, Stance
from macros.model.store import Source

FOR = frozenset({"made", "raised", "supports"})  # the others (rejects, opposes) are against


class When(NamedTuple):
    """A report's time: ("round", its sequence) or ("date", its ordinal); ("", 0) undated."""

    kind: str
    order: int
    round: str = ""  # the round's id, where it is a round
    date: datetime.date | None = None
    given: bool = False  # written in the report (`as_of`), not taken from its source


class Report(NamedTuple):
    stance: Stance
    source: str  # the id of the one source its citations come from
    when: When


class Position(NamedTuple):
    actor: str
    reports: tuple[Report, ...]  # in time order where the times fix it, else as in the data
    now: tuple[Report, ...]  # the reports of the latest position (all, where it never changed)
    earlier: tuple[Report, ...]  # the reports before it changed to that, oldest first
    differ: bool  # reports for and against it that no time orders: accounts differ

    @property
    def changed(self) -> bool:
        return bool(self.earlier) and not self.differ

    def stances(self) -> dict[str, list[Report]]:
        """The stances of its latest position, each with its reports, in the data's order."""
        by: dict[str, list[Report]] = {}
        for report in self.now:
            by.setdefault(report.stance.stance, []).append(report)
        return by


def source_of(entry: Cited) -> str:
    """The source a relation entry reports (the check makes all its citations one source's)."""
    return entry.cite[0].source


def report_time(stance: Stance, rounds: Mapping[str, Round], sources: Mapping[str, Source]) -> When:
    as_of = stance.as_of
    if isinstance(as_of, str):
        round_ = rounds.get(as_of)
        return When("round", round_.sequence, as_of, given=True) if round_ else When("", 0)
    if as_of is not None:
        return When("date", as_of.toordinal(), date=as_of, given=True)
    source = sources.get(source_of(stance))
    published = source.meta.published if source else None
    return When("date", published.toordinal(), date=published) if published else When("", 0)


def positions(
    stances: Iterable[Stance], rounds: Mapping[str, Round], sources: Mapping[str, Source]
) -> list[Position]:
    """Each side's position, in the order the sides first appear in `stances`."""
    by_actor: dict[str, list[Report]] = {}
    for stance in stances:
        report = Report(stance, source_of(stance), report_time(stance, rounds, sources))
        by_actor.setdefault(stance.actor, []).append(report)
    return [_position(actor, reports) for actor, reports in by_actor.items()]


def _position(actor: str, reports: list[Report]) -> Position:
    if len({r.stance.stance in FOR for r in reports}) == 1:
        return Position(actor, _in_order(reports), tuple(reports), (), differ=False)
    kinds = {r.when.kind for r in reports}
    if len(kinds) != 1 or "" in kinds:  # some undated, or rounds beside dates: no order
        return Position(actor, tuple(reports), tuple(reports), (), differ=True)
    ordered = sorted(reports, key=lambda r: r.when.order)
    latest = ordered[-1].when.order
    last_time = [r for r in ordered if r.when.order == latest]
    if len({r.stance.stance in FOR for r in last_time}) > 1:
        return Position(actor, tuple(ordered), tuple(last_time), (), differ=True)
    side = ordered[-1].stance.stance in FOR
    start = len(ordered)
    while start and (ordered[start - 1].stance.stance in FOR) == side:
        start -= 1
    return Position(actor, tuple(ordered), tuple(ordered[start:]), tuple(ordered[:start]), False)


def _in_order(reports: list[Report]) -> tuple[Report, ...]:
    """Oldest first where every report has a time of one kind; else as in the data."""
    kinds = {r.when.kind for r in reports}
    if len(kinds) == 1 and "" not in kinds:
        return tuple(sorted(reports, key=lambda r: r.when.order))
    return tuple(reports)
