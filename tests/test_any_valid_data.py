"""Any valid data passes `make test`: a copy of the project gets what an editor adds following
the editors' guide, EDITORS.md (a second source, a round, a demand citing it, a stance on an
existing demand, a renamed demand with `formerly:`, then `make fact-ids` and `make links`),
passes `make check`, and the tests that read the data and the built site pass on it
(`TALKS_PROJECT`, sitetools)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from macros.kinds import load
from sitetools import TESTS, copy_project

SECOND_SOURCE = TESTS / "fixtures" / "second-source"
# An existing demand the editor renames, and its new id.
RENAMED = ("army-size-limit", "ukraine-army-size-limit")
# An existing demand the new source reports a stance on.
RESTATED = "short-truce"
ADDED_STANCE = """\
  - actor: ukraine
    stance: rejects
    according_to: [rustem-umerov]
    cite:
      - {source: wire-report-round-3, line: 5, quote: Ukraine rejects the two- or three-day truce}
"""
# A second report of the stance RESTATED has, by the new source and in another voice.
SECOND_REPORT = """\
  - actor: russian-delegation
    stance: made
    according_to: [vladimir-medinsky]
    as_of: round-3
    cite:
      - {source: wire-report-round-3, line: 9, quote: had again proposed a short truce}
"""

# The tests that read the data or walk the built site: each must derive what it expects.
DATA_DEPENDENT = [
    "test_site.py",
    "test_reader.py",
    "test_home.py",
    "test_links.py",
    "test_search.py",
    "test_integrity.py",
    "test_data_faithful.py",
    "test_schema.py",
    "test_valid_html.py",
    "browser",
]


PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not sweep"]
PYTEST += ["-n", "2", "--dist", "loadgroup"]


def macros(project: Path, *args: str) -> subprocess.CompletedProcess:
    """An editor's command (`make check`, `make fact-ids`, `make links`) run in `project`."""
    return subprocess.run(
        [sys.executable, "-m", "macros", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(project)},
    )


def rename(project: Path, old: str, new: str) -> None:
    """The guide's rename: the file takes its new id, and keeps the old one in `formerly:`."""
    demands = project / "data" / "demands"
    text = (demands / f"{old}.yml").read_text(encoding="utf-8")
    (demands / f"{old}.yml").unlink()
    (demands / f"{new}.yml").write_text(f"formerly: [{old}]\n{text}", encoding="utf-8")


def add_stance(project: Path, demand: str, stance: str) -> None:
    """A stance appended to an existing demand's `stances:` list (opened if it has none)."""
    path = project / "data" / "demands" / f"{demand}.yml"
    text = path.read_text(encoding="utf-8")
    if "\nstances:\n" in text:
        text = text.replace("\nstances:\n", f"\nstances:\n{stance}", 1)
    else:
        text += f"stances:\n{stance}"
    path.write_text(text, encoding="utf-8")


def second_source_project(dest: Path) -> Path:
    """A copy of the project with the second source added as the editors' guide says, checked."""
    project = copy_project(dest)
    for kind, entity_id in (("demands", RENAMED[0]), ("demands", RESTATED)):
        assert (project / "data" / kind / f"{entity_id}.yml").exists(), (
            f"tests/fixtures/second-source edits {kind}/{entity_id}, which data/ no longer has: "
            f"point RENAMED or RESTATED in {Path(__file__).name} at another demand"
        )
    shutil.copytree(SECOND_SOURCE / "data", project / "data", dirs_exist_ok=True)
    rename(project, *RENAMED)
    add_stance(project, RESTATED, ADDED_STANCE)
    add_stance(project, RESTATED, SECOND_REPORT)
    for command in (["fact-ids"], ["links"], ["check"]):
        result = macros(project, *command)
        assert result.returncode == 0, f"make {command[0]}:\n{result.stdout}{result.stderr}"
    return project


def test_a_second_sources_report_of_a_stance_stands_beside_the_first(tmp_path: Path) -> None:
    project = second_source_project(tmp_path / "project")
    model = load(project / "data")
    reports = [s for s in model.demands[RESTATED].stances if s.actor == "russian-delegation"]
    assert len({s.cite[0].source for s in reports}) == 2, "the first report and the second"
    assert len({s.according_to for s in reports}) == 2 and len({s.id for s in reports}) == 2


@pytest.mark.sweep
def test_the_data_dependent_tests_pass_on_a_second_source(tmp_path: Path) -> None:
    project = second_source_project(tmp_path / "project")
    result = subprocess.run(
        [*PYTEST, *(f"tests/{name}" for name in DATA_DEPENDENT)],
        cwd=TESTS.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "TALKS_PROJECT": str(project)},
    )
    tail = "\n".join(result.stdout.splitlines()[-40:])
    assert result.returncode == 0, f"a test fails on valid data it has not seen:\n{tail}"
    assert " passed" in tail
