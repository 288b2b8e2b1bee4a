"""What search knows of each page beyond its text, kept out of what a reader sees.

mkdocs-material's search prints a page's tags in every result, so the words below are not tags:
after the theme has written its index (`search/search_index.json`), they are added to the entry
of each entity's page as fields of their own, which the index searches (boosts in `mkdocs.yml`,
`plugins: search: fields:`) and no result shows:

- `names`: the one-word names of an entity (Russia, Kyiv, the Kremlin) and its one-word spelling
  variants (`search_variants`: Zelenskyy, Kiev), boosted far above a title, so that the page of
  Russia comes before "Russia's delegation" and the page of Ukraine before the team whose alias
  is "Kyiv's negotiating team": a one-word name is all a reader types, a word of a longer name
  only part of it (and the theme's search matches every word as a prefix: "Kyiv*");
- `aliases`: its longer names and variants (an actor's aliases, a round's place), boosted as
  much as a title;
- `keywords`: a demand's key words, boosted well below a title, so that a demand that mentions
  a person comes after that person's own page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NamedTuple

INDEX = Path("search", "search_index.json")  # under the site directory
SEPARATOR = re.compile(r"[\s\-]+")  # the theme's for English (`search.config.separator`)


class SearchWords(NamedTuple):
    """The words one page should be found by, beyond its text."""

    title: str = ""  # searched as a title already; a one-word title is a name too
    names: tuple[str, ...] = ()  # its other names and spelling variants
    keywords: tuple[str, ...] = ()

    def fields(self) -> dict[str, list[str]]:
        """The index fields of these words (only those that have any)."""
        fields = {
            "names": [n for n in (self.title, *self.names) if n and _one_word(n)],
            "aliases": [n for n in self.names if not _one_word(n)],
            "keywords": list(self.keywords),
        }
        return {name: words for name, words in fields.items() if words}


def _one_word(name: str) -> bool:
    """One word to the theme's search (which splits at spaces and hyphens), an article aside."""
    return len(SEPARATOR.split(re.sub(r"(?i)^the\s+", "", name.strip()))) == 1


def add_fields(index: dict[str, Any], words: dict[str, SearchWords]) -> dict[str, Any]:
    """The theme's search index with each page's words added to its first entry (the page
    itself; the others are its sections). `words` is keyed by page URL, as the index's
    `location`s are."""
    seen: set[str] = set()
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        if page in seen or page not in words:
            continue
        seen.add(page)
        doc.update(words[page].fields())
    return index


def rewrite_index(site_dir: Path, words: dict[str, SearchWords]) -> bool:
    """Add the words to the index the theme wrote into site_dir; False if there is none (the
    search plugin is off)."""
    path = site_dir / INDEX
    if not path.is_file():
        return False
    index = add_fields(json.loads(path.read_text("utf-8")), words)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return True
