"""The site's search (Pagefind, indexed by the build) as a reader meets it, on one built site.

    python -m bench.search SITE_DIR [--query WORD ...] [--repeat 3]

The index on disk (bytes and files under `pagefind/`), and in headless Chromium (Debian's,
/usr/bin/chromium), cold cache (a new browser context per run), for each query typed into the
search in the header: the bytes the page downloaded from navigation to the first result shown,
and the milliseconds from the first keystroke to the first result shown. Whether each query of
the query set brings its page is the sweep's to say (tests/browser/test_search_queries.py, in
`make sweep`), not the benchmark's: bench/ imports no test module.

The comparison with the theme's search (lunr) that chose Pagefind is in macros/ARCHITECTURE.md
("Lunr or Pagefind"); lunr is no longer built, so it is not measured here.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import statistics
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RESULT = "pagefind-modal .pf-result-link"
BOX = "pagefind-modal .pf-input"
# Time the first keystroke and the first result shown, in the page's own clock.
TIMER = """sel => {
    window.__t = {};
    addEventListener("keydown", () => { window.__t.key ??= performance.now(); }, true);
    new MutationObserver(() => {
        if (!window.__t.result && document.querySelector(sel))
            window.__t.result = performance.now();
    }).observe(document.documentElement, {childList: true, subtree: true});
}"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(Quiet, directory=str(site))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_port}/"
        server.shutdown()


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def gzip_bytes(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def index_figures(site: Path) -> dict[str, int]:
    """Pagefind's index as the build wrote it: all of it, and its index chunks and fragments
    (compressed already), the rest being its scripts, styles and WebAssembly."""
    index = site / "pagefind"
    return {
        "bytes": dir_bytes(index),
        "chunks": sum(1 for _ in (index / "index").iterdir()),
        "fragments": sum(1 for _ in (index / "fragment").iterdir()),
    }


def first_result(browser: Any, base: str, site: Path, query: str) -> dict[str, Any]:
    """Cold cache: a new context; the bytes fetched until the first result, and its time."""
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 720})
    fetched: list[Any] = []
    context.on("requestfinished", lambda request: fetched.append(request))
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto("", wait_until="load")
    page.locator(".md-header pagefind-modal-trigger button").wait_for()
    page.evaluate(TIMER, RESULT)
    page.keyboard.press("/")
    page.locator(BOX).wait_for()
    page.keyboard.type(query)
    page.locator(RESULT).first.wait_for(state="attached")
    timing = page.evaluate("window.__t")
    sizes = [(r.url, r.sizes()["responseBodySize"]) for r in list(fetched)]
    context.close()
    return {
        "ms": round(timing["result"] - timing["key"]),
        "requests": len(sizes),
        "bytes": sum(size for _, size in sizes),
        "gzip_bytes": sum(_gzip_of(site, base, url, size) for url, size in sizes),
    }


def _gzip_of(site: Path, base: str, url: str, size: int) -> int:
    """What the file would weigh gzip-compressed by a server (Pagefind's chunks already are)."""
    path = site / url.removeprefix(base).split("#")[0].split("?")[0]
    if path.is_dir():
        path = path / "index.html"
    compressed = "/pagefind/" in url and not url.endswith((".js", ".css", ".json"))
    return size if compressed or not path.is_file() else gzip_bytes(path)


def measure(browser: Any, site: Path, queries: list[str], repeat: int) -> dict[str, Any]:
    with served(site) as base:
        runs = [first_result(browser, base, site, q) for q in queries for _ in range(repeat)]
    return {
        "ms_median": statistics.median(r["ms"] for r in runs),
        "ms_max": max(r["ms"] for r in runs),
        "bytes_median": statistics.median(r["bytes"] for r in runs),
        "gzip_bytes_median": statistics.median(r["gzip_bytes"] for r in runs),
        "requests_median": statistics.median(r["requests"] for r in runs),
    }


def first_result_figures(site: Path, queries: list[str], repeat: int = 1) -> dict[str, Any]:
    """`measure` in a browser of its own (for bench.benchmark)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            return measure(browser, site, queries, repeat)
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    report: dict[str, Any] = {"site": str(args.site), "pages": len(list(args.site.rglob("*.html")))}
    report["index"] = index_figures(args.site)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        report["first_result"] = measure(
            browser, args.site, args.query or ["Istanbul"], args.repeat
        )
        browser.close()
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
