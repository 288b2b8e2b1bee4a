"""Browser fixtures: the built site served on loopback, and Debian's Chromium driven by Playwright.

Playwright's own browser download cannot run here, so the system Chromium is launched instead;
without it (or without playwright) every browser test skips, saying how to get it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sitetools import missing_tool

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_CHROMIUM = "install it with apt-get install chromium to run the browser tests"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",  # Chromium's own calls home would pollute the requests
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would bury pytest's output


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """The built site, served over HTTP on 127.0.0.1 at a free port."""
    handler = functools.partial(QuietHandler, directory=str(site))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}/"
        server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        missing_tool(f"Chromium not found at {CHROMIUM}: {INSTALL_CHROMIUM}")
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="playwright is not installed: pip install -r requirements.txt",
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh page (own cookies and storage) whose relative goto() paths start at the site."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 720})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
