"""Build time, peak memory and search index of the site for N synthetic entities, against two
floors: plain mkdocs-material building the same pages from static Markdown, and building only
their visible text, as plain paragraphs (the plain-text floor).

    python -m bench.benchmark 500 4000 10000 [--seed 1] [--repeat 1] [--keep]
    python -m bench.benchmark 50000 --build-only   # only the site's build: time and memory

For each N: generate data/ (bench.generate) into a copy of the project, time `python -m macros
check` and `mkdocs build --strict` on it (the build includes Pagefind's index: its time is in
the build's, and printed apart), measure Pagefind's index on disk and, in Chromium, the bytes a
reader downloads before the first result (bench/search.py); then write out the Markdown that
the macros produce for every page into a project with the same config but no macros plugin and
no hooks (so no search index), and build that; then the plain-text floor: each built page's
visible text (its article's, block by block) written as paragraphs under its own headings, with
the same config and front matter, built the same way.
Builds run under a wrapper that reports the mkdocs process's own CPU time and peak memory apart
from its children's (Pagefind's).
Prints a table and JSON, and writes the JSON to bench/out/.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from bench import edit_loop
from bench import history as bench_history
from bench.generate import generate, spoil
from bench.search import first_result_figures, index_figures

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PROJECT = ("mkdocs.yml", "docs", "macros")  # what builds the site, beside the generated data/
THEME = ("overrides",)  # theme files, where present: the floor has them too
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
IGNORE = shutil.ignore_patterns("__pycache__")


class Run(NamedTuple):
    seconds: float  # wall time
    cpu: float  # user + system time of the child and what it waited for (Pagefind's process)
    peak_mb: float  # ru_maxrss of the child (counts this process's own too: see MEASURED)
    output: str = ""  # what it printed
    own: dict[str, float] | None = None  # the mkdocs process's own figures, its children's


# Runs mkdocs and, as it exits, prints its own CPU time and peak RSS, and those of the processes
# it waited for (Pagefind's). Linux counts in a spawned process's peak RSS (ru_maxrss) its
# parent's at the time (vfork): this benchmark's own, which has rendered every page for the
# floor, or mkdocs' for Pagefind. So peaks are read from /proc (VmHWM: the process's own memory
# since it started its program): mkdocs' as it exits, Pagefind's while it runs.
MEASURED = """
import atexit, json, os, resource, sys, threading, time
children_peak = [0]
def watch():
    me = os.getpid()
    while True:
        for task in os.listdir(f"/proc/{me}/task"):
            try:
                kids = open(f"/proc/{me}/task/{task}/children").read().split()
                for kid in kids:
                    for line in open(f"/proc/{kid}/status"):
                        if line.startswith("VmHWM:"):
                            children_peak[0] = max(children_peak[0], int(line.split()[1]))
            except OSError:
                pass
        time.sleep(0.05)
def own_peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
def report():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {"cpu": own.ru_utime + own.ru_stime, "peak_mb": own_peak() / 1024,
               "children_cpu": kids.ru_utime + kids.ru_stime,
               "children_peak_mb": children_peak[0] / 1024}
    print("BENCH-RUSAGE " + json.dumps(figures), file=sys.stderr, flush=True)
threading.Thread(target=watch, daemon=True).start()
atexit.register(report)
sys.argv[0] = "mkdocs"
from mkdocs.__main__ import cli
cli()
"""


def run(cmd: list[str], cwd: Path, refused: bool = False) -> Run:
    """Run cmd to the end; its wall time, CPU time and peak RSS (os.wait4: the child's, with
    those of the processes it waited for, such as Pagefind's in a build). `refused`: the
    command must fail (a check of spoiled data)."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode(errors="replace")
        if bool(proc.returncode) != refused:
            outcome = "passed" if refused else "failed"
            sys.exit(f"{' '.join(cmd)} {outcome} in {cwd}:\n{output[-4000:]}")
    found = re.search(r"^BENCH-RUSAGE (.*)$", output, re.M)
    own = json.loads(found[1]) if found else {}
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output, own)


def pagefind_seconds(output: str) -> float:
    """Pagefind's time, from the build's log ("Pagefind indexed 36 pages in 0.3 s")."""
    found = re.search(r"Pagefind indexed \d+ pages in ([\d.]+) s", output)
    return float(found[1]) if found else 0.0


def _peak(run: Run) -> float:
    """The mkdocs process's own peak RSS, as the wrapper read it (MEASURED)."""
    return (run.own or {}).get("peak_mb", run.peak_mb)


def fastest(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.cpu)


BUILD = [sys.executable, "-c", MEASURED, "build", "--strict", "--site-dir", "site"]
QUERIES = ["Istanbul", "ceasefire"]  # typed in Chromium: bytes and time to the first result
CHECK = [sys.executable, "-m", "macros", "check", "data"]
# The spoiled check: data with this many quotes broken and actor ids misspelt (bench.generate).
WRONG_QUOTES, UNKNOWN_IDS = 1000, 100


# -- the two projects ------------------------------------------------------------------------


def snapshot(project: Path, dest: Path) -> Path:
    """The project's code and pages as they are now: every size is measured on the same code."""
    dest.mkdir(parents=True)
    for name in (*PROJECT, *THEME):
        src = project / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=IGNORE)
        elif src.is_file():
            shutil.copy(src, dest / name)
    return dest


def site_project(code: Path, dest: Path, entities: int, seed: int) -> Path:
    shutil.copytree(code, dest, ignore=IGNORE)
    generate(entities, dest / "data", seed)
    return dest


def floor_project(site: Path, dest: Path) -> None:
    """The site's config without macros and hooks, and as static files every page that the
    hook adds and the macros render, in the Markdown the macros produce. (What the hook's
    on_page_markdown adds, a page's meta title and description, is left out: a few bytes.)"""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    shutil.copytree(site / "docs", dest / "docs")
    for name in THEME:
        if (site / name).is_dir():
            shutil.copytree(site / name, dest / name)
    # The site's own events, as a build runs them: the hook registers the macros and adds the
    # generated files; each page's Markdown is what mkdocs-macros renders from its stub.
    config = load_config(str(site / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    docs = [
        File(p.relative_to(site / "docs").as_posix(), str(site / "docs"), config.site_dir, True)
        for p in sorted((site / "docs").rglob("*.md"))
    ]
    files = config.plugins.on_files(Files(docs), config=config)
    for file in files:
        if not (file.generated_by or file.src_uri.endswith(".md")):
            continue
        content = file.content_string
        if file.src_uri.endswith(".md"):
            page = Page(None, file, config)
            page.read_source(config)  # its front matter and title, as MkDocs reads them
            content = config.plugins.on_page_markdown(
                page.markdown or "", page=page, config=config, files=files
            )
            # The HTML blocks the macros set aside from Python-Markdown, back in their place.
            hooks: Any = config.hooks  # name -> module
            content = hooks["macros/hooks.py"].BUILD.blocks.restored(file.src_uri, content)
            if page.meta:  # the front matter read_source took off
                content = f"---\n{yaml.safe_dump(page.meta, sort_keys=True)}---\n{content}"
        path = dest / "docs" / file.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")

    from mkdocs.utils.yaml import yaml_load  # MkDocs' own reader: it resolves `!ENV`

    plain = yaml_load((site / "mkdocs.yml").read_text("utf-8"))
    plain.pop("hooks", None)
    plain.pop("watch", None)
    plain["plugins"] = [p for p in plain.get("plugins", []) if "macros" not in p]  # str or dict
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(plain, sort_keys=False), "utf-8")


BLOCKS = {  # elements whose text stands apart: a paragraph each (table rows, list items...)
    *("p", "li", "tr", "div", "details", "summary", "figure", "svg", "table", "ul", "ol"),
    *("dl", "dt", "dd", "pre", "blockquote", "form", "section", "br"),
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
WORDS = {"td", "th", "text"}  # cells and SVG text: words apart, in the same paragraph
UNSEEN = {"script", "style", "title", "template"}  # never shown (an SVG's title is a tooltip)


class VisibleText(HTMLParser):
    """The text a reader sees in a page's <article>, as Markdown: each heading a heading, each
    block a paragraph, nothing else (no link, table, list or attribute). Hidden parts, the
    visually hidden ones for screen readers and the headings' permalinks are left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.words: list[str] = []
        self.heading = 0  # the level of the heading being read, or 0
        self.inside = False  # within the <article>
        self.skipping: list[str] = []  # the tags of the hidden element being skipped, nested

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.inside = True
        if not self.inside or tag in VOID_ELEMENTS:
            if self.inside and tag == "br" and not self.skipping:
                self._block()
            return
        if self.skipping or tag in UNSEEN or self._hidden(dict(attrs)):
            self.skipping.append(tag)
        elif tag in HEADINGS or tag in BLOCKS:
            self._block()
            self.heading = int(tag[1]) if tag in HEADINGS else self.heading
        elif tag in WORDS:
            self.words.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._block()
            self.inside = False
        elif self.skipping:
            if self.skipping[-1] == tag:
                self.skipping.pop()
        elif tag in HEADINGS or tag in BLOCKS:
            self._block()

    def handle_data(self, data: str) -> None:
        if self.inside and not self.skipping:
            self.words.append(data)

    @staticmethod
    def _hidden(attrs: dict[str, str | None]) -> bool:
        classes = (attrs.get("class") or "").split()
        return "hidden" in attrs or "visually-hidden" in classes or "headerlink" in classes

    def _block(self) -> None:
        text = " ".join("".join(self.words).split())
        if text:
            text = html.escape(text, quote=False)  # text, never HTML
            self.blocks.append(f"{'#' * self.heading} {text}" if self.heading else text)
        self.words, self.heading = [], 0


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID_ELEMENTS |= {"source", "track", "wbr"}


def visible_text(page_html: str) -> str:
    parser = VisibleText()
    parser.feed(page_html)
    parser.close()
    return "\n\n".join(parser.blocks) + "\n"


def text_floor_project(floor: Path, built: Path, dest: Path) -> None:
    """The floor project with each page's Markdown replaced by the visible text of the page as
    the site built it (`built`: its site/), under the same front matter."""
    from mkdocs.structure.files import File

    shutil.copytree(floor, dest, ignore=shutil.ignore_patterns("site"))
    use_directory_urls = yaml.safe_load((floor / "mkdocs.yml").read_text("utf-8")).get(
        "use_directory_urls", True
    )
    for page in sorted((dest / "docs").rglob("*.md")):
        src_uri = page.relative_to(dest / "docs").as_posix()
        output = File(src_uri, None, str(built), use_directory_urls).abs_dest_path
        front = re.match(r"---\n.*?\n---\n", page.read_text("utf-8"), re.S)
        text = visible_text(Path(output).read_text("utf-8"))
        page.write_text((front[0] if front else "") + text, "utf-8")


# -- one size ----------------------------------------------------------------------------------


def measure_checks(site: Path, work: Path, seed: int, repeat: int) -> dict[str, Any]:
    """`make check` on the generated data, then on a copy with WRONG_QUOTES wrong citations and
    UNKNOWN_IDS unknown ids: what each problem costs (bounded, so the checks stay linear)."""
    check = fastest([run(CHECK, site) for _ in range(repeat)])
    spoiled = work / "spoiled-project"
    shutil.copytree(site, spoiled, ignore=IGNORE)
    spoil(spoiled / "data", WRONG_QUOTES, UNKNOWN_IDS, seed)
    wrong = fastest([run(CHECK, spoiled, refused=True) for _ in range(repeat)])
    shutil.rmtree(spoiled)
    problems = re.search(r"^(\d+) problem\(s\)", wrong.output, re.M)
    return {
        "check_s": round(check.seconds, 2),
        "check_cpu_s": round(check.cpu, 2),
        "check_wrong_s": round(wrong.seconds, 2),
        "check_wrong_cpu_s": round(wrong.cpu, 2),
        "check_wrong_problems": int(problems[1]) if problems else 0,
    }


def measure(code: Path, work: Path, entities: int, seed: int, repeat: int) -> dict[str, Any]:
    site = site_project(code, work / "site-project", entities, seed)
    floor, text = work / "floor-project", work / "text-floor-project"
    checks = measure_checks(site, work, seed, repeat)
    floor_project(site, floor)
    # The three builds take turns, so that a slower spell of the machine hits each.
    runs = []
    for _ in range(repeat):
        built = run(BUILD, site)
        if not text.exists():  # the plain-text floor needs the site built once
            text_floor_project(floor, site / "site", text)
        runs.append((built, run(BUILD, floor), run(BUILD, text)))
    built, plain, bare = (fastest([r[i] for r in runs]) for i in range(3))
    pages = sum(1 for _ in (floor / "docs").glob("**/*.md"))
    index = index_figures(site / "site")
    reader = first_result_figures(site / "site", QUERIES)
    own = built.own or {}
    edits = edit_loop.measure(site, repeat)  # make serve's loop: save -> the page shows it
    # Last, as it makes the project a git repository: the same build, with the history.
    history = bench_history.measure(site, lambda project: run(BUILD, project))
    return {
        "entities": entities,
        "pages": pages,
        "build_s": round(built.seconds, 2),
        "build_cpu_s": round(built.cpu, 2),  # mkdocs and Pagefind's process
        "mkdocs_cpu_s": round(own.get("cpu", 0), 2),  # the mkdocs process alone
        "pagefind_cpu_s": round(own.get("children_cpu", 0), 2),
        "ms_per_page": round(built.cpu * 1000 / pages, 1),
        "peak_mb": round(_peak(built)),  # the mkdocs process's own
        "pagefind_peak_mb": round(own.get("children_peak_mb", 0)),
        "pagefind_s": pagefind_seconds(built.output),  # wall time of its part of the build
        "index_bytes": index["bytes"],  # Pagefind's whole bundle, scripts included
        "index_chunks": index["chunks"],
        "index_fragments": index["fragments"],
        "first_result_bytes": reader["bytes_median"],  # downloaded before the first result
        "first_result_gzip_bytes": reader["gzip_bytes_median"],
        "first_result_ms": reader["ms_median"],
        "floor_s": round(plain.seconds, 2),
        "floor_cpu_s": round(plain.cpu, 2),
        "floor_peak_mb": round(_peak(plain)),
        "ratio": round(built.cpu / plain.cpu, 2),
        "wall_ratio": round(built.seconds / plain.seconds, 2),
        "text_floor_s": round(bare.seconds, 2),
        "text_floor_cpu_s": round(bare.cpu, 2),
        "text_floor_ms_per_page": round(bare.cpu * 1000 / pages, 1),
        "text_floor_peak_mb": round(_peak(bare)),
        # Per page, as both build the same pages: the site's CPU time over the text floor's.
        "text_ratio": round(built.cpu / bare.cpu, 2),
        "mkdocs_text_ratio": round(own.get("cpu", built.cpu) / bare.cpu, 2),  # Pagefind aside
        **checks,
        **{f"edit_{name}_s": e["edit_shown_s"] for name, e in edits.items()},
        **{f"edit_{name}_cpu_s": e["edit_cpu_s"] for name, e in edits.items()},
        **history,
    }


# -- report ----------------------------------------------------------------------------------

COLUMNS = {  # heading: key in a row
    "entities": "entities",
    "pages": "pages",
    "build s": "build_s",
    "cpu s": "build_cpu_s",
    "pagefind cpu s": "pagefind_cpu_s",
    "ms/page": "ms_per_page",
    "peak MB": "peak_mb",
    "pagefind peak MB": "pagefind_peak_mb",
    "pagefind s": "pagefind_s",
    "index MB": "index_mb",
    "first result MB": "first_result_mb",
    "first result ms": "first_result_ms",
    "floor s": "floor_s",
    "floor cpu s": "floor_cpu_s",
    "ratio": "ratio",
    "text floor cpu s": "text_floor_cpu_s",
    "text floor ms/page": "text_floor_ms_per_page",
    "ratio to text floor": "text_ratio",
    "check s": "check_s",
    "check s, 1,100 wrong": "check_wrong_s",
    "edit shown s (fact)": "edit_fact_s",
    "edit shown s (stance)": "edit_stance_s",
    "history +cpu": "history_share",
    "history read s (serve)": "history_unchanged_s",
}


def table(rows: list[dict[str, Any]]) -> str:
    """Times in s (wall, and cpu: user + system), ms per page and ratio to the floor in cpu."""
    cells = [list(COLUMNS)] + [
        [str(row[key]) if key in row else _megabytes(row, key) for key in COLUMNS.values()]
        for row in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells)


def _megabytes(row: dict[str, Any], key: str) -> str:
    """index_mb and first_result_mb, from the byte counts."""
    return f"{row[key.replace('_mb', '_bytes')] / 1e6:.2f}"


TEXT_RATIO = 1.6  # the site's build against the plain-text floor, CPU time per page
PEAK_RATIO = 1.15  # the mkdocs process's peak memory against the floor's
HISTORY_SHARE = 0.10  # what the history of a few hundred commits adds to a full build, cpu


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    """The issue's targets, on cpu time (wall time on a busy machine counts others' work)."""
    lines = []
    for a, b in itertools.pairwise(rows):
        size, growth = b["entities"] / a["entities"], b["build_cpu_s"] / a["build_cpu_s"]
        limit = 9 / 8 * size
        lines.append(
            f"{a['entities']} -> {b['entities']} entities: time x{growth:.1f} for x{size:.0f} "
            f"(target at most x{limit:.1f}): {'met' if growth <= limit else 'MISSED'}"
        )
    for row in rows:
        targets = [
            (f"{row['ratio']} x the floor", row["ratio"] <= 1.2, "at most 1.2"),
            (
                f"{row['text_ratio']} x the plain-text floor per page, cpu "
                f"({row['mkdocs_text_ratio']} without Pagefind's process)",
                row["text_ratio"] <= TEXT_RATIO,
                f"at most {TEXT_RATIO}",
            ),
            (
                f"peak {row['peak_mb']} MB, {row['peak_mb'] / row['floor_peak_mb']:.2f} x the "
                f"floor's {row['floor_peak_mb']} MB (Pagefind's process apart: "
                f"{row['pagefind_peak_mb']} MB)",
                row["peak_mb"] <= PEAK_RATIO * row["floor_peak_mb"],
                f"at most {PEAK_RATIO} x",
            ),
        ]
        if "history_share" in row:
            targets += [
                (
                    f"history of {row['history_commits']} commits adds "
                    f"{row['history_share']:.1%} to a full build (cpu; its first read "
                    f"{row['history_cold_s']} s, from the cache {row['history_cached_s']} s, "
                    f"after a commit {row['history_next_commit_s']} s)",
                    row["history_share"] <= HISTORY_SHARE,
                    f"at most {HISTORY_SHARE:.0%}",
                ),
                (
                    f"history read in the serve loop {row['history_unchanged_s']} s",
                    row["history_unchanged_s"] <= 0.05,
                    "at most 0.05 s",
                ),
            ]
        if row["entities"] >= 10_000:
            targets += [
                (f"peak {row['peak_mb']} MB", row["peak_mb"] < 500, "under 500 MB"),
                *check_targets(row),
                (
                    f"{row['first_result_bytes'] / 1e6:.2f} MB before the first result",
                    row["first_result_bytes"] < 1e6 or row["index_bytes"] <= 10e6,
                    "under 1 MB, or an index under 10 MB",
                ),
                (
                    f"first result in {row['first_result_ms']} ms",
                    row["first_result_ms"] <= 1000,
                    "1 s",
                ),
            ]
        lines += [
            f"{row['entities']} entities: {what} (target {limit}): {'met' if ok else 'MISSED'}"
            for what, ok, limit in targets
        ]
    return lines


def check_targets(row: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """The check's targets: quick on valid data, and a bounded cost per problem on wrong data."""
    extra_ms = (row["check_wrong_cpu_s"] - row["check_cpu_s"]) * 1000
    per_problem = extra_ms / max(1, row["check_wrong_problems"])
    return [
        (
            f"check {row['check_cpu_s']} s cpu ({row['check_s']} s wall)",
            row["check_cpu_s"] < 2,
            "under 2 s",
        ),
        (
            f"check with {WRONG_QUOTES:,} wrong citations and {UNKNOWN_IDS} unknown ids "
            f"{row['check_wrong_cpu_s']} s cpu ({row['check_wrong_s']} s wall, "
            f"{row['check_wrong_problems']:,} problems: {per_problem:.1f} ms cpu each beyond "
            "the valid data's check)",
            per_problem <= 2,
            "at most 2 ms a problem",
        ),
    ]


def build_only(code: Path, work: Path, entities: int, seed: int) -> dict[str, Any]:
    """`--build-only`: the site's full build, for sizes where the floors, the edit loop and
    the history would take hours: whether time and memory still grow linearly."""
    site = site_project(code, work / "site-project", entities, seed)
    built = run(BUILD, site)
    own = built.own or {}
    pages = sum(1 for _ in (site / "site").glob("**/index.html"))
    return {
        "entities": entities,
        "pages": pages,
        "build_s": round(built.seconds, 2),
        "build_cpu_s": round(built.cpu, 2),
        "mkdocs_cpu_s": round(own.get("cpu", 0), 2),
        "pagefind_cpu_s": round(own.get("children_cpu", 0), 2),
        "ms_per_page": round(built.cpu * 1000 / pages, 1),
        "peak_mb": round(_peak(built)),
        "pagefind_peak_mb": round(own.get("children_peak_mb", 0)),
        "pagefind_s": pagefind_seconds(built.output),
    }


def checks_only(code: Path, work: Path, entities: int, seed: int, repeat: int) -> dict[str, Any]:
    """`--checks`: the data generated and checked, valid and spoiled; no build."""
    site = site_project(code, work / "site-project", entities, seed)
    return {"entities": entities, **measure_checks(site, work, seed, repeat)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("entities", type=int, nargs="*", default=[500, 4000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each build; the fastest counts"
    )
    parser.add_argument("--project", type=Path, default=ROOT, help="the project to measure")
    parser.add_argument("--keep", action="store_true", help="keep the projects in /tmp")
    parser.add_argument(
        "--checks", action="store_true", help="only `make check`, on valid and spoiled data"
    )
    parser.add_argument(
        "--build-only", action="store_true", help="only the site's build: its time and memory"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="talks-bench-"))
    code = snapshot(args.project, work / "code")
    sys.path.insert(0, str(code))  # the floor renders pages with this same snapshot of macros
    for name in [m for m in sys.modules if m.partition(".")[0] == "macros"]:
        del sys.modules[name]  # bench.generate imported this folder's (--project may differ)
    rows = []
    for n in args.entities:
        if args.checks:
            rows.append(checks_only(code, work / str(n), n, args.seed, args.repeat))
            print("\n".join(what for what, _, _ in check_targets(rows[-1])), flush=True)
        elif args.build_only:
            rows.append(build_only(code, work / str(n), n, args.seed))
            print(json.dumps(rows[-1]), flush=True)
        else:
            rows.append(measure(code, work / str(n), n, args.seed, args.repeat))
            print(table(rows[-1:]), flush=True)
        if not args.keep:
            shutil.rmtree(work / str(n))
    if args.keep:
        print(f"projects kept in {work}")
    else:
        shutil.rmtree(work)
    report = {"date": time.strftime("%Y-%m-%dT%H:%M:%S"), "seed": args.seed, "rows": rows}
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    if not (args.checks or args.build_only):
        print(f"\n{table(rows)}\n\n" + "\n".join(verdicts(rows)))
    print(f"\n{json.dumps(report)}\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
