"""A synthetic corpus in the format of data/, of any size, the same for the same seed.

Half the entities are actors, 40% demands and 10% rounds, with one source of 20 to 60 lines for
every 10 entities. Each source's lines mention the entities it is about, and every citation
quotes words that stand verbatim on the cited line.

    python -m bench.generate 4000 /tmp/corpus/data [--seed 1]
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from macros.kinds import KINDS
from macros.model.voice import Span, reporting_word, speakers_of

Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Olena Andriy Iryna Mykola Oksana Taras Sergei Dmitry Anna Yulia Pavlo Natalia Viktor "
    "Kateryna Oleksandr Maria Ivan Svitlana Roman Tetiana Marco Claire Jonas Ewa Piotr Laura "
    "Hakan Ayse Thomas Emma"
)
SYLLABLES = _words("ko lo vi ran mir dan sha tel or zen bu hor lev ny sta pol ser gi mar tos kry")
SURNAME_ENDINGS = _words("enko ov sky chuk ova in yuk ski man ets")
STATES = _words(
    "Russia Ukraine Turkey Belarus Poland Hungary Moldova Georgia Kazakhstan France Germany "
    "Italy Britain Finland Estonia Latvia Lithuania Romania Slovakia Norway"
)
CITIES = _words(
    "Istanbul Geneva Riyadh Minsk Vienna Ankara Doha Helsinki Warsaw Budapest Jeddah Abu-Dhabi "
    "Oslo Bratislava Baku Astana Vilnius Chisinau Tbilisi Belgrade"
)
REGIONS = _words(
    "Donetsk Luhansk Kherson Zaporizhzhia Kharkiv Sumy Mykolaiv Odesa Chernihiv Dnipropetrovsk "
    "Kursk Belgorod Bryansk Crimea"
)
MONTHS = _words("January February March April May June July August September October November")

ACTIONS = (
    "Full ceasefire",
    "Exchange of prisoners of war",
    "Withdrawal of troops",
    "International recognition of control",
    "Lifting of sanctions",
    "Limit on the size of the army",
    "Ban on membership in military alliances",
    "Return of deported children",
    "Security guarantees",
    "Demilitarised zone",
    "Return of the bodies of soldiers",
    "Moratorium on strikes on energy infrastructure",
    "International monitoring mission",
    "Freeze of the front line",
    "Safe passage for grain ships",
    "Humanitarian corridor",
)
SCOPES = (
    "in the {region} region",
    "along the front line",
    "for at least {days} days",
    "under international monitoring",
    "around the {region} nuclear plant",
    "in the Black Sea",
    "before the end of {month}",
    "near {city}",
)

# One sentence each; a template names the entity a line is about by its field. Where someone is
# reported as speaking, the speaker's field: the source's frames (its metadata) give the whole
# sentence to the speaker (identical sentences then never give one span two voices).
SENTENCES = (
    (
        "Speaking at a briefing in {city}, {actor} said the delegation was insisting on the "
        "{demand} for at least {days} days.",
        "actor",
    ),
    ("{actor} told reporters that the {demand} had been raised again at the {round}.", None),
    (
        "According to {actor2}, {actor} rejected the {demand} “in its current form”.",
        "actor2",
    ),
    (
        "{actor} said that the sides had exchanged written proposals “a few days ago”.",
        "actor",
    ),
    (
        "At the {round}, which lasted just over {hours} hours, the delegations discussed the "
        "{demand}.",
        None,
    ),
    (
        "The {round} ended without a major breakthrough, and only a deal to swap {number} "
        "prisoners of war.",
        None,
    ),
    (
        "{actor2} said the {demand} would be discussed by working groups before the end of "
        "{month}.",
        "actor2",
    ),
    (
        "Expectations were low even before the {round} started, with both sides remaining deeply "
        "divided.",
        None,
    ),
    ("{actor} confirmed that {number} bodies of soldiers would be handed over next week.", "actor"),
    (
        "In {city}, {actor2} said the {demand} was tantamount to a de facto capitulation.",
        "actor2",
    ),
    ("No timeframe was given as to when the {demand} would take effect.", None),
    ("{actor} also called for more pressure through sanctions ahead of the {round}.", None),
)
CLAIMS = {  # what a fact says about an entity of each kind, in the site's own words
    "actor": (
        "spoke to reporters after the talks in {city}",
        "called for more pressure through sanctions",
        "said a further exchange of {number} prisoners was being prepared",
        "took part in the talks in {city} in {month}",
        "said the sides remained divided on how to end the war",
    ),
    "demand": (
        "was discussed at a briefing in {city}",
        "was raised again before the end of {month}",
        "would cover at least {days} days, officials said",
        "was rejected in its current form by the other side",
    ),
    "round": (
        "lasted about {hours} hours",
        "ended with a deal to swap {number} prisoners of war",
        "was held in {city} in {month}",
        "ended without a major breakthrough",
    ),
}
ROLES = (
    "Head of the delegation",
    "Deputy foreign minister",
    "Defence minister",
    "Presidential adviser",
    "Spokesperson of the delegation",
    "Member of the negotiating team",
)


class Corpus:
    """The whole synthetic data set in memory, built from one seeded random generator."""

    def __init__(self, entities: int, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        n_actors, n_rounds = max(2, entities // 2), max(1, entities // 10)
        n_demands = max(1, entities - n_actors - n_rounds)
        n_sources = max(1, entities // 10)
        self.ids: set[str] = set()
        self.names: set[str] = set()  # casefolded, as `make check` compares them
        self.actors = [self._actor(i, n_actors) for i in range(n_actors)]
        self.states = [a for a in self.actors if a["kind"] == "state"]
        self.state_weights = [1 / rank for rank in range(1, len(self.states) + 1)]
        self.people = [a for a in self.actors if a["kind"] == "person"] or self.actors
        self.demands = [self._named(self._demand_title(), i) for i in range(n_demands)]
        self.rounds = [
            self._named(f"Round {i + 1} of talks in {self.rng.choice(CITIES)}", i)
            for i in range(n_rounds)
        ]
        for entity in (*self.demands, *self.rounds):
            entity["phrase"] = entity["name"][0].lower() + entity["name"][1:]
        sources = [self._source_lines(s, n_sources) for s in range(n_sources)]
        self.sources = [lines for lines, _ in sources]
        self.frames = [frames for _, frames in sources]

    # -- names ------------------------------------------------------------------------------

    def _slug(self, name: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        slug, n = base, 1
        while slug in self.ids:
            n += 1
            slug = f"{base}-{n}"
        self.ids.add(slug)
        return slug

    def _named(self, name: str, index: int, **extra: Any) -> dict:
        """An entity with an id of its own, and a name of its own: two actors may not read the
        same (`make check` refuses it), so a name drawn twice gets its id's number."""
        slug = self._slug(name)
        number = slug.rpartition("-")[2]
        if name.casefold() in self.names and number.isdigit():
            name = f"{name} {number}"
        self.names.add(name.casefold())
        return {"id": slug, "name": name, "phrase": name, "index": index, **extra}

    def _word(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(2)).capitalize()

    def _actor(self, i: int, total: int) -> dict:
        share = i / total
        if (i < len(STATES) and share < 0.03) or i < 2:
            return self._named(STATES[i], i, kind="state")
        if share < 0.05:
            return self._named(f"Republic of {self._word()}ia", i, kind="state")
        for limit, kind, name in (
            (0.08, "delegation", f"Delegation of {self.rng.choice(STATES)} to {self._word()}"),
            (0.15, "institution", f"Ministry of {self._word()} Affairs"),
            (0.19, "media", f"{self.rng.choice(CITIES)} {self._word()} Radio"),
            (0.20, "bloc", f"{self._word()} Alliance"),
            (0.24, "group", f"{self._word()} Coordination Group"),
        ):
            if share < limit:
                return self._named(name, i, kind=kind)
        surname = self.rng.choice(SYLLABLES).capitalize() + self.rng.choice(SURNAME_ENDINGS)
        return self._named(f"{self.rng.choice(FIRST)} {surname}", i, kind="person")

    def _fill(self, template: str, **given: str) -> str:
        rng = self.rng
        values = {
            "city": rng.choice(CITIES),
            "region": rng.choice(REGIONS),
            "month": rng.choice(MONTHS),
            "days": str(rng.choice((3, 7, 30, 60, 90))),
            "hours": str(rng.randint(1, 6)),
            "number": f"{rng.randint(1, 12) * 500:,}",
            **given,
        }
        return template.format(**values)

    def _demand_title(self) -> str:
        return f"{self.rng.choice(ACTIONS)} {self._fill(self.rng.choice(SCOPES))}"

    # -- sources ----------------------------------------------------------------------------

    def _source_lines(self, s: int, n_sources: int) -> tuple[list[str], list[dict]]:
        """20 to 60 lines, each about one entity of this source's share, in turn; and the
        frames of the lines where someone is reported as speaking."""
        rng = self.rng
        about = [
            (kind, e)
            for kind, pool in (
                ("actor", self.actors),
                ("demand", self.demands),
                ("round", self.rounds),
            )
            for e in pool[s::n_sources]
        ]
        lines: list[str] = []
        frames: list[dict] = []
        for i in range(rng.randint(20, 60)):
            kind, entity = about[i % len(about)] if about else ("", {})
            chosen = [t for t in SENTENCES if "{" + kind + "}" in t[0]] or SENTENCES
            sentences = [self._sentence(rng.choice(chosen), kind, entity)]
            sentences += [self._sentence(rng.choice(SENTENCES)) for _ in range(rng.randint(0, 2))]
            line = " ".join(text for text, _ in sentences)
            lines.append(line)
            said = [dict(frame, line=i + 1) for _, frame in sentences if frame]
            if not said and reporting_word(line):  # a name that reads as one: the text's own
                said = [{"line": i + 1, "span": line, "own_voice": True}]
            frames += said
        return lines, frames

    def _sentence(
        self,
        template: tuple[str, str | None],  # a sentence, and who it says is speaking
        kind: str = "",
        entity: dict | None = None,
    ) -> tuple[str, dict | None]:
        """A sentence, and the frame of what it reports someone as saying, if it does."""
        rng = self.rng
        chosen: dict[str, dict] = {
            "actor": rng.choice(self.actors),
            "actor2": rng.choice(self.actors),
        }
        given = {
            "actor": chosen["actor"]["phrase"],
            "actor2": chosen["actor2"]["phrase"],
            "demand": rng.choice(self.demands)["phrase"],
            "round": rng.choice(self.rounds)["phrase"],
        }
        if entity:
            given[kind] = entity["phrase"]
            chosen[kind] = entity
        text, speaker = self._fill(template[0], **given), template[1]
        return text, {"span": text, "according_to": [chosen[speaker]["id"]]} if speaker else None

    # -- citations and facts ----------------------------------------------------------------

    def cite(self, entity: dict) -> dict:
        """A quote from a line of the entity's own source that names it where one does."""
        rng = self.rng
        s = entity["index"] % len(self.sources)
        if rng.random() < 0.1:  # now and then, another source
            s = rng.randrange(len(self.sources))
        lines = self.sources[s]
        hits = [n for n, line in enumerate(lines) if entity["phrase"] in line]
        n = rng.choice(hits) if hits else rng.randrange(len(lines))
        line = lines[n]
        if hits:
            start = line.index(entity["phrase"])
            end = start + len(entity["phrase"])
            for _ in range(rng.randint(0, 6)):  # and a few words after it
                end = line.find(" ", end + 1)
                if end == -1:
                    end = len(line)
                    break
        else:
            words = line.split(" ")
            first = rng.randrange(len(words))
            start = len(" ".join(words[:first])) + (1 if first else 0)
            end = start + len(" ".join(words[first : first + rng.randint(4, 12)]))
        return {"source": f"source-{s + 1}", "line": n + 1, "quote": _once(line, start, end)}

    def fact(self, entity: dict, text: str) -> dict:
        fact: dict[str, Any] = {"text": text}
        if self.rng.random() < 0.2:
            fact["according_to"] = [self.rng.choice(self.people)["id"]]
        fact["cite"] = [self.cite(entity) for _ in range(1 + (self.rng.random() < 0.2))]
        return fact

    def facts(self, entity: dict, kind: str, low: int, high: int) -> list[dict]:
        subject = entity["name"] if kind == "actor" else f"The {entity['phrase']}"
        return [
            self.fact(entity, f"{subject} {self._fill(self.rng.choice(CLAIMS[kind]))}.")
            for _ in range(self.rng.randint(low, high))
        ]

    def state(self) -> dict:
        """A state, the first ones far more often (Zipf), as Russia and Ukraine in the talks."""
        return self.rng.choices(self.states, self.state_weights)[0]

    # -- the files --------------------------------------------------------------------------

    def actor_file(self, actor: dict) -> dict:
        rng = self.rng
        data: dict[str, Any] = {"name": actor["name"], "kind": actor["kind"]}
        if actor["kind"] == "state" and rng.random() < 0.5:
            data["aliases"] = [f"{rng.choice(CITIES)} government"]
        if actor["kind"] == "person":
            data["role"] = self.fact(actor, f"{rng.choice(ROLES)} in the talks.")
        if actor["kind"] != "state" and self.states:
            cites = [self.cite(actor)]
            data["affiliation"] = {"actor": self.state()["id"], "cite": cites}
        data["facts"] = self.facts(actor, "actor", 2, 4)
        return data

    def demand_file(self, demand: dict) -> dict:
        rng = self.rng
        # Made by a state; other actors, states most of all, support or reject it.
        sides = [self.state(), self.state(), *rng.sample(self.actors, 2)]
        ids = list(dict.fromkeys(a["id"] for a in sides[: rng.randint(1, 4)]))
        stances = [
            {
                "actor": actor_id,
                "stance": "made" if n == 0 else rng.choice(("supports", "rejects", "opposes")),
                "cite": [self.cite(demand)],
            }
            for n, actor_id in enumerate(ids)
        ]
        return {
            "title": demand["name"],
            "summary": f"A {rng.choice(('demand', 'call'))} for the {demand['phrase']}.",
            "kind": rng.choice(("demand", "condition", "proposal", "call")),
            "keywords": rng.sample(REGIONS, rng.randint(0, 3)),
            "stances": stances,
            "raised_in": [
                {"round": r["id"], "cite": [self.cite(demand)]}
                for r in rng.sample(self.rounds, min(len(self.rounds), rng.randint(0, 2)))
            ],
            "facts": self.facts(demand, "demand", 2, 3),
        }

    def round_file(self, round_: dict) -> dict:
        rng = self.rng
        city = round_["name"].rsplit(" in ", 1)[1]
        sides = dict.fromkeys(self.state()["id"] for _ in range(2))
        return {
            "title": round_["name"],
            "sequence": round_["index"] + 1,
            "place": self.fact(round_, city),
            "when": self.fact(round_, f"{rng.randint(1, 28)} {rng.choice(MONTHS)}"),
            "length": self.fact(round_, f"About {rng.randint(1, 6)} hours"),
            "delegations": [
                {
                    "actor": side,
                    "led_by": rng.choice(self.people)["id"],
                    "cite": [self.cite(round_)],
                }
                for side in sides
            ],
            "agreed": self.facts(round_, "round", 0, 2),
            "not_agreed": self.facts(round_, "round", 0, 1),
            "facts": self.facts(round_, "round", 1, 2),
        }

    def timeline(self) -> dict:
        """An event for each source that sets a date, in the source's words, in source order."""
        events = []
        for s, lines in enumerate(self.sources):
            for n, line in enumerate(lines):
                date = re.search(r"before the end of \w+", line)
                if date:
                    start = line.rfind(". ", 0, date.start()) + 2  # the sentence's (1: the first)
                    quote = _once(line, start if start > 1 else 0, date.end())
                    cite = {"source": f"source-{s + 1}", "line": n + 1, "quote": quote}
                    text = "Officials set a date for the working groups."
                    events.append({"when": date[0], "text": text, "cite": [cite]})
                    break
        return {"events": events}

    def write(self, data_dir: Path) -> None:
        for folder in KINDS:
            (data_dir / folder.name).mkdir(parents=True, exist_ok=True)
        for s, lines in enumerate(self.sources, 1):
            (data_dir / "sources" / f"source-{s}.txt").write_text("\n".join(lines) + "\n", "utf-8")
            meta = {
                "title": f"Synthetic report {s} on the talks",
                "publisher": "Bench Wire",
                "frames": self.frames[s - 1],
            }
            _dump(data_dir / "sources" / f"source-{s}.yml", meta)
        for kind, pool, make in (
            ("actors", self.actors, self.actor_file),
            ("demands", self.demands, self.demand_file),
            ("rounds", self.rounds, self.round_file),
        ):
            for entity in pool:
                data = _with_ids(self.voiced(make(entity)), entity["id"], itertools.count(1))
                _dump(data_dir / kind / f"{entity['id']}.yml", data)
        timeline = self.voiced(self.timeline())
        _dump(data_dir / "timeline.yml", _with_ids(timeline, "event", itertools.count(1)))

    def voiced(self, node: Any) -> Any:
        """Every fact and relation naming the speakers whose words its quotes touch, as the
        voice check asks (an editor reading the frames would)."""
        if isinstance(node, list):
            return [self.voiced(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {key: self.voiced(value) for key, value in node.items()}
        touched: dict[str, None] = {}
        for cite in node.get("cite", []):
            line = self.sources[int(cite["source"].split("-")[1]) - 1][cite["line"] - 1]
            start = line.find(cite["quote"])
            spans = self._spans(cite["source"], cite["line"])
            touched.update(dict.fromkeys(speakers_of(spans, start, start + len(cite["quote"]))))
        if touched:
            node["according_to"] = list(dict.fromkeys([*node.get("according_to", []), *touched]))
        else:  # quotes in the text's own voice only: a speaker named would be refused
            node.pop("according_to", None)
        return node

    def _spans(self, source: str, line: int) -> list[Span]:
        s = int(source.split("-")[1]) - 1
        text = self.sources[s][line - 1]
        return [
            Span(
                text.find(f["span"]),
                text.find(f["span"]) + len(f["span"]),
                tuple(f.get("according_to", ())),
                i,
            )
            for i, f in enumerate(self.frames[s])
            if f["line"] == line
        ]


def _with_ids(node: Any, owner: str, numbers: Iterator[int]) -> Any:
    """Every fact and relation (a mapping with `cite`) given an id, as `make fact-ids` would:
    the owner's id and a number, unique on every page that shows it."""
    if isinstance(node, list):
        return [_with_ids(item, owner, numbers) for item in node]
    if not isinstance(node, dict):
        return node
    named = {"id": f"{owner}-{next(numbers)}"} if "cite" in node else {}
    return named | {key: _with_ids(value, owner, numbers) for key, value in node.items()}


def _dump(path: Path, data: dict) -> None:
    data = {key: value for key, value in data.items() if value != []}  # as an editor would
    text = yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, "utf-8")


def generate(entities: int, data_dir: Path, seed: int = 1) -> None:
    Corpus(entities, seed).write(data_dir)


def _once(line: str, start: int, end: int) -> str:
    """line[start:end], grown word by word until it stands once on its line and is long enough
    to back a statement: what `make check` asks of a quote (a quote standing twice may be in two
    voices)."""
    while (line.count(line[start:end]) > 1 or len(line[start:end].replace(" ", "")) < 5) and (
        start > 0 or end < len(line)
    ):
        if end < len(line):
            following = line.find(" ", end + 1)
            end = len(line) if following == -1 else following
        else:
            start = line.rfind(" ", 0, max(start - 1, 0)) + 1
    return line[start:end]


def spoil(data_dir: Path, wrong_quotes: int, unknown_ids: int, seed: int = 1) -> None:
    """Break generated data as careless editing would: `wrong_quotes` quotes with one letter
    changed (on no line of their source, so each is searched for and its closest text told) and
    `unknown_ids` stances naming a misspelt actor (each then gets a "did you mean")."""
    rng = random.Random(seed)
    files = sorted((data_dir / "demands").glob("*.yml"))
    rng.shuffle(files)
    quotes, ids = wrong_quotes, unknown_ids
    for path in files:
        if quotes <= 0 and ids <= 0:
            break
        demand = yaml.load(path.read_text("utf-8"), Loader=Loader)
        for node in [*demand["facts"], *demand.get("stances", [])]:
            if quotes > 0:
                cite = node["cite"][0]
                middle = len(cite["quote"]) // 2
                cite["quote"] = cite["quote"][:middle] + "#" + cite["quote"][middle + 1 :]
                quotes -= 1
            if ids > 0 and "actor" in node:
                last = "q" if node["actor"][-1] != "q" else "z"
                node["actor"] = node["actor"][:-1] + last  # a typo in its last letter
                ids -= 1
        _dump(path, demand)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("entities", type=int)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--wrong-quotes", type=int, default=0, help="quotes to break")
    parser.add_argument("--unknown-ids", type=int, default=0, help="actor ids to misspell")
    args = parser.parse_args()
    generate(args.entities, args.data_dir, args.seed)
    if args.wrong_quotes or args.unknown_ids:
        spoil(args.data_dir, args.wrong_quotes, args.unknown_ids, args.seed)


if __name__ == "__main__":
    main()
