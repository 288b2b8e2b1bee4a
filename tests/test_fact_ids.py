"""`make fact-ids` writes only ids that pass the check: free on every page that shows the
statement (its own, and for a relation its other end's), none of a page's own elements' ids,
and no longer than an id may be."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from macros.fact_ids import assign_ids, fact_id, relation_id
from macros.kinds import load
from macros.model.schema import MAX_ID_LENGTH, PAGE_IDS, Stance
from sitetools import ROOT

DEMAND = "data/demands/army-size-limit.yml"


def copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def first_citation(data: Path) -> dict:
    """DEMAND's first fact's citation: words the source says in its own voice."""
    return yaml.safe_load((data.parent / DEMAND).read_text(encoding="utf-8"))["facts"][0]["cite"][0]


def flow(citation: dict) -> str:
    return yaml.safe_dump([citation], allow_unicode=True, default_flow_style=True, width=10_000)


def insert_fact(path: Path, text: str, citation: dict) -> None:
    """A fact without an id, first in the file's facts."""
    old = path.read_text(encoding="utf-8")
    assert "\nfacts:\n" in old, f"no facts: in {path}: update this test to the data"
    new = f"\nfacts:\n  - text: {text}\n    cite: {flow(citation)}"
    path.write_text(old.replace("\nfacts:\n", new, 1), encoding="utf-8")


def test_a_fact_never_takes_the_id_of_a_relation_its_page_shows(tmp_path):
    data = copy(tmp_path)
    stance = yaml.safe_load((data.parent / DEMAND).read_text(encoding="utf-8"))["stances"][0]
    # A fact whose words make the stance's id, on the page of the stance's actor.
    words = stance["id"].replace("-", " ").capitalize() + "."
    assert fact_id(words) == stance["id"]  # what it would be given, were its page not looked at
    actor_file = data / "actors" / f"{stance['actor']}.yml"
    insert_fact(actor_file, words, first_citation(data))
    assert list(assign_ids(data)) == [f"{actor_file}: 1 id(s) added"]
    fact = load(data).actors[stance["actor"]].facts[0]  # the check passes
    assert fact.text == words and fact.id != stance["id"]


def test_a_fact_never_takes_the_id_of_a_heading(tmp_path):
    data = copy(tmp_path)
    heading = sorted(PAGE_IDS)[0]
    words = heading.replace("-", " ").capitalize() + "."
    insert_fact(data.parent / DEMAND, words, first_citation(data))
    assert list(assign_ids(data)) == [f"{data.parent / DEMAND}: 1 id(s) added"]
    fact = load(data).demands["army-size-limit"].facts[0]  # the check passes
    assert fact.text == words and fact.id not in PAGE_IDS


def test_a_relation_id_is_cut_to_the_longest_id_allowed(tmp_path):
    data = copy(tmp_path)
    long_id = "a" * MAX_ID_LENGTH
    citation = first_citation(data)
    cite = flow(citation)
    (data / "actors" / f"{long_id}.yml").write_text(
        f"name: A long id\nkind: group\nfacts:\n  - id: a-fact\n    text: A.\n    cite: {cite}",
        encoding="utf-8",
    )
    demand = data.parent / DEMAND
    demand.write_text(
        demand.read_text(encoding="utf-8").replace(
            "stances:\n",
            f"stances:\n  - actor: {long_id}\n    stance: supports\n    cite: {cite}",
            1,
        ),
        encoding="utf-8",
    )
    node = Stance(actor=long_id, stance="supports", cite=[citation])
    assert len(relation_id(node, "army-size-limit") or "") > MAX_ID_LENGTH
    assert len(list(assign_ids(data))) == 1
    stance = load(data).demands["army-size-limit"].stances[0]  # passes the check
    assert stance.id and len(stance.id) <= MAX_ID_LENGTH
