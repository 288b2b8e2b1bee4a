"""How the site words what it shows, so that each thing is said once and in one word:

- a stance in the words of its demand's kind ("demanded", "proposed", "called for"), never
  "made it", which reads as "succeeded";
- whose words a statement is, said once: not after words that already say it ("Medinsky
  confirmed …"), nor where the one holding a stance is the one who says so;
- a quotation shown where it adds to the words beside it, not where it repeats them;
- counts with their nouns in the singular or the plural ("1 actor", "2 rounds").

Pure functions over the model (any `Reader`): no MkDocs, no templates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from macros.model.schema import Actor
from macros.model.voice import REPORTING_WORDS

# The stance "made", by the kind of what was made; the other stances have one word each.
MADE = {
    "demand": "demanded",
    "condition": "set as a condition",
    "proposal": "proposed",
    "call": "called for",
    "issue": "put on the table",
}
STANCE_WORDS = {
    "raised": "put on the table",  # an issue: the one name of that act
    "supports": "supports",
    "rejects": "rejects",
    "opposes": "opposes",
}
# Each label with its object, as a sentence says it: "Ukraine put it on the table".
_WITH_IT = {
    "set as a condition": "set it as a condition",
    "put on the table": "put it on the table",
}
# As a reader names who holds a stance: "rejected by Russia".
_BY = {"supports": "supported by", "rejects": "rejected by", "opposes": "opposed by"}
STANCE_ORDER = ("made", "raised", "supports", "rejects", "opposes")
# Whoever put a demand forward, in one word for the tables (made it, or put it on the table).
PUT_FORWARD = ("made", "raised")


def stance_label(stance: str, kind: str) -> str:
    """A stance in a word, by its demand's kind: "demanded", "proposed", "rejects"."""
    return MADE.get(kind, MADE["demand"]) if stance == "made" else STANCE_WORDS[stance]


def stance_with_it(stance: str, kind: str) -> str:
    """The label with its object: "demanded it", "put it on the table"."""
    label = stance_label(stance, kind)
    return _WITH_IT.get(label, f"{label} it")


def stance_by(stance: str, kind: str) -> str:
    """The label as a reader names who holds it: "demanded by", "put on the table by"."""
    return _BY.get(stance, f"{stance_label(stance, kind)} by")


# -- whose words, said once ---------------------------------------------------------------------

# Words that say a statement is someone's: the voice check's, and the forms the site's own
# sentences use ("what they describe as", "as published by").
_SAYING = re.compile(
    r"\b("
    + "|".join(
        (*REPORTING_WORDS, "describe", "described", "published", "expected", "called for", "calls")
    )
    + r")\b",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"^(?P<owner>.+?)['’]s (?P<thing>.+)$")


def _plain(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


def _stands_in(name: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(_plain(name))}(?!\w)", text) is not None


def names_of(actors: Mapping[str, Actor], actor_id: str) -> tuple[str, ...]:
    """The names a sentence may call an actor by: its name, its aliases, a person's surname."""
    actor = actors[actor_id]
    names = [actor.name, *actor.aliases]
    if actor.kind == "person":
        names.append(actor.name.split()[-1])
    return tuple(names)


def named_in(actors: Mapping[str, Actor], actor_id: str, text: str) -> bool:
    """Whether `text` names the actor: by one of its names, or as "its allies" where its name
    is "Ukraine's allies" and Ukraine (by any of its names) stands in the text too."""
    plain = _plain(text)
    if any(_stands_in(n, plain) for n in names_of(actors, actor_id)):
        return True
    for name in names_of(actors, actor_id):
        found = _POSSESSIVE.match(name)
        if not found:
            continue
        owner, thing = found["owner"], found["thing"]
        if not any(_stands_in(f"{p} {thing}", plain) for p in ("its", "his", "her", "their")):
            continue
        if _stands_in(owner, plain):
            return True
        # The owner by another of its names ("Kyiv"): all actors looked through, only here (a
        # look at each per call would grow with the square of the data).
        owner_id = next((i for i, a in actors.items() if _plain(a.name) == _plain(owner)), None)
        if owner_id and any(_stands_in(n, plain) for n in names_of(actors, owner_id)):
            return True
    return False


def voices_to_show(
    actors: Mapping[str, Actor], speakers: Iterable[str], words: str = "", holder: str = ""
) -> list[str]:
    """The speakers a statement must still name after its own words: none where the words say
    whose they are (they name every speaker and hold a word of saying), and never the holder of
    a stance who is the one saying so ("Russia's delegation proposed it", by its own account)."""
    speakers = [s for s in dict.fromkeys(speakers) if s != holder]
    said = bool(words) and _SAYING.search(words) is not None
    if speakers and said and all(named_in(actors, s, words) for s in speakers):
        return []
    return speakers


# -- a quotation that adds to the words beside it ------------------------------------------------

_WORD = re.compile(r"\w+")
ECHO_MIN_WORDS = 3  # a shorter quotation is a name or a phrase: it always shows


def _words(text: str) -> list[str]:
    return _WORD.findall(_plain(text))


def echoes(quote: str, words: str) -> bool:
    """Whether a quotation says no more than the words beside it: every word of it but at most
    one stands in them (the site's words may say "Ukraine's" for the source's "Ukrainian")."""
    quoted = _words(quote)
    if not words or len(quoted) < ECHO_MIN_WORDS:
        return False
    return len(set(quoted) - set(_words(words))) <= 1


# -- counts ---------------------------------------------------------------------------------------


def counted(n: int, singular: str, plural: str = "") -> str:
    """ "1 actor", "14 actors", "1 round of talks", "2 rounds of talks"."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def listed(items: Iterable[str]) -> str:
    """ "a, b and c"."""
    items = list(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else "".join(items)


def kinds_counted(kinds: Iterable[str]) -> str:
    """The demands by kind, in a phrase: "6 demands, 4 conditions and 1 issue"."""
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    order = list(MADE)
    ranked = sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k))
    return listed(counted(counts[k], k) for k in ranked)
