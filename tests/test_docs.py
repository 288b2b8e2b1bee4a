"""The docs each audience reads stay true to the project: the README short and naming what each
dependency is for, every make target explained where its users look."""

from __future__ import annotations

import re
import subprocess

from sitetools import CHECKOUT

README_LINES = 100  # two screens
DOCS = ("README.md", "EDITORS.md", "macros/ARCHITECTURE.md", "bench/README.md")


def packages() -> list[str]:
    names = []
    for file in ("requirements.txt", "requirements-dev.txt"):
        for line in (CHECKOUT / file).read_text(encoding="utf-8").splitlines():
            if match := re.match(r"([A-Za-z0-9_.-]+)(\[[a-z]+\])?==", line):
                names.append(match[1] + (match[2] or ""))
    return names


def test_the_readme_fits_on_two_screens_and_says_what_each_dependency_is_for():
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    assert readme.count("\n") <= README_LINES, "move the detail to EDITORS.md or macros/"
    table = {m[1] for m in re.finditer(r"^\| ([^|]+?) \|", readme, re.M)}
    named = {n.strip() for row in table for n in row.split(",")}
    missing = [p for p in packages() if p not in named]
    assert not missing, f"README's Dependencies table lacks {missing}"


def test_every_make_target_is_explained_in_the_docs():
    listed = subprocess.run(["make", "help"], cwd=CHECKOUT, capture_output=True, text=True).stdout
    targets = re.findall(r"make ([a-z-]+)", listed)
    assert len(targets) > 5, listed
    docs = " ".join((CHECKOUT / d).read_text(encoding="utf-8") for d in DOCS)
    missing = [t for t in targets if f"make {t}" not in docs]
    assert not missing, f"no doc explains {missing}"


def test_the_docs_link_only_to_files_that_exist():
    for doc in DOCS:
        path = CHECKOUT / doc
        for target in re.findall(r"\]\(([^)#:]+)\)", path.read_text(encoding="utf-8")):
            assert (path.parent / target).exists(), f"{doc} links to {target}, which is not there"
