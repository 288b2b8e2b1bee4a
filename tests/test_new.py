"""`python -m macros new KIND ID`: the file it writes, filled in as an editor would from the
source text, passes `make check`; what it refuses, it refuses as the loader does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_any_valid_data import SECOND_SOURCE, macros

from macros.kinds import KINDS, load
from macros.model.load import id_problem
from macros.model.voice import reporting_words
from macros.model.yaml_reader import read_yaml
from macros.new import LEFT_OUT
from sitetools import ROOT, copy_project

NEW_SOURCE = next((SECOND_SOURCE / "data" / "sources").glob("*.txt"))
ENTITIES = [k for k in KINDS if not k.with_text]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project with a new source's text, as an editor adds it first."""
    project = copy_project(tmp_path / "project")
    shutil.copy(NEW_SOURCE, project / "data" / "sources" / NEW_SOURCE.name)
    return project


def new(project: Path, singular: str, entity_id: str) -> tuple[Path, str]:
    result = macros(project, "new", singular, entity_id)
    assert result.returncode == 0, result.stderr
    kind = next(k for k in KINDS if k.singular == singular)
    return project / "data" / kind.name / f"{entity_id}.yml", result.stdout


def test_a_source_gets_a_frame_proposed_for_each_reporting_line(project):
    path, said = new(project, "source", NEW_SOURCE.stem)
    lines = NEW_SOURCE.read_text(encoding="utf-8").splitlines()
    reporting = [n for n, line in enumerate(lines, 1) if reporting_words(line)]
    frames = read_yaml(path.read_text(encoding="utf-8"))["frames"]
    assert [f["line"] for f in frames] == reporting
    assert all(f["span"] in lines[f["line"] - 1] for f in frames)
    assert f"{len(reporting)} frame(s) proposed: check each" in said
    assert "must be\n# checked" in path.read_text(encoding="utf-8")


def editor_decides_frames(path: Path) -> None:
    """Each frame left to fill gets the voice a reader of the text gives it: that of the
    fixture's own reading of the line (its hand-made frames), or the text's own."""
    reading = read_yaml((NEW_SOURCE.with_suffix(".yml")).read_text(encoding="utf-8"))["frames"]
    voice = {f["line"]: f for f in reading}
    text = path.read_text(encoding="utf-8")
    for number in re.findall(r"- line: (\d+)\n.*\n    according_to: \[\]  # FILL IN", text):
        known = voice.get(int(number), {})
        decided = (
            f"according_to: [{', '.join(known['according_to'])}]"
            if known.get("according_to")
            else "own_voice: true"
        )
        text = re.sub(
            rf"(- line: {number}\n.*\n    )according_to: \[\]  # FILL IN.*",
            rf"\g<1>{decided}",
            text,
        )
    path.write_text(text, encoding="utf-8")


def fill(path: Path, values: dict[str, str]) -> None:
    """Each FILL IN typed in: the value for its field, or the first of the choices it lists."""
    text = path.read_text(encoding="utf-8")

    def typed(found: re.Match) -> str:
        key, hint = found.group(2), found.group(3) or ""
        choice = re.match(r": one of ([\w-]+)", hint)
        return f"{found.group(1)}{key}: {choice.group(1) if choice else values[key]}"

    path.write_text(re.sub(r"^(\s*-? ?)(\w+):  # FILL IN(.*)$", typed, text, flags=re.M))
    assert ":  # FILL IN" not in path.read_text(encoding="utf-8")


def test_new_files_of_every_kind_filled_in_pass_the_check(project):
    source_path, _ = new(project, "source", NEW_SOURCE.stem)
    editor_decides_frames(source_path)
    lines = NEW_SOURCE.read_text(encoding="utf-8").splitlines()
    number, line = next((n, x) for n, x in enumerate(lines, 1) if not reporting_words(x))
    rounds = load(ROOT / "data").rounds.values()
    values = {
        "source": NEW_SOURCE.stem,
        "line": str(number),
        "quote": f'"{" ".join(line.split()[:5])}"',  # the text's own words: no speaker
        "text": "A statement the line makes.",
        "sequence": str(max((r.sequence for r in rounds), default=0) + 1),
    }
    written = {}
    for kind in ENTITIES:
        path, said = new(project, kind.singular, f"new-{kind.singular}")
        fields = re.search(r"fill in (.*) \(each marked FILL IN\)", said)
        assert fields, said  # it names what is left to fill
        for key in ("name", "title", "summary"):
            values[key] = f"New {kind.singular} written by make new"
        fill(path, values)
        written[kind.name] = path.stem
    for command in ("fact-ids", "links", "check"):
        result = macros(project, command)
        assert result.returncode == 0, result.stderr
    model = load(project / "data")
    for kind_name, entity_id in written.items():
        assert entity_id in model.entities(kind_name)
    assert model.sources[NEW_SOURCE.stem].meta.frames
    # Renamed as the guide says: the file takes its new id and keeps the old one in formerly.
    old = project / "data" / "demands" / f"{written['demands']}.yml"
    text = old.read_text(encoding="utf-8")
    old.unlink()
    renamed = old.with_name("renamed-by-the-editor.yml")
    renamed.write_text(f"formerly: [{written['demands']}]\n{text}", encoding="utf-8")
    for command in ("links", "check"):
        result = macros(project, command)
        assert result.returncode == 0, result.stdout + result.stderr


def test_an_entity_as_written_is_refused_naming_what_to_fill(project):
    path, said = new(project, "demand", "unfilled")
    to_fill = re.search(r"fill in (.*) \(each marked", said).group(1).split(", ")
    assert to_fill and all(
        f.rsplit(".", 1)[-1] + ":  # FILL IN" in path.read_text() for f in to_fill
    )
    result = macros(project, "check", str(path))
    assert result.returncode == 1
    refused = {m.split(": ")[1] for m in result.stderr.splitlines()[:-1]}
    assert set(to_fill) <= refused, result.stderr


@pytest.mark.parametrize("entity_id", ["Energy_Truce", "index", "con", "x" * 101])
def test_an_id_the_loader_would_refuse_is_refused_first(project, entity_id):
    result = macros(project, "new", "demand", entity_id)
    problem = id_problem(entity_id, "demands")
    assert problem and result.returncode == 1
    assert result.stderr.strip() == f"data/demands/{entity_id}.yml: {problem}"
    assert not (project / "data" / "demands" / f"{entity_id}.yml").exists()


def test_an_existing_file_is_never_overwritten(project):
    existing = next((project / "data" / "actors").glob("*.yml"))
    before = existing.read_bytes()
    result = macros(project, "new", "actor", existing.stem)
    assert result.returncode == 1 and "already exists" in result.stderr
    assert existing.read_bytes() == before


def test_a_source_without_its_text_is_refused(project):
    result = macros(project, "new", "source", "no-text-yet")
    assert result.returncode == 1
    assert result.stderr.startswith("data/sources/no-text-yet.txt: no such file: copy the")
    assert not (project / "data" / "sources" / "no-text-yet.yml").exists()


def test_each_proposal_frames_the_words_reported_and_guesses_a_known_speaker(tmp_path):
    """Small data: the usual shapes of a reporting line, and what is proposed for each."""
    data = tmp_path / "data"
    (data / "actors").mkdir(parents=True)
    (data / "sources").mkdir()
    for actor_id, name in (("dana-ray", "Dana Ray"), ("betania", "Betania")):
        (data / "actors" / f"{actor_id}.yml").write_text(
            f"name: {name}\nkind: person\nfacts:\n  - {{text: x, cite: [{{source: s, line: 1, "
            "quote: words}]}\n",
            encoding="utf-8",
        )
    lines = {
        "Dana Ray, who spoke for Betania, told reporters the truce would hold.": (
            "the truce would hold.",
            ["dana-ray"],  # the speaker, not the name inside the relative clause
        ),
        "According to Betania, the talks lasted two hours.": (
            "the talks lasted two hours.",
            ["betania"],
        ),
        "The talks ended at noon, the agency reported.": ("The talks ended at noon", []),
    }
    (data / "sources" / "s.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    from macros.new import new_file

    written = new_file(data, "source", "s")
    frames = read_yaml(written.path.read_text(encoding="utf-8"))["frames"]
    assert [(f["span"], f["according_to"]) for f in frames] == list(lines.values())
    assert written.to_fill == ["frames[2].according_to"]  # no known speaker: the editor's


@pytest.mark.parametrize(
    ("make_text", "said"),
    [
        (lambda p: p.write_bytes(b"Alpha said so.\r\n"), "Windows line endings"),
        (lambda p: p.write_bytes(b"Alpha \x1b[2J said so.\n"), "U+001B"),
        (lambda p: p.symlink_to(NEW_SOURCE), "never through a link"),
    ],
)
def test_a_source_text_the_loader_refuses_is_refused_as_it_would_be(project, make_text, said):
    text = project / "data" / "sources" / "odd-text.txt"
    make_text(text)
    result = macros(project, "new", "source", "odd-text")
    assert result.returncode == 1 and said in result.stderr, result.stderr
    assert result.stderr.startswith("data/sources/odd-text.txt") and "\x1b" not in result.stderr
    assert not text.with_suffix(".yml").exists()


@pytest.mark.parametrize("kind", ENTITIES, ids=lambda k: k.name)
def test_every_field_uncommented_has_the_schemas_shape(project, kind):
    """An editor uncommenting an optional field gets the structure the schema reads."""
    path, _ = new(project, kind.singular, "every-field")
    text = path.read_text(encoding="utf-8")
    fields = re.sub(r"(?m)^# (\s*(- )?[a-z_]+:( |$))", r"\1", text)
    document = read_yaml(fields)
    written = [n for n in kind.schema.model_fields if n not in LEFT_OUT]
    assert sorted(document) == sorted(written)
    for value in document.values():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            assert "cite" in value[0] and set(value[0]["cite"][0]) == {"source", "line", "quote"}
