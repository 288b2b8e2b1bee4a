"""Shared fixtures: the real data, loaded once, and one build of the real site per test session,
shared by all its processes (xdist's workers): built by the first to need it, in the session's
temporary folder, keyed by the content of the tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from macros.kinds import load
from macros.model.store import Model
from sitetools import ROOT, shared_build


@pytest.fixture(scope="session")
def model() -> Model:
    return load(ROOT / "data")


def session_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of the whole test session: under xdist each worker's own is a
    subfolder of the controller's, which is new for each session."""
    own = tmp_path_factory.getbasetemp()
    return own.parent if os.environ.get("PYTEST_XDIST_WORKER") else own


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, as `make build` builds it. Tests only read it."""
    return shared_build(session_folder(tmp_path_factory), "site")


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built for its address (SITE_URL), as for publishing. Tests only read it."""
    return shared_build(session_folder(tmp_path_factory), "published")
