"""Parse knowledge cards (the plain-text export in data/cards/) into typed records, and write them back.

A card is a sequence of lines; headings are matched case-sensitively, ignoring surrounding whitespace::

    Training vs Inference                  title: the first non-blank line
    Topic                                  then a description (one or more paragraphs)
    First Mentioned                        each of these three headings is followed by one
    Last Updated                           timestamp line such as ``10/1/2025, 4:09:39 AM``
    Research Retrieved
    Summary                                then paragraphs
    Referenced in 1 Document               optional: the document count (``Documents``/``Document(s)`` too)
    Research Data                          optional label, carries nothing
    Extracted Attributes                   optional: ``  • Key`` bullets, each followed by an indented value
    Timeline                               optional: ``  • event (Source: …)`` bullets, each followed by an
                                           indented date line (``2012``, ``Mar 2024``, ``Ongoing``…)
    Unsupervised learning                  optional related-topic sections: a heading line, then paragraphs
    Web Search Results                     optional: ``  • Title - Publisher`` bullets with indented excerpts

Blank lines are free everywhere; bullets may be ``•``, ``-`` or ``*``. Text is kept exactly as written except
that line endings become ``\\n``, each line is trimmed, and paragraphs are joined by exactly one blank line.
Anything malformed raises :class:`CardError` listing every problem found as ``FILE:LINE: message``.

>>> card = parse_card(render_card(Card("Demo", "A topic.", dt.datetime(2025, 1, 2, 3, 4, 5),
...     dt.datetime(2025, 1, 2, 3, 4, 5), dt.datetime(2025, 1, 2, 3, 4, 5), "Short.", 2)))
>>> card.title, card.document_count
('Demo', 2)

Format ambiguities and how they are resolved (the renderer only writes cards that read back the same):

* Related-topic sections have no marker. They are recognised only after the last of ``Referenced in…``,
  ``Research Data``, ``Extracted Attributes`` or ``Timeline`` (text straight after ``Summary`` is summary).
  The first paragraph there is a heading; a later paragraph starts a new section when it looks like a heading
  (see :func:`looks_like_section_heading`): one short line without sentence-ending punctuation.
* A bullet's value is every indented, non-bullet line up to the next bullet or unindented line, so an indented
  line starting with ``- `` or ``* `` is always a new bullet.
* ``Title - Publisher`` splits on the last `` - `` or `` | ``; a title without either has no publisher.
* ``(Source: …)`` is split off at its last occurrence, so a source may itself contain parentheses.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from ..errors import CardError, CardProblem, utf8_error_position

__all__ = ["Attribute", "TimelineEntry", "Section", "WebResult", "Card", "CardProblem", "CardError",
           "parse_card", "parse_card_file", "parse_date_text", "parse_timestamp", "format_timestamp",
           "render_card", "looks_like_section_heading", "HEADINGS"]

TOPIC = "Topic"
FIRST_MENTIONED = "First Mentioned"
LAST_UPDATED = "Last Updated"
RESEARCH_RETRIEVED = "Research Retrieved"
SUMMARY = "Summary"
REFERENCED = "Referenced in N Documents"  # a pattern, not a literal line; see _REFERENCED
RESEARCH_DATA = "Research Data"
ATTRIBUTES = "Extracted Attributes"
TIMELINE = "Timeline"
WEB_RESULTS = "Web Search Results"

# The order headings must appear in; a card's structure is only recoverable because this order is fixed.
_ORDER = (TOPIC, FIRST_MENTIONED, LAST_UPDATED, RESEARCH_RETRIEVED, SUMMARY, REFERENCED, RESEARCH_DATA,
          ATTRIBUTES, TIMELINE, WEB_RESULTS)
_RANK = {name: i for i, name in enumerate(_ORDER)}
_REQUIRED = (TOPIC, FIRST_MENTIONED, LAST_UPDATED, RESEARCH_RETRIEVED, SUMMARY)
_TIMESTAMP_FIELDS = {FIRST_MENTIONED: "first_mentioned", LAST_UPDATED: "last_updated",
                     RESEARCH_RETRIEVED: "research_retrieved"}
# Related-topic sections can only follow one of these (after Summary they would be indistinguishable from it).
_TAIL = (REFERENCED, RESEARCH_DATA, ATTRIBUTES, TIMELINE)

#: Every literal heading line; ``Referenced in N Document(s)`` is a heading too but matched by pattern.
HEADINGS = tuple(h for h in _ORDER if h != REFERENCED)

_REFERENCED = re.compile(r"Referenced in (\d+) Document(?:s|\(s\))?")
# What a mistyped count looks like ("Referenced in -3 Documents", "Referenced in many Documents"): without this
# it would not be a heading and would silently become part of the summary.
_REFERENCED_LIKE = re.compile(r"Referenced\s+in\s+(.*?)\s*Document(?:s|\(s\))?", re.IGNORECASE)
# `•` is never ordinary text at the start of a list line, so it may touch its text; `-` and `*` need a space
# so that values such as "-5%" are not mistaken for bullets.
_BULLET = re.compile(r"(?:•|[-*](?=\s|$))(.*)")
# Greedy prefix: the split happens at the *last* "(Source:", so the source itself may contain parentheses.
_SOURCE = re.compile(r"(.*)\(Source:(.*)\)")
_TIMESTAMP = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])")
_PUBLISHER_SEPARATORS = (" - ", " | ")

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")
# English names are spelled out rather than taken from `calendar`, whose names follow the process locale.
_MONTHS = {**{m: i for i, m in enumerate(_MONTH_NAMES, 1)}, **{m[:3]: i for i, m in enumerate(_MONTH_NAMES, 1)}}
_NUMERIC_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTH_YEAR = re.compile(r"([A-Za-z]+)\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{4})")
_YEAR = re.compile(r"\d{4}")

# A related-topic heading is a title, not a sentence: short, and not ending like a sentence or clause does.
_HEADING_MAX_CHARS = 100
_SENTENCE_END = ".!?:;,…"
_CLOSERS = "\"'”’»)]"


# ---------------------------------------------------------------- records

class _Located:
    """Records remember the line they came from; ``content()`` drops it so parsed and built records compare."""

    def content(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "line"}  # type: ignore[call-overload]


@dataclass(frozen=True)
class Attribute(_Located):
    key: str
    value: str
    line: int = 0


@dataclass(frozen=True)
class TimelineEntry(_Located):
    description: str
    source_text: str | None
    date_text: str  # exactly as written; event_date is only our reading of it
    event_date: dt.date | None
    date_precision: str | None  # 'day', 'month', 'year' or None when date_text is not a date
    line: int = 0


@dataclass(frozen=True)
class Section(_Located):
    heading: str
    body: str
    line: int = 0


@dataclass(frozen=True)
class WebResult(_Located):
    title: str
    publisher: str | None
    excerpt: str = ""
    line: int = 0


@dataclass
class Card:
    """One parsed card. Not frozen because it holds lists; treat it as a value."""

    title: str
    description: str
    first_mentioned: dt.datetime | None
    last_updated: dt.datetime | None
    research_retrieved: dt.datetime | None
    summary: str
    document_count: int | None = None
    attributes: list[Attribute] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    web_results: list[WebResult] = field(default_factory=list)
    path: str = "<card>"

    def content(self) -> dict[str, Any]:
        """Everything the card's text says: no line numbers and no path, so a re-parsed card compares equal."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "path":
                out[f.name] = [item.content() for item in value] if isinstance(value, list) else value
        return out




# ---------------------------------------------------------------- dates and timestamps

def parse_date_text(text: str) -> tuple[dt.date | None, str | None]:
    """Read a timeline date; anything that is not one of the forms below gives ``(None, None)``.

    >>> parse_date_text("3/14/2024")
    (datetime.date(2024, 3, 14), 'day')
    >>> parse_date_text("March 5, 2021")
    (datetime.date(2021, 3, 5), 'day')
    >>> parse_date_text("SEP 2023")
    (datetime.date(2023, 9, 1), 'month')
    >>> parse_date_text("2012")
    (datetime.date(2012, 1, 1), 'year')
    >>> parse_date_text("Ongoing"), parse_date_text("Early 2010s"), parse_date_text("2/30/2024")
    ((None, None), (None, None), (None, None))
    """
    text = text.strip()
    try:
        if m := _NUMERIC_DATE.fullmatch(text):
            return dt.date(int(m[3]), int(m[1]), int(m[2])), "day"
        if (m := _MONTH_DAY_YEAR.fullmatch(text)) and m[1].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[1].lower()], int(m[2])), "day"
        if (m := _MONTH_YEAR.fullmatch(text)) and m[1].lower() in _MONTHS:
            return dt.date(int(m[2]), _MONTHS[m[1].lower()], 1), "month"
        if _YEAR.fullmatch(text):
            return dt.date(int(text), 1, 1), "year"
    except ValueError:  # right shape, impossible date (Feb 30): not a date, like any other free text
        pass
    return None, None


def parse_timestamp(text: str) -> dt.datetime | None:
    """``M/D/YYYY, H:MM[:SS] AM|PM`` → naive datetime (the export gives no zone), else None.

    >>> parse_timestamp("10/1/2025, 4:09:39 AM")
    datetime.datetime(2025, 10, 1, 4, 9, 39)
    >>> parse_timestamp("10/1/2025, 12:05 PM"), parse_timestamp("13:00")
    (datetime.datetime(2025, 10, 1, 12, 5), None)
    """
    m = _TIMESTAMP.fullmatch(text.strip())
    if not m:
        return None
    month, day, year, hour, minute = (int(g) for g in m.groups()[:5])
    second = int(m[6] or 0)
    if not 1 <= hour <= 12:
        return None
    hour = hour % 12 + (12 if m[7].lower() == "pm" else 0)
    try:
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def format_timestamp(value: dt.datetime) -> str:
    """The card's own timestamp spelling (sub-second parts cannot be written).

    >>> format_timestamp(dt.datetime(2025, 10, 1, 0, 9, 39))
    '10/1/2025, 12:09:39 AM'
    """
    hour12 = value.hour % 12 or 12
    half = "AM" if value.hour < 12 else "PM"
    return f"{value.month}/{value.day}/{value.year}, {hour12}:{value.minute:02d}:{value.second:02d} {half}"


def looks_like_section_heading(text: str) -> bool:
    """Whether a one-line paragraph after the first related-topic section starts a new section.

    >>> looks_like_section_heading("Tensor Processing Unit (TPU)"), looks_like_section_heading("It grew fast.")
    (True, False)
    """
    if "\n" in text or not text or len(text) > _HEADING_MAX_CHARS:
        return False
    core = text.rstrip(_CLOSERS)
    return not (core and core[-1] in _SENTENCE_END)


# ---------------------------------------------------------------- lines and blocks

class _Line(NamedTuple):
    number: int  # 1-based, in the original file
    raw: str
    text: str  # stripped once: the parser asks for it many times per line

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def indented(self) -> bool:
        return self.raw[:1].isspace()


@dataclass
class _Block:
    """A heading line and the lines up to the next heading."""

    name: str
    heading: _Line
    body: list[_Line]


@dataclass
class _Item:
    """A bullet line and the indented lines that belong to it."""

    bullet: _Line
    text: str
    value_lines: list[_Line] = field(default_factory=list)


def _split_lines(text: str) -> list[_Line]:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # split("\n") rather than splitlines(): the latter also breaks on U+2028, form feeds etc., which are text here.
    return [_Line(i, raw, raw.strip()) for i, raw in enumerate(text.split("\n"), 1)]


def _heading_name(line: _Line) -> str | None:
    if line.text in HEADINGS:
        return line.text
    if _REFERENCED.fullmatch(line.text):
        return REFERENCED
    return None


def _segment(lines: list[_Line]) -> tuple[list[_Line], list[_Block]]:
    """Lines before the first heading, and one block per heading."""
    preamble: list[_Line] = []
    blocks: list[_Block] = []
    for line in lines:
        name = _heading_name(line)
        if name:
            blocks.append(_Block(name, line, []))
        elif blocks:
            blocks[-1].body.append(line)
        else:
            preamble.append(line)
    return preamble, blocks


def _paragraphs(lines: Iterable[_Line]) -> list[list[_Line]]:
    paragraphs: list[list[_Line]] = [[]]
    for line in lines:
        if not line.blank:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _join(paragraphs: list[list[_Line]]) -> str:
    return "\n\n".join("\n".join(line.text for line in p) for p in paragraphs)


def _snippet(text: str, width: int = 40) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


# ---------------------------------------------------------------- the parser

class _Parser:
    """Reads one card, collecting problems instead of stopping at the first."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[CardProblem] = []

    def problem(self, line: _Line | int, message: str) -> None:
        number = line if isinstance(line, int) else line.number
        self.problems.append(CardProblem(self.path, number, message))

    def parse(self, text: str) -> Card:
        lines = _split_lines(text)
        for line in lines:
            if "\x00" in line.raw:
                self.problem(line, "the line contains a NUL character")
            elif not _REFERENCED.fullmatch(line.text) and (m := _REFERENCED_LIKE.fullmatch(line.text)):
                self.problem(line, f"the document count in {_snippet(line.text)} must be a whole number "
                                   f"(0 or more), not {m[1]!r}")
        preamble, blocks = _segment(lines)
        if not blocks:  # nothing card-like at all: one problem says more than a list of every missing part
            start = next((line for line in lines if not line.blank), None)
            self.problem(start or 1, "not a card: no 'Topic' heading" if start else "not a card: the file is empty")
            raise CardError(self.problems)
        title = self.title(preamble, blocks)
        first = self.check_order(blocks, last_line=max(line.number for line in lines if not line.blank))
        tail = [b for b in blocks if b.name in _TAIL]
        card = Card(title or "", "", None, None, None, "", path=self.path)
        for block in blocks:
            if first.get(block.name) is block:
                self.read_block(card, block, allow_sections=bool(tail) and block is tail[-1])
        if self.problems:
            raise CardError(self.problems)
        return card

    def title(self, preamble: list[_Line], blocks: list[_Block]) -> str | None:
        """The first non-blank line before the first heading; anything else there is a problem."""
        text = [line for line in preamble if not line.blank]
        for line in text[1:]:
            self.problem(line, f"unexpected text {_snippet(line.text)} between the title and 'Topic'")
        if text:
            return text[0].text
        if blocks:
            self.problem(blocks[0].heading, f"missing title: the card starts with the heading '{blocks[0].name}'")
        return None

    def check_order(self, blocks: list[_Block], last_line: int) -> dict[str, _Block]:
        """Report duplicate, out-of-order and missing headings; return the first block of each name."""
        first: dict[str, _Block] = {}
        latest: _Block | None = None
        for block in blocks:
            if block.name in first:
                self.problem(block.heading, f"'{block.name}' appears again (first at line "
                                            f"{first[block.name].heading.number})")
                continue
            first[block.name] = block
            if latest and _RANK[block.name] < _RANK[latest.name]:
                self.problem(block.heading, f"'{block.name}' is out of order: it belongs before '{latest.name}'")
            else:
                latest = block
        for name in _REQUIRED:
            if name not in first:
                # Point at where the heading should have been: the first later heading, or the end of the file.
                later = [b.heading.number for b in blocks if _RANK[b.name] > _RANK[name]]
                self.problem(later[0] if later else last_line, f"missing '{name}' heading")
        return first

    def read_block(self, card: Card, block: _Block, allow_sections: bool) -> None:
        name = block.name
        if name == TOPIC:
            card.description = self.text(block, "a description")
        elif name in _TIMESTAMP_FIELDS:
            setattr(card, _TIMESTAMP_FIELDS[name], self.timestamp(block))
        elif name == SUMMARY:
            card.summary = self.text(block, "its text")
        elif name == WEB_RESULTS:
            items, rest = self.bullets(block)
            card.web_results = [self.web_result(item) for item in items]
            self.no_more_text(rest, "in 'Web Search Results' (expected a bullet)")
        else:  # the tail headings: an optional list, then (after the last of them) related-topic sections
            rest = block.body
            if name == REFERENCED:
                card.document_count = int(block.heading.text.split()[2])  # _REFERENCED matched: "Referenced in N …"
            elif name == ATTRIBUTES:
                items, rest = self.bullets(block)
                card.attributes = [a for a in map(self.attribute, items) if a]
            elif name == TIMELINE:
                items, rest = self.bullets(block)
                card.timeline = [t for t in map(self.timeline_entry, items) if t]
            if allow_sections:
                card.sections = self.sections(rest)
            else:
                self.no_more_text(rest, "where a heading is required")

    def no_more_text(self, lines: list[_Line], where: str) -> None:
        junk = next((line for line in lines if not line.blank), None)
        if junk:
            self.problem(junk, f"unexpected text {_snippet(junk.text)} {where}")

    def text(self, block: _Block, what: str) -> str:
        text = _join(_paragraphs(block.body))
        if not text:
            self.problem(block.heading, f"'{block.name}' is not followed by {what}")
        return text

    def timestamp(self, block: _Block) -> dt.datetime | None:
        text = [line for line in block.body if not line.blank]
        if not text:
            self.problem(block.heading, f"'{block.name}' is not followed by a timestamp")
            return None
        value = text[0]
        if len(text) > 1:
            self.problem(text[1], f"unexpected text {_snippet(text[1].text)} after the '{block.name}' timestamp")
        parsed = parse_timestamp(value.text)
        if parsed is None:
            self.problem(value, f"'{block.name}': {_snippet(value.text)} is not a timestamp "
                                "(expected M/D/YYYY, H:MM:SS AM or PM)")
        return parsed

    def bullets(self, block: _Block) -> tuple[list[_Item], list[_Line]]:
        """The block's bullets, and the lines after the list (from the first unindented non-bullet line)."""
        items: list[_Item] = []
        for i, line in enumerate(block.body):
            bullet = None if line.blank else _BULLET.fullmatch(line.text)
            if bullet:
                items.append(_Item(line, bullet[1].strip()))
                if not items[-1].text:
                    self.problem(line, f"empty bullet in '{block.name}'")
            elif line.blank or (line.indented and items):
                if items:
                    items[-1].value_lines.append(line)
            elif line.indented:
                self.problem(line, f"unexpected text {_snippet(line.text)} before the first bullet "
                                   f"of '{block.name}'")
            else:
                return items, block.body[i:]
        return items, []

    def value(self, item: _Item, what: str) -> str | None:
        text = _join(_paragraphs(item.value_lines))
        if not text:
            self.problem(item.bullet, f"{what} {_snippet(item.text)} has no indented value line after it")
            return None
        return text

    def attribute(self, item: _Item) -> Attribute | None:
        value = self.value(item, "attribute")
        return Attribute(item.text, value, item.bullet.number) if value is not None else None

    def timeline_entry(self, item: _Item) -> TimelineEntry | None:
        date_text = self.value(item, "timeline entry")
        if date_text is None:
            return None
        if "\n" in date_text:
            extra = [line for line in item.value_lines if not line.blank][1]
            self.problem(extra, f"unexpected text {_snippet(extra.text)}: a timeline date is a single line")
        description, source = item.text, None
        if m := _SOURCE.fullmatch(item.text):
            description, source = m[1].strip(), m[2].strip()
        when, precision = parse_date_text(date_text)
        return TimelineEntry(description, source, date_text, when, precision, item.bullet.number)

    def web_result(self, item: _Item) -> WebResult:
        title, publisher = item.text, None
        cut = max(item.text.rfind(sep) for sep in _PUBLISHER_SEPARATORS)
        if cut >= 0:
            title, publisher = item.text[:cut].strip(), item.text[cut + 3:].strip()
        excerpt = _join(_paragraphs(item.value_lines))  # a result may come without an excerpt
        return WebResult(title, publisher, excerpt, item.bullet.number)

    def sections(self, lines: list[_Line]) -> list[Section]:
        groups: list[tuple[_Line, list[list[_Line]]]] = []
        for paragraph in _paragraphs(lines):
            text = "\n".join(line.text for line in paragraph)
            if not groups:
                if len(paragraph) > 1:
                    self.problem(paragraph[0], f"unexpected text {_snippet(paragraph[0].text)}: expected a "
                                               "related-topic heading on a line of its own")
                groups.append((paragraph[0], [paragraph[1:]] if len(paragraph) > 1 else []))
            elif looks_like_section_heading(text):
                groups.append((paragraph[0], []))
            else:
                groups[-1][1].append(paragraph)
        return [Section(heading.text, _join(body), heading.number) for heading, body in groups]


# ---------------------------------------------------------------- public entry points

def parse_card(text: str, path: str = "<card>") -> Card:
    """Parse a card's text; ``path`` is recorded on the card and used in error messages."""
    return _Parser(path).parse(text)


def parse_card_file(path: str | Path) -> Card:
    """Read a UTF-8 card file; the path is recorded as given."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line, _ = utf8_error_position(raw, e)
        raise CardError([CardProblem(str(path), line, "file is not valid UTF-8")]) from None
    return parse_card(text, str(path))


def _indented(text: str) -> list[str]:
    return [f"    {line}" if line else "" for line in text.split("\n")]


def render_card(card: Card) -> str:
    """Write a card in the export's layout; ``parse_card(render_card(c)).content() == c.content()``.

    Text fields must be representable (see the module docstring): e.g. no heading text on a line of its own.
    """
    out = [card.title, "", TOPIC, "", card.description, ""]
    for heading, name in _TIMESTAMP_FIELDS.items():
        value = getattr(card, name)
        if value is None:
            raise ValueError(f"cannot render a card without '{heading}': the format requires it")
        out += [heading, "", format_timestamp(value), ""]
    out += [SUMMARY, "", card.summary, ""]
    if card.document_count is not None:
        out.append(f"Referenced in {card.document_count} Document{'' if card.document_count == 1 else 's'}")
    # Always written, as in the export: it also marks where the summary ends when nothing else follows it.
    out.append(RESEARCH_DATA)
    if card.attributes:
        out.append(ATTRIBUTES)
        for a in card.attributes:
            out += [f"  • {a.key}", "", *_indented(a.value), ""]
    if card.timeline:
        out.append(TIMELINE)
        for t in card.timeline:
            event = t.description if t.source_text is None else f"{t.description} (Source: {t.source_text})"
            out += [f"  • {event.strip()}", "", *_indented(t.date_text), ""]
    for s in card.sections:
        out += [s.heading, "", s.body, ""] if s.body else [s.heading, ""]
    if card.web_results:
        out.append(WEB_RESULTS)
        for w in card.web_results:
            head = w.title if w.publisher is None else f"{w.title} - {w.publisher}"
            out += [f"  • {head}", ""] + ([*_indented(w.excerpt), ""] if w.excerpt else [])
    return "\n".join(out).rstrip("\n") + "\n"
