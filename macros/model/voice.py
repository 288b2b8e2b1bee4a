"""The voice check: whose words a claim rests on travels with the claim.

A source's metadata lists its reporting frames (`frames:`): on a line, the words a speaker is
reported as saying, or words the text says in its own voice despite a reporting word. The check
holds three things:

- every frame's span stands on its line, and its speakers exist;
- every line holding a reporting word has a frame or an own-voice entry (the editor decided);
- every fact or relation whose quote touches a speaker's span names that speaker in
  `according_to`: quoting "Ukrainian negotiators said" beside it does not excuse a relation,
  whose table would still read "Russia — rejects".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Set
from typing import NamedTuple

from macros.model.errors import DataError, did_you_mean
from macros.model.limits import MAX_FRAMES_PER_LINE
from macros.model.schema import Citation, Cited, Frame
from macros.model.store import Source

# Words that report someone else's claim. A line holding one needs a frame or an own-voice
# entry in its source's metadata. Listed on the data format page. The later ones were chosen on
# the sources' reporting language (data/sources, the fixtures): each hit there frames a claim or
# the publisher's own report. Left out as false alarms: "states" (United States, member states),
# "called" ("called for" is an act the text reports itself), "adds", "claim" (a noun as often).
REPORTING_WORDS = (
    "said",
    "says",
    "say",
    "according to",
    "claims",
    "claimed",
    "accused",
    "confirmed",
    "told",
    "added",
    "stated",
    "announced",
    "stressed",
    "stressing",
    "insisted",
    "insists",
    "insisting",
    "alleged",
    "allegedly",
    "reportedly",
    "reported",
    "reports",
    "warned",
)
# The lookahead for a first letter lets the engine pass over most characters without trying
# every word (case is ignored in it too).
_FIRST_LETTERS = "".join(sorted({word[0] for word in REPORTING_WORDS}))
_REPORTING = re.compile(
    rf"(?=[{_FIRST_LETTERS}])\b(" + "|".join(REPORTING_WORDS) + r")\b", re.IGNORECASE
)


def reporting_word(text: str) -> str | None:
    """The first reporting word in a line, if it holds one."""
    found = _REPORTING.search(text)
    return found.group() if found else None


def reporting_words(text: str) -> list[re.Match[str]]:
    """Every reporting word in a line, where it stands."""
    return list(_REPORTING.finditer(text))


class Span(NamedTuple):
    start: int
    end: int
    speakers: tuple[str, ...]  # () for the text's own voice
    place: int  # the frame's place in `frames` (not `index`: a tuple's method)

    def overlaps(self, start: int, end: int) -> bool:
        return start < self.end and self.start < end


Spans = dict[tuple[str, int], list["Span"]]  # (source id, line) -> the frames on it


def check_frames(
    source_id: str, source: Source, scanned: Mapping[str, Set[str]], data_label: str, spans: Spans
) -> Iterator[DataError]:
    """A source's frames, checked, filled into `spans` for `unvoiced` to look up."""
    label = f"{data_label}/sources/{source_id}.yml"
    yield from _check_frames(source_id, source.meta.frames, source.lines, scanned, label, spans)
    yield from _check_reporting_lines(source_id, source.lines, spans, label)


def _check_frames(
    source_id: str,
    frames: tuple[Frame, ...],
    lines: tuple[str, ...],
    scanned: Mapping[str, Set[str]],
    label: str,
    spans: dict[tuple[str, int], list[Span]],
) -> Iterator[DataError]:
    actors = scanned.get("actors", set())
    for i, frame in enumerate(frames):
        if not 1 <= frame.line <= len(lines):
            yield DataError(label, f"frames[{i}].line", f"the source has lines 1 to {len(lines)}")
            continue
        line = lines[frame.line - 1]
        start = line.find(frame.span)
        if start < 0:
            yield DataError(
                label,
                f"frames[{i}].span",
                f"not found on line {frame.line} of {source_id}.txt: copy the words exactly",
            )
            continue
        if line.find(frame.span, start + 1) >= 0:  # which of them it frames cannot be told
            yield DataError(
                label,
                f"frames[{i}].span",
                f"{_short(frame.span)!r} occurs more than once on line {frame.line} of "
                f"{source_id}.txt: lengthen the span with the words around the one it frames, "
                "until it occurs once",
            )
            continue
        if not set(frame.according_to) <= actors:
            yield from _unknown_speakers(frame, actors, label, f"frames[{i}]")
        span = Span(start, start + len(frame.span), frame.according_to, i)
        on_line = spans.get((source_id, frame.line))
        if on_line is None:
            spans[(source_id, frame.line)] = [span]
            continue
        if len(on_line) >= MAX_FRAMES_PER_LINE:  # each is compared with the others on its line
            if len(on_line) == MAX_FRAMES_PER_LINE:  # said once a line; the rest pass unchecked
                on_line.append(span)
                yield DataError(
                    label,
                    f"frames[{i}]",
                    f"line {frame.line} of {source_id}.txt has more than {MAX_FRAMES_PER_LINE} "
                    "frames, the limit: merge the spans of one speaker that follow each other "
                    "into one",
                )
            continue
        for clash in on_line:
            if _clash(clash, span):
                yield DataError(
                    label,
                    f"frames[{i}].span",
                    f"crosses frames[{clash.place}] on line {frame.line} "
                    f"({_voice(clash.speakers)}): spans of different speakers must not overlap, "
                    "and an own-voice span lies wholly inside or wholly outside a speaker's",
                )
                break
        on_line.append(span)


def _unknown_speakers(
    frame: Frame, actors: Set[str], label: str, field: str
) -> Iterator[DataError]:
    for j, actor in enumerate(frame.according_to):
        if actor not in actors:
            yield DataError(
                label,
                f"{field}.according_to[{j}]",
                f"no actor '{actor}'{did_you_mean(actor, actors)}: correct the id or add "
                f"data/actors/{actor}.yml",
            )


def _check_reporting_lines(
    source_id: str,
    lines: tuple[str, ...],
    spans: Mapping[tuple[str, int], list[Span]],
    label: str,
) -> Iterator[DataError]:
    for number, text in enumerate(lines, 1):
        if (source_id, number) in spans:
            continue  # framed: whatever reporting word it holds is seen to
        word = _REPORTING.search(text)
        if word:
            context = text[max(0, word.start() - 30) : word.end() + 30].strip()
            yield DataError(
                label,
                "frames",
                f"line {number} of {source_id}.txt holds the reporting word '{word.group()}' "
                f"(…{context}…) and no frame: add one (line: {number}, span: the reported "
                "words, according_to: [who says them]), or an own-voice entry (span, own_voice: "
                "true) where the word frames no claim",
            )


def unvoiced(
    node: Cited,
    citations: Iterable[Citation],
    spans: Spans,
    sources: Mapping[str, tuple[str, ...]],
    label: str,
    path: str,
    actors: Set[str] | None = None,
) -> DataError | None:
    """An error if the fact or relation quotes a speaker's words without naming them.
    `citations`: those of its citations that hold (the others the citation check reports);
    `actors`: the known ids, so that the fix leaves out a misspelt one (reported apart)."""
    missing: dict[str, tuple[str, int]] = {}  # speaker -> a citation that needs them
    named = node.according_to
    for citation in citations:
        on_line = spans.get((citation.source, citation.line))
        if not on_line:
            continue  # no frame on this line
        if all(speaker in named for span in on_line for speaker in span.speakers):
            continue  # it names everyone the line's frames name: nobody can be missing
        text, quote = sources[citation.source][citation.line - 1], citation.quote
        start = text.find(quote)
        voices = speakers_of(on_line, start, start + len(quote))
        if other := _other_voice(text, quote, start, voices, on_line):
            return DataError(
                label,
                f"{path}.cite[{node.cite.index(citation)}].quote".lstrip("."),
                f"{_short(quote)!r} stands more than once on line {citation.line} of "
                f"{citation.source}, in different voices ({_voice(tuple(voices))}; "
                f"{_voice(tuple(other))}): quote more of the line, so that it stands there once",
            )
        for speaker in voices:
            if speaker not in named:
                missing.setdefault(speaker, (citation.source, citation.line))
    if not missing:
        return None
    (source, line), *_ = missing.values()
    needed = [*(a for a in named if actors is None or a in actors), *missing]
    return DataError(
        label,
        f"{path}.according_to" if path else "according_to",
        f"a quote on line {line} of {source} is in the words of {', '.join(missing)} (see "
        f"frames: in sources/{source}.yml): write according_to: [{', '.join(needed)}]; or cite "
        "words the text says in its own voice; or, where that frame's span takes in words the "
        'speaker is not reported as saying (a side named before "said"), narrow the span',
    )


def own_voice_only(
    node: Cited,
    framed: Iterable[Citation],
    spans: Spans,
    sources: Mapping[str, tuple[str, ...]],
    label: str,
    path: str,
) -> DataError | None:
    """An error if the fact or relation names speakers while every quote of it lies in the
    text's own voice: the page would then give the reporter's words to a speaker. Call it
    only when all its citations hold; `framed`: those on lines with frames (a quote on a line
    without frames is the text's own: a line with a reporting word must have one)."""
    if not node.according_to:
        return None
    for citation in framed:
        text, quote = sources[citation.source][citation.line - 1], citation.quote
        on_line, start = spans[(citation.source, citation.line)], text.find(quote)
        if speakers_of(on_line, start, start + len(quote)):
            return None
        if _other_voice(text, quote, start, [], on_line):  # which place it means: unvoiced's
            return None
    first = node.cite[0]
    named = ", ".join(node.according_to)
    return DataError(
        label,
        f"{path}.according_to" if path else "according_to",
        f"names {named}, but every quote of it lies in the text's own voice (line "
        f"{first.line} of {first.source}: no speaker's span of frames: in "
        f"sources/{first.source}.yml holds it): leave out according_to, or, where the source "
        f"reports these words as someone's, add a frame naming them (line: {first.line}, "
        f"span: the reported words, according_to: [{named}])",
    )


_MOST_OCCURRENCES = 100  # looked at, of a quote that stands on its line again and again


def _other_voice(
    text: str, quote: str, start: int, voices: list[str], spans: list[Span]
) -> list[str] | None:
    """The speakers of another place on the line where the quote stands, if they are not
    those of its first place (`voices`): which one the quote means cannot then be told."""
    at = text.find(quote, start + 1)
    for _ in range(_MOST_OCCURRENCES):
        if at < 0:
            return None
        other = speakers_of(spans, at, at + len(quote))
        if other != voices:
            return other
        at = text.find(quote, at + 1)
    return None


def _clash(a: Span, b: Span) -> bool:
    """Two spans that cannot both hold: different speakers overlapping, or an own-voice span
    that cuts across a speaker's edge (one nested inside a speaker's is how to carve out the
    text's own words, such as a title, from what a speaker is reported as saying)."""
    if not a.overlaps(b.start, b.end) or a.speakers == b.speakers:
        return False
    if a.speakers and b.speakers:
        return True
    own, said = (a, b) if not a.speakers else (b, a)
    return not (said.start <= own.start and own.end <= said.end)


def speakers_of(spans: list[Span], start: int, end: int) -> list[str]:
    """Who speaks the words start..end of a line: the speakers of every framed span they touch
    outside the own-voice spans nested in it."""
    own: list[tuple[int, int]] | None = None  # sorted once a speaker's span is touched
    found: dict[str, None] = {}  # in the frames' order
    for span in spans:
        if span.speakers and span.start < end and start < span.end:
            if own is None:
                own = sorted((s.start, s.end) for s in spans if not s.speakers)
            position, stop = max(start, span.start), min(end, span.end)
            for own_start, own_end in own:
                if own_start <= position < own_end:
                    position = own_end
            if position < stop:
                found.update(dict.fromkeys(span.speakers))
    return list(found)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _voice(speakers: tuple[str, ...]) -> str:
    return f"according_to: [{', '.join(speakers)}]" if speakers else "own_voice: true"
