"""The MkDocs hooks (mkdocs.yml `hooks:`): each event handed to the one `SiteBuild`.

MkDocs loads this file by its path with only its own folder on `sys.path`, so the project
folder is put there first: `import macros` then works from any working directory
(`mkdocs build -f /path/to/mkdocs.yml`), whatever other plugins do. MkDocs keeps this module
across `mkdocs serve` rebuilds, so `BUILD` (the build's state) lives here on purpose.
"""

import sys
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from macros.build import SiteBuild  # noqa: E402  (needs the project on sys.path)

BUILD = SiteBuild()


def on_startup(command: str, dirty: bool) -> None:
    BUILD.on_startup(command, dirty)


@event_priority(-50)  # after mkdocs-macros' own on_config, which resets its macros
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    BUILD.on_config(config)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    return BUILD.on_files(files, config)


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    BUILD.on_env(env)
    return env


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    BUILD.on_pre_page()
    return page


@event_priority(-50)  # after mkdocs-macros has rendered the page, so `{{` in a title stays text
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return BUILD.on_page_markdown(markdown, page)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return BUILD.on_page_content(html, page)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    BUILD.on_post_page(page)
    return output


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
    BUILD.on_serve(server, config)
    return server


@event_priority(-50)  # after every other plugin has written its files: Pagefind indexes the site
def on_post_build(config: MkDocsConfig) -> None:
    BUILD.on_post_build(config)
