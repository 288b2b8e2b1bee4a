"""Shared fixtures: one build of the real site per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitetools import ROOT, build


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = build(ROOT, out)
    assert result.returncode == 0, result.stderr
    return out
