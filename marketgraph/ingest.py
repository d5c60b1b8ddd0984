"""Knowledge cards → the topic tables, with mentions resolved and timeline rows linked to events.

A card's identity is its title (case-insensitive): ingesting a card whose title is already in the database
replaces that topic, whichever file it came from, so re-ingesting is idempotent. Each timeline row is linked to
the event it describes: a curated event when one matches (the rules are in :func:`_match_event`: an event alias
such as "AlexNet" in the same year, a chip or product line whose one launch falls on a compatible date, or the
only curated event on that day), otherwise a new event with origin ``card``, sourced to the topic. Undated rows ("Ongoing") describe no datable event; their event_id stays
NULL.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import duckdb

from . import db as dbmod
from .cards import Card, CardError, CardProblem, parse_card_file
from .load import DataError, DataErrors, Dataset
from .resolve import Resolver
from .schema import (EVENT_ENTITIES, EVENTS, TOPIC_ATTRIBUTES, TOPIC_MENTIONS, TOPIC_SECTIONS, TOPIC_SOURCES,
                     TOPIC_TIMELINE, TOPICS)

CARD_SUFFIXES = (".txt",)
EVENT_ENTITY_KINDS = ("vendor", "chip", "segment")


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)  # topic titles
    replaced: list[str] = field(default_factory=list)
    skipped: list[CardProblem] = field(default_factory=list)
    db_path: Path | None = None


def slugify(text: str) -> str:
    """``'Training vs Inference'`` → ``'training-vs-inference'``.

    >>> slugify("CUDA: the Software Moat!")
    'cuda-the-software-moat'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug or "topic"


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
    cards, problems = [], []
    for f in files:
        if not f.is_file():
            problems.append(CardProblem(str(f), 1, "file not found"))
            continue
        try:
            cards.append(parse_card_file(f))
        except CardError as e:  # includes non-UTF-8 files, reported at the offending line
            problems.extend(e.problems)
    return cards, problems


# ---------------------------------------------------------------- writing one card

def _delete_topic(con: duckdb.DuckDBPyConnection, topic_id: str) -> None:
    card_events = [r[0] for r in con.execute(
        "SELECT event_id FROM events WHERE origin = 'card' AND topic_id = ?", [topic_id]).fetchall()]
    for t in (TOPIC_MENTIONS, TOPIC_SOURCES, TOPIC_SECTIONS, TOPIC_TIMELINE, TOPIC_ATTRIBUTES):
        con.execute(f"DELETE FROM {t.name} WHERE topic_id = ?", [topic_id])
    if card_events:
        con.execute("DELETE FROM event_entities WHERE list_contains(?, event_id)", [card_events])
        con.execute("DELETE FROM events WHERE list_contains(?, event_id)", [card_events])
    con.execute("DELETE FROM topics WHERE topic_id = ?", [topic_id])


def _topic_id_for(con: duckdb.DuckDBPyConnection, title: str) -> tuple[str, bool]:
    """The existing topic id for this title (case-insensitive), or a new unique one."""
    row = dbmod.first_row(con, "SELECT topic_id FROM topics WHERE lower(title) = lower(?)", [title])
    if row:
        return row[0], True
    base = slugify(title)
    tid, n = base, 2
    while dbmod.first_row(con, "SELECT 1 FROM topics WHERE topic_id = ?", [tid]):
        tid, n = f"{base}-{n}", n + 1
    return tid, False


_GRAIN = {"day": 0, "month": 1, "year": 2}


def _same_date(a, a_prec: str, b, b_prec: str) -> bool:
    """Equal at the coarser of the two precisions (a year-precision date is stored as 1 January)."""
    grain = max(_GRAIN[a_prec], _GRAIN[b_prec])
    return (a.year, a.month if grain < 2 else 0, a.day if grain < 1 else 0) == \
           (b.year, b.month if grain < 2 else 0, b.day if grain < 1 else 0)


def _match_event(con: duckdb.DuckDBPyConnection, mentions, when, precision: str) -> str | None:
    """The curated event a dated timeline row describes, or None. Rules, in order:

    1. the row names an event through an alias ("AlexNet") and that event is in the same year;
    2. the row names a chip (or, failing that, a product line) and exactly one curated launch event on a
       compatible date involves that chip (a chip of that line), and every vendor the row names takes part in it;
    3. the row is dated to the day and exactly one curated event happened that day.
    Anything less certain makes a new card event instead of a wrong link.
    """
    for m in mentions:
        if m.entity_kind == "event":
            hit = dbmod.first_row(con, "SELECT event_id FROM events WHERE event_id = ? AND year = ?",
                                  [m.entity_id, when.year])
            if hit:
                return hit[0]
    rows = con.execute(
        "SELECT e.event_id, e.event_date, e.date_precision, e.kind, list(DISTINCT x.entity_id) FILTER "
        "(WHERE x.entity_kind = 'vendor') AS vendors, list(DISTINCT x.entity_id) FILTER "
        "(WHERE x.entity_kind = 'chip') AS chips, list(DISTINCT c.family) FILTER (WHERE c.family IS NOT NULL) "
        "FROM events e JOIN event_entities x USING (event_id) LEFT JOIN chips c "
        "ON x.entity_kind = 'chip' AND c.chip_id = x.entity_id "
        "WHERE e.origin = 'curated' AND e.year = ? GROUP BY ALL", [when.year]).fetchall()
    rows = [r for r in rows if _same_date(r[1], r[2], when, precision)]
    vendors = {m.entity_id for m in mentions if m.entity_kind == "vendor"}
    chips = {m.entity_id for m in mentions if m.entity_kind == "chip"}
    families = {m.entity_id for m in mentions if m.entity_kind == "family"}
    for named, column in ((chips, 5), (families if not chips else set(), 6)):
        if named:
            hits = [r[0] for r in rows if r[3] == "launch" and named & set(r[column] or [])
                    and vendors <= set(r[4] or [])]
            if len(hits) == 1:
                return hits[0]
    if precision == "day":
        same_day = [r[0] for r in rows if r[2] == "day"]
        if len(same_day) == 1:
            return same_day[0]
    return None


def _short_title(text: str, limit: int = 90) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def write_card(con: duckdb.DuckDBPyConnection, card: Card, resolver: Resolver) -> tuple[str, bool]:
    """Insert (or replace) one card's topic and everything derived from it. Returns (topic_id, replaced)."""
    topic_id, existed = _topic_id_for(con, card.title)
    if existed:
        _delete_topic(con, topic_id)
    dbmod.insert_rows(con, TOPICS, [{
        "topic_id": topic_id, "title": card.title, "description": card.description,
        "first_mentioned": card.first_mentioned, "last_updated": card.last_updated,
        "research_retrieved": card.research_retrieved, "summary": card.summary,
        "document_count": card.document_count, "source_file": card.path,
    }])
    dbmod.insert_rows(con, TOPIC_ATTRIBUTES, [
        {"topic_id": topic_id, "position": i, "key": a.key, "value": a.value}
        for i, a in enumerate(card.attributes, 1)])
    dbmod.insert_rows(con, TOPIC_SECTIONS, [
        {"topic_id": topic_id, "position": i, "heading": s.heading, "body": s.body}
        for i, s in enumerate(card.sections, 1)])
    dbmod.insert_rows(con, TOPIC_SOURCES, [
        {"topic_id": topic_id, "position": i, "title": w.title, "publisher": w.publisher, "excerpt": w.excerpt}
        for i, w in enumerate(card.web_results, 1)])

    timeline_rows, new_events, new_links = [], [], []
    for i, t in enumerate(card.timeline, 1):
        event_id = None
        if t.event_date is not None:
            mentions = resolver.find(t.description)
            event_id = _match_event(con, mentions, t.event_date, t.date_precision)
            if event_id is None:
                event_id = f"card-{topic_id}-{i}"
                new_events.append({
                    "event_id": event_id, "event_date": t.event_date, "date_precision": t.date_precision,
                    "year": t.event_date.year, "title": _short_title(t.description), "kind": "other",
                    "description": t.description, "origin": "card", "topic_id": topic_id,
                })
                seen = set()
                for m in mentions:
                    key = (m.entity_kind, m.entity_id)
                    if m.entity_kind in EVENT_ENTITY_KINDS and key not in seen:
                        seen.add(key)
                        new_links.append({"event_id": event_id, "entity_kind": m.entity_kind,
                                          "entity_id": m.entity_id})
        timeline_rows.append({
            "topic_id": topic_id, "position": i, "date_text": t.date_text, "event_date": t.event_date,
            "date_precision": t.date_precision, "description": t.description, "source_text": t.source_text,
            "event_id": event_id,
        })
    dbmod.insert_rows(con, EVENTS, new_events)
    dbmod.insert_rows(con, EVENT_ENTITIES, new_links)
    dbmod.insert_rows(con, TOPIC_TIMELINE, timeline_rows)
    dbmod.insert_rows(con, TOPIC_MENTIONS, _mentions(card, topic_id, resolver, timeline_rows))
    return topic_id, existed


def _mentions(card: Card, topic_id: str, resolver: Resolver, timeline_rows) -> list[dict]:
    texts: list[tuple[str, str]] = [("title", card.title), ("description", card.description or ""),
                                    ("summary", card.summary or "")]
    texts += [("attribute", f"{a.key}: {a.value}") for a in card.attributes]
    texts += [("timeline", t.description) for t in card.timeline]
    texts += [("section", f"{s.heading}\n{s.body}") for s in card.sections]
    texts += [("source", f"{w.title}\n{w.excerpt}") for w in card.web_results]
    rows: dict[tuple, dict] = {}
    for section, text in texts:
        for m in resolver.find(text):
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

def ingest_cards(con: duckdb.DuckDBPyConnection, cards: list[Card], report: IngestReport) -> None:
    resolver = Resolver.from_db(con)
    for card in cards:
        _, replaced = write_card(con, card, resolver)
        (report.replaced if replaced else report.ingested).append(card.title)


def ingest(paths: Iterable[str | Path], db: str | Path | None = None, skip_invalid: bool = False) -> IngestReport:
    """Ingest card files/folders into a database, atomically.

    Strict by default: if any card is invalid, raise :class:`~marketgraph.load.DataErrors` listing every problem
    and write nothing. With ``skip_invalid`` the valid cards are ingested and the problems returned.
    """
    files = card_files(paths)
    cards, problems = parse_cards(files)
    if problems and not skip_invalid:
        raise DataErrors([DataError(p.file, p.line, 1, p.message) for p in problems])
    target = dbmod.resolve_db(db)
    report = IngestReport(skipped=problems, db_path=target)
    with dbmod.atomic_db(target, copy_from=target) as con:
        ingest_cards(con, cards, report)
    return report


def ingest_shipped_cards(con: duckdb.DuckDBPyConnection, ds: Dataset) -> list[str]:
    """Build step: the cards in data/cards/ go into every build; an invalid one fails the build."""
    folder = ds.data_dir / "cards"
    files = card_files([folder]) if folder.is_dir() else []
    cards, problems = parse_cards(files)
    if problems:
        raise DataErrors([DataError(p.file, p.line, 1, p.message) for p in problems])
    ingest_cards(con, cards, IngestReport())
    return []
