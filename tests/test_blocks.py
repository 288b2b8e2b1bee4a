"""The HTML blocks of a page pass Python-Markdown untouched and unread: set aside before it,
put back after, and the page comes out as Python-Markdown alone would make it."""

from __future__ import annotations

import markdown

from macros.blocks import HtmlBlocks

PAGE = """# Title

<p>A <em>block</em> with *no* Markdown in it.</p>

<ul>
<li>one</li>
</ul>
## A heading right after a block

Some *Markdown* text.

<table>
<tr><td>a</td></tr>
</table>
"""


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=["toc"])


def test_a_page_comes_out_as_python_markdown_makes_it():
    blocks = HtmlBlocks()
    set_aside = blocks.set_aside("page.md", PAGE)
    assert "<ul>" not in set_aside and "<table>" not in set_aside  # Markdown never sees them
    assert "# Title" in set_aside and "## A heading" in set_aside
    assert blocks.put_back("page.md", convert(set_aside)) == convert(PAGE)


def test_what_was_set_aside_for_one_page_stays_with_it():
    blocks = HtmlBlocks()
    first = blocks.set_aside("a.md", "<p>A</p>\n")
    second = blocks.set_aside("b.md", "<p>B</p>\n")
    assert blocks.put_back("b.md", convert(second)) == "<p>B</p>"
    assert blocks.put_back("a.md", convert(first)) == "<p>A</p>"
    assert blocks.put_back("a.md", "<p>x</p>") == "<p>x</p>"  # taken once


def test_a_page_that_only_looks_like_a_placeholder_is_left_alone():
    blocks = HtmlBlocks()
    blocks.set_aside("a.md", "<p>A</p>\n")
    assert blocks.put_back("a.md", "<p>htmlblock0n0</p>") == "<p>htmlblock0n0</p>"


def test_the_markdown_can_be_had_back_as_the_templates_wrote_it():
    """For the benchmark's floor: the same page, blank lines between blocks aside."""
    blocks = HtmlBlocks()
    restored = blocks.restored("page.md", blocks.set_aside("page.md", PAGE))

    def lines(text: str) -> list[str]:
        return [line for line in convert(text).split("\n") if line]

    assert lines(restored) == lines(PAGE)
