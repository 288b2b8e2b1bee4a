"""Shared fixtures: the real data, loaded once, and one build of the real site per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.kinds import load
from macros.model.store import Model
from sitetools import PUBLISHED_AT, ROOT, build


@pytest.fixture(scope="session")
def model() -> Model:
    return load(ROOT / "data")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = build(ROOT, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built for its address (SITE_URL), as for publishing."""
    out = tmp_path_factory.mktemp("published")
    result = build(ROOT, out, env={"SITE_URL": PUBLISHED_AT})
    assert result.returncode == 0, result.stderr
    return out
