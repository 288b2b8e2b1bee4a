"""The theme's search (lunr) against Pagefind, on one built site, as a reader meets them.

    python -m bench.search SITE_DIR [--pagefind] [--query WORD ...] [--queries tests]

For each engine: the index on disk (bytes, and gzip bytes for lunr's one JSON file; Pagefind's
chunks are compressed already), and in headless Chromium (Debian's, /usr/bin/chromium), cold
cache, for each query: the bytes the page downloaded from navigation to the first result shown,
and the milliseconds from the first keystroke to the first result shown. With `--pagefind`,
Pagefind indexes a copy of the site first (the time it takes is printed: the build time it would
add) into `<copy>/pagefind/`, and its default UI is put on a copy of the home page.
With `--queries tests`, the query set of tests/browser/test_search_queries.py is scored too:
how many queries bring their page first (or in the first three, for those that allow it).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gzip
import html
import json
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LUNR_RESULT = ".md-search-result__list > li"
PAGEFIND_RESULT = ".pagefind-ui__result"
PAGEFIND_PAGE = "pagefind-bench.html"
PAGEFIND_UI = """
<div id="pagefind-bench"></div>
<link href="pagefind/pagefind-ui.css" rel="stylesheet">
<script src="pagefind/pagefind-ui.js"></script>
<script>new PagefindUI({element: "#pagefind-bench", showSubResults: true});</script>
"""
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


def index_pagefind(site: Path, copy: Path, tuned: bool = False) -> float:
    """Index a copy of the site with Pagefind (its Python API, as a build hook would); seconds.
    `tuned`: first give each entity page the words the theme's index has in its own fields."""
    from pagefind.index import PagefindIndex

    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(site, copy, copy_function=_link)
    lunr = copy / "search" / "search_index.json"
    if tuned:
        add_weighted_words(copy, json.loads(lunr.read_text("utf-8"))["docs"])
    lunr.unlink(missing_ok=True)  # the theme's, unused here

    async def run() -> None:
        config = {
            "root_selector": "article",
            "exclude_selectors": ["[data-search-exclude]"],
            "output_path": str((copy / "pagefind").resolve()),  # written when the context ends
        }
        async with PagefindIndex(config=config) as index:
            await index.add_directory(str(copy.resolve()))

    started = time.perf_counter()
    asyncio.run(run())
    seconds = time.perf_counter() - started
    home = (copy / "index.html").read_text("utf-8")
    (copy / PAGEFIND_PAGE).write_text(home.replace("</body>", PAGEFIND_UI + "</body>"), "utf-8")
    return seconds


PAGEFIND_WEIGHTS = {"names": 10, "aliases": 5, "keywords": 2}  # 0 to 10; text is 1


def add_weighted_words(copy: Path, docs: list[dict[str, Any]]) -> None:
    """What a Pagefind integration would do with the words of `macros/search.py`: each field
    in a hidden element of its weight, and a source's lines weighing a tenth, as the theme's
    index has them. (Hidden text shows in Pagefind's excerpts: a real integration must keep
    spelling variants out of them; for scoring the query set this stands in.)"""
    for doc in docs:
        location = doc["location"]
        words = "".join(
            f'<div hidden data-pagefind-weight="{weight}">{html.escape(" ".join(doc[f]))}</div>'
            for f, weight in PAGEFIND_WEIGHTS.items()
            if doc.get(f)
        )
        if "#" in location or not (words or location.startswith("sources/")):
            continue
        path = copy / location / "index.html"
        page = path.read_text("utf-8").replace("</article>", words + "</article>", 1)
        page = page.replace('class="line-text"', 'class="line-text" data-pagefind-weight="0.1"')
        path.unlink()  # a hard link to the original site: never write through it
        path.write_text(page, "utf-8")


def _link(src: str, dst: str) -> None:
    try:
        Path(dst).hardlink_to(src)
    except OSError:
        shutil.copy2(src, dst)


def first_result(browser: Any, base: str, site: Path, engine: str, query: str) -> dict[str, Any]:
    """Cold cache: a new context; the bytes fetched until the first result, and its time."""
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 720})
    fetched: list[Any] = []
    context.on("requestfinished", lambda request: fetched.append(request))
    page = context.new_page()
    page.set_default_timeout(60_000)
    if engine == "lunr":
        page.goto("", wait_until="load")
        selector, box = LUNR_RESULT, page.get_by_role("textbox", name="Search")
    else:
        page.goto(PAGEFIND_PAGE, wait_until="load")
        selector, box = PAGEFIND_RESULT, page.locator(".pagefind-ui__search-input")
    page.evaluate(TIMER, selector)
    box.click()
    page.keyboard.type(query)
    page.locator(selector).first.wait_for(state="attached")
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


def measure(
    browser: Any, site: Path, engine: str, queries: list[str], repeat: int
) -> dict[str, Any]:
    with served(site) as base:
        runs = [
            first_result(browser, base, site, engine, q) for q in queries for _ in range(repeat)
        ]
    return {
        "engine": engine,
        "ms_median": statistics.median(r["ms"] for r in runs),
        "ms_max": max(r["ms"] for r in runs),
        "bytes_median": statistics.median(r["bytes"] for r in runs),
        "gzip_bytes_median": statistics.median(r["gzip_bytes"] for r in runs),
        "requests_median": statistics.median(r["requests"] for r in runs),
    }


# -- the query set ----------------------------------------------------------------------------


def query_set() -> list[tuple[str, str, int]]:
    """(query, expected path, how many first results may hold it) from the browser test."""
    _tests_on_path()
    import test_search_queries as t

    return [(q, e, 1) for q, e in t.cases(t.FIRST)] + [(q, e, 3) for q, e in t.cases(t.TOP_THREE)]


def _tests_on_path() -> None:
    for folder in (ROOT / "tests", ROOT / "tests" / "browser"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))


PAGEFIND_SEARCH = """async q => {
    const pagefind = await import("./pagefind/pagefind.js");
    const search = await pagefind.search(q);
    const data = await Promise.all(search.results.slice(0, 5).map(r => r.data()));
    return data.map(d => new URL(d.url, location.href).pathname);
}"""


def score(browser: Any, site: Path, engine: str) -> dict[str, Any]:
    """How many queries of the set bring their page within the first one (or three)."""
    _tests_on_path()
    from test_search_queries import results

    missed = []
    cases = query_set()
    with served(site) as base:
        context = browser.new_context(base_url=base)
        page = context.new_page()
        page.goto("" if engine == "lunr" else PAGEFIND_PAGE)
        for query, expected, top in cases:
            found = (
                results(page, query) if engine == "lunr" else page.evaluate(PAGEFIND_SEARCH, query)
            )
            if expected not in found[:top]:
                missed.append(f"{query!r}: {found[:3]}")
        context.close()
    return {"engine": engine, "score": f"{len(cases) - len(missed)}/{len(cases)}", "missed": missed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--pagefind", action="store_true")
    parser.add_argument("--query", action="append", default=[])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--queries", choices=["tests"], default=None)
    parser.add_argument(
        "--tuned", action="store_true", help="give Pagefind the words of the theme's own fields"
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    report: dict[str, Any] = {"site": str(args.site), "pages": len(list(args.site.rglob("*.html")))}
    lunr = args.site / "search" / "search_index.json"
    report["lunr_index"] = {"bytes": lunr.stat().st_size, "gzip_bytes": gzip_bytes(lunr)}
    copy = args.site.with_name(args.site.name + "-pagefind")
    if args.pagefind:
        report["pagefind_seconds"] = round(index_pagefind(args.site, copy, args.tuned), 2)
        report["pagefind_index"] = {"bytes": dir_bytes(copy / "pagefind")}
    queries = args.query or ["Istanbul"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        report["lunr"] = measure(browser, args.site, "lunr", queries, args.repeat)
        if args.pagefind:
            report["pagefind"] = measure(browser, copy, "pagefind", queries, args.repeat)
        if args.queries:
            report["lunr_score"] = score(browser, args.site, "lunr")
            if args.pagefind:
                report["pagefind_score"] = score(browser, copy, "pagefind")
        browser.close()
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
