"""Browser fixtures: the built site served on loopback, and Debian's Chromium driven by Playwright.

Playwright's own browser download cannot run here, so the system Chromium is launched instead;
without it (or without playwright) every browser test skips, saying how to get it.

A new browser context costs a new renderer process (about 0.7 s of CPU, measured: as much as
the rest of a typical test), so the `page` fixture hands each test the same tab of one context per
worker, emptied first as a new context would be (`sitetools.Tab`): no cookies, storage or HTTP
cache of the site, the default viewport and media, the mouse at the corner, on about:blank. A
test that fails throws its tab away (the next test gets a new one). A test that changes the
context itself (listeners, routes) takes `own_page`, a page of a context of its own; tests that
need other context options (touch, no script, a palette) make their own context.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sitetools import Tab, missing_tool, new_context

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
def own_page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A page of a new context of its own (own cookies, storage, cache and listeners)."""
    context = new_context(browser, base_url)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def tabs(browser: Browser, base_url: str) -> Iterator[list[Tab]]:
    """The worker's reusable tab (none yet, or one)."""
    held: list[Tab] = []
    yield held
    for tab in held:
        tab.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser: Browser, base_url: str, tabs: list[Tab]
) -> Iterator[Page]:
    """A page with nothing of the tests before it (cookies, storage, cache, viewport, media)
    whose relative goto() paths start at the site."""
    if not tabs:
        tabs.append(Tab(browser, base_url))
    try:
        page = tabs[0].reset()
    except Exception:  # a tab the last test broke (closed, crashed): a new one
        discard(tabs)
        tabs.append(Tab(browser, base_url))
        page = tabs[0].reset()
    yield page
    if request.node.stash.get(FAILED, False) or page.is_closed():
        discard(tabs)


def discard(tabs: list[Tab]) -> None:
    with contextlib.suppress(Exception):  # its context may be gone already
        tabs.pop().close()
