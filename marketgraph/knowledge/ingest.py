"""Knowledge cards → the topic tables, with mentions resolved and timeline rows linked to events.

A card's identity is its title (case-insensitive): ingesting a card whose title is already in the database
replaces that topic, whichever file it came from, so re-ingesting is idempotent. Each timeline row is linked to
the event it describes: a curated event when one matches (the rules are in :func:`match_event`: an event alias
such as "AlexNet" in the same year, a chip or product line whose one launch falls on a compatible date, or the
only curated event on that day), otherwise a new event with origin ``card``, sourced to the topic. Undated rows
("Ongoing") describe no datable event; their event_id stays NULL.

One run reads what it needs to match against once (curated events, aliases), builds every card's rows in
memory, and inserts them with one statement per table.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import duckdb

from ..errors import CardError, CardProblem, DatabaseUnusable, DataError, DataErrors
from ..store.build import BuildWarning, atomic_db
from ..store.db import Store, open_store
from ..store.load import Dataset
from ..store.schema import (EVENT_ENTITIES, EVENTS, TOPIC_ATTRIBUTES, TOPIC_MENTIONS, TOPIC_SECTIONS, TOPIC_SOURCES,
                            TOPIC_TIMELINE, TOPICS, slugify)
from .cards import Card, parse_card_file
from .resolve import Mention, Resolver

CARD_SUFFIXES = (".txt",)
EVENT_ENTITY_KINDS = ("vendor", "chip", "segment")
TOPIC_PARTS = (TOPIC_MENTIONS, TOPIC_SOURCES, TOPIC_SECTIONS, TOPIC_TIMELINE, TOPIC_ATTRIBUTES)


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)  # topic titles
    replaced: list[str] = field(default_factory=list)
    skipped: list[CardProblem] = field(default_factory=list)
    db_path: Path | None = None
    losses: list[str] = field(default_factory=list)  # what --replace let a shrinking card remove


# A re-ingest that empties one of these parts, or keeps less than half of their rows, is far more often a card
# cut short (a failed export, a truncated download) than a real revision: it needs --replace.
GUARDED_PARTS = ("attributes", "timeline", "sources", "sections")


def card_part_counts(card: Card) -> dict[str, int]:
    return {"attributes": len(card.attributes), "timeline": len(card.timeline), "sources": len(card.web_results),
            "sections": len(card.sections)}


def loss(title: str, old: dict[str, int], new: dict[str, int]) -> str | None:
    """What replacing a topic that has ``old`` rows per part by a card with ``new`` would lose, if too much."""
    emptied = [p for p in GUARDED_PARTS if old[p] and not new[p]]
    before, after = sum(old[p] for p in GUARDED_PARTS), sum(new[p] for p in GUARDED_PARTS)
    if not emptied and after * 2 >= before:
        return None
    shrunk = ", ".join(f"{p} {old[p]} → {new[p]}" for p in GUARDED_PARTS if new[p] < old[p])
    why = f"would empty its {' and '.join(emptied)}" if emptied else f"would keep {after} of its {before} rows"
    return f"re-ingesting {title!r} {why} ({shrunk})"


def topic_slug(title: str) -> str:
    """``'Training vs Inference'`` → ``'training-vs-inference'`` (``'topic'`` for a title with no letters)."""
    return slugify(title, empty="topic")


def card_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files given, and card files (*.txt) found under folders given, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in CARD_SUFFIXES)
        else:
            out.append(p)
    return out


def parse_cards(files: list[Path]) -> tuple[list[Card], list[CardProblem]]:
    """Parse every file; two cards with one title in one run are a problem (one would silently win)."""
    cards, problems = [], []
    first_by_title: dict[str, Card] = {}
    for f in files:
        if not f.is_file():
            problems.append(CardProblem(str(f), 1, "file not found"))
            continue
        try:
            card = parse_card_file(f)
        except CardError as e:  # includes non-UTF-8 files, reported at the offending line
            problems.extend(e.problems)
            continue
        key = card.title.casefold()
        if key in first_by_title:
            problems.append(CardProblem(str(f), 1, f"a card titled {card.title!r} is already in this run "
                                                   f"({first_by_title[key].path}); a title is a card's identity"))
            continue
        first_by_title[key] = card
        cards.append(card)
    return cards, problems


# ---------------------------------------------------------------- matching timeline rows to events

_GRAIN = {"day": 0, "month": 1, "year": 2}


def same_date(a, a_prec: str, b, b_prec: str) -> bool:
    """Equal at the coarser of the two precisions (a year-precision date is stored as 1 January)."""
    grain = max(_GRAIN[a_prec], _GRAIN[b_prec])
    return (a.year, a.month if grain < 2 else 0, a.day if grain < 1 else 0) == \
           (b.year, b.month if grain < 2 else 0, b.day if grain < 1 else 0)


class EventIndex:
    """The curated events of one database, by year, for matching timeline rows in memory."""

    def __init__(self, store: Store):
        self.year_of = dict(store.tuples("knowledge/event_years"))
        self.by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
        # The same events bucketed by what same_date() compares, so a timeline row looks at the events on its
        # date rather than at every event of its year (at 100x the data that scan was most of a build).
        self._year_only: dict[int, list[dict[str, Any]]] = defaultdict(list)  # year-precision events
        self._in_month: dict[tuple, list[dict[str, Any]]] = defaultdict(list)  # month- and day-precision
        self._month_only: dict[tuple, list[dict[str, Any]]] = defaultdict(list)  # month-precision
        self._on_day: dict[tuple, list[dict[str, Any]]] = defaultdict(list)  # day-precision
        for r in store.rows("knowledge/curated_events_for_matching"):
            self.by_year[r["year"]].append(r)
            d, prec = r["event_date"], r["date_precision"]
            if prec == "year":
                self._year_only[d.year].append(r)
            else:
                self._in_month[(d.year, d.month)].append(r)
                if prec == "month":
                    self._month_only[(d.year, d.month)].append(r)
                else:
                    self._on_day[(d.year, d.month, d.day)].append(r)

    def on_date(self, when, precision: str) -> list[dict[str, Any]]:
        """The events whose date equals ``when`` by same_date() (in no particular order)."""
        rows = list(self._year_only.get(when.year, ()))
        if precision == "year":
            return list(self.by_year.get(when.year, ()))
        if precision == "month":
            return rows + self._in_month.get((when.year, when.month), [])
        return (rows + self._month_only.get((when.year, when.month), [])
                + self._on_day.get((when.year, when.month, when.day), []))

    def match(self, mentions: list[Mention], when, precision: str) -> str | None:
        """The curated event a dated timeline row describes, or None. Rules, in order:

        1. the row names an event through an alias ("AlexNet") and that event is in the same year;
        2. the row names a chip (or, failing that, a product line) and exactly one curated launch event on a
           compatible date involves that chip (a chip of that line), and every vendor the row names takes part;
        3. the row is dated to the day and exactly one curated event happened that day.
        Anything less certain makes a new card event instead of a wrong link.
        """
        for m in mentions:
            if m.entity_kind == "event" and self.year_of.get(m.entity_id) == when.year:
                return m.entity_id
        rows = self.on_date(when, precision)  # the rules below count matches, so their order does not matter
        vendors = {m.entity_id for m in mentions if m.entity_kind == "vendor"}
        chips = {m.entity_id for m in mentions if m.entity_kind == "chip"}
        families = {m.entity_id for m in mentions if m.entity_kind == "family"}
        for named, column in ((chips, "chips"), (families if not chips else set(), "families")):
            if named:
                hits = [r["event_id"] for r in rows if r["kind"] == "launch" and named & set(r[column] or [])
                        and vendors <= set(r["vendors"] or [])]
                if len(hits) == 1:
                    return hits[0]
        if precision == "day":
            same_day = [r["event_id"] for r in rows if r["date_precision"] == "day"]
            if len(same_day) == 1:
                return same_day[0]
        return None


def _short_title(text: str, limit: int = 90) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


# ---------------------------------------------------------------- one card's rows

class _Batch:
    """Rows of every card of one run, per table, inserted once at the end."""

    def __init__(self):
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add(self, table, rows: Iterable[dict[str, Any]]) -> None:
        self.rows[table.name].extend(rows)

    def write(self, store: Store) -> None:
        for t in (TOPICS, EVENTS, EVENT_ENTITIES, *reversed(TOPIC_PARTS)):  # parents before children
            store.insert(t, self.rows.get(t.name, []))


def card_rows(card: Card, topic_id: str, resolver: Resolver, events: EventIndex, batch: _Batch) -> None:
    """Add one card's topic, attributes, sections, sources, timeline (with events) and mentions to ``batch``."""
    batch.add(TOPICS, [{
        "topic_id": topic_id, "title": card.title, "description": card.description,
        "first_mentioned": card.first_mentioned, "last_updated": card.last_updated,
        "research_retrieved": card.research_retrieved, "summary": card.summary,
        "document_count": card.document_count, "source_file": card.path,
    }])
    batch.add(TOPIC_ATTRIBUTES, ({"topic_id": topic_id, "position": i, "key": a.key, "value": a.value}
                                 for i, a in enumerate(card.attributes, 1)))
    batch.add(TOPIC_SECTIONS, ({"topic_id": topic_id, "position": i, "heading": s.heading, "body": s.body}
                               for i, s in enumerate(card.sections, 1)))
    batch.add(TOPIC_SOURCES, ({"topic_id": topic_id, "position": i, "title": w.title, "publisher": w.publisher,
                               "excerpt": w.excerpt} for i, w in enumerate(card.web_results, 1)))

    # Every text of the card resolved in one pass: the timeline rows (for their events too) and the sections.
    texts = _mention_texts(card)
    resolved = resolver.find_many([t.description for t in card.timeline] + [text for _, text in texts])
    timeline_mentions = resolved[:len(card.timeline)]
    section_mentions = [(section, ms) for (section, _), ms in zip(texts, resolved[len(card.timeline):])]
    timeline_rows = []
    for i, (t, mentions) in enumerate(zip(card.timeline, timeline_mentions), 1):
        event_id = None
        if t.event_date is not None:
            event_id = events.match(mentions, t.event_date, t.date_precision)
            if event_id is None:
                event_id = f"card-{topic_id}-{i}"
                batch.add(EVENTS, [{
                    "event_id": event_id, "event_date": t.event_date, "date_precision": t.date_precision,
                    "year": t.event_date.year, "title": _short_title(t.description), "kind": "other",
                    "description": t.description, "origin": "card", "topic_id": topic_id,
                }])
                seen = set()
                for m in mentions:
                    key = (m.entity_kind, m.entity_id)
                    if m.entity_kind in EVENT_ENTITY_KINDS and key not in seen:
                        seen.add(key)
                        batch.add(EVENT_ENTITIES, [{"event_id": event_id, "entity_kind": m.entity_kind,
                                                    "entity_id": m.entity_id}])
        timeline_rows.append({
            "topic_id": topic_id, "position": i, "date_text": t.date_text, "event_date": t.event_date,
            "date_precision": t.date_precision, "description": t.description, "source_text": t.source_text,
            "event_id": event_id,
        })
    batch.add(TOPIC_TIMELINE, timeline_rows)
    batch.add(TOPIC_MENTIONS, _mentions(topic_id, section_mentions, timeline_rows, timeline_mentions))


def _mention_texts(card: Card) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = [("title", card.title), ("description", card.description or ""),
                                    ("summary", card.summary or "")]
    texts += [("attribute", f"{a.key}: {a.value}") for a in card.attributes]
    texts += [("section", f"{s.heading}\n{s.body}") for s in card.sections]
    texts += [("source", f"{w.title}\n{w.excerpt}") for w in card.web_results]
    return texts


def _mentions(topic_id: str, section_mentions, timeline_rows, timeline_mentions) -> list[dict]:
    found = [(section, m) for section, ms in section_mentions for m in ms]
    found += [("timeline", m) for ms in timeline_mentions for m in ms]  # resolved once, for the events too
    rows: dict[tuple, dict] = {}
    for section, m in found:
        key = (topic_id, m.entity_kind, m.entity_id, section)
        rows.setdefault(key, {"topic_id": topic_id, "entity_kind": m.entity_kind, "entity_id": m.entity_id,
                              "section": section, "matched_text": m.matched_text})
    # A timeline row linked to an event is a mention of that event, even when it names it differently.
    for t in timeline_rows:
        if t["event_id"]:
            key = (topic_id, "event", t["event_id"], "timeline")
            rows.setdefault(key, {"topic_id": topic_id, "entity_kind": "event", "entity_id": t["event_id"],
                                  "section": "timeline", "matched_text": t["date_text"]})
    return list(rows.values())


# ---------------------------------------------------------------- entry points

def _delete_topics(store: Store, topic_ids: list[str]) -> None:
    if not topic_ids:
        return
    card_events = [e for (e,) in store.tuples("knowledge/card_events_of_topics", topic_ids=topic_ids)]
    for t in TOPIC_PARTS:
        store.delete(t, "topic_id", topic_ids)
    store.delete(EVENT_ENTITIES, "event_id", card_events)
    store.delete(EVENTS, "event_id", card_events)
    store.delete(TOPICS, "topic_id", topic_ids)


def ingest_cards(store: Store, cards: list[Card], report: IngestReport, replace: bool = False) -> None:
    """Write ``cards`` into the (writable) store, replacing topics whose title is already there.

    A replacement that would lose too much of a topic (see :func:`loss`) raises
    :class:`~marketgraph.errors.DataErrors` naming the card and what would go, unless ``replace``.
    """
    resolver = Resolver.from_store(store)
    events = EventIndex(store)
    existing = {r["title"].lower(): r for r in store.rows("knowledge/topic_parts")}
    used = {r["topic_id"] for r in existing.values()}
    replaced_ids, assigned, refused = [], [], []
    for card in cards:
        old = existing.get(card.title.lower())
        if old:
            lost = loss(card.title, old, card_part_counts(card))
            if lost and not replace:
                refused.append(DataError(card.path, 1, 1, f"{lost}; if the card is meant to shrink, ingest it "
                                                          "again with --replace"))
            elif lost:
                report.losses.append(lost)
            replaced_ids.append(old["topic_id"])
            assigned.append((card, old["topic_id"], True))
            continue
        base = topic_slug(card.title)
        tid, n = base, 2
        while tid in used:
            tid, n = f"{base}-{n}", n + 1
        used.add(tid)
        assigned.append((card, tid, False))
    if refused:
        raise DataErrors(refused)
    _delete_topics(store, replaced_ids)
    batch = _Batch()
    for card, tid, existed in assigned:
        card_rows(card, tid, resolver, events, batch)
        (report.replaced if existed else report.ingested).append(card.title)
    batch.write(store)


def _refuse(problems: list[CardProblem]) -> DataErrors:
    return DataErrors([DataError(p.file, p.line, 1, p.message) for p in problems])


def _check_database(db: Path) -> None:
    """Refuse a file that is not a readable marketgraph database before copying it (a corrupt or foreign file
    would otherwise fail half-way through, with DuckDB's message about the temporary copy)."""
    try:
        with open_store(db) as store:
            store.build_info()
            store.rows("knowledge/topic_parts")
    except duckdb.Error as e:
        raise DatabaseUnusable(f"cannot ingest into {db}: it is not a usable marketgraph database "
                               f"({str(e).strip().splitlines()[0]}); rebuild it with: marketgraph build --db {db}"
                               ) from None


def ingest(paths: Iterable[str | Path], db: Path, skip_invalid: bool = False, replace: bool = False) -> IngestReport:
    """Ingest card files/folders into the database at ``db``, atomically.

    Strict by default: if any card is invalid, raise :class:`~marketgraph.errors.DataErrors` listing every
    problem and write nothing. With ``skip_invalid`` the valid cards are ingested and the problems returned. A
    card that would empty a part of its topic or lose more than half its rows is refused unless ``replace``.
    """
    cards, problems = parse_cards(card_files(paths))
    if problems and not skip_invalid:
        raise _refuse(problems)
    db = Path(db)
    _check_database(db)
    report = IngestReport(skipped=problems, db_path=db)
    try:
        with atomic_db(db, copy_from=db) as store:
            ingest_cards(store, cards, report, replace)
    except duckdb.Error as e:  # a file damaged past what opening it reads, or the disk filled while writing
        detail = re.sub(r"\S*" + re.escape(f".{db.name}.") + r"\S*\.tmp", str(db), str(e).strip().splitlines()[0])
        raise DatabaseUnusable(f"cannot ingest into {db}: it is not a usable marketgraph database ({detail}); "
                               f"rebuild it with: marketgraph build --db {db}") from None
    return report


def ingest_shipped_cards(store: Store, ds: Dataset) -> list[BuildWarning]:
    """Build step: the cards in data/cards/ go into every build; an invalid one fails the build."""
    folder = ds.data_dir / "cards"
    cards, problems = parse_cards(card_files([folder]) if folder.is_dir() else [])
    if problems:
        raise _refuse(problems)
    ingest_cards(store, cards, IngestReport())
    return []
