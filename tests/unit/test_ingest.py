"""Knowledge cards into the DB: the seed card's acceptance criteria, idempotence, strictness, event linking."""
from __future__ import annotations

import datetime as dt
import hashlib

import duckdb
import pytest
from click.testing import CliRunner

from marketgraph.cli import main
from marketgraph.knowledge.ingest import ingest
from marketgraph.errors import DataErrors
from conftest import REPO

# The project's own card in the seed format (tests never read files outside the repository).
SEED = REPO / "data" / "cards" / "training-vs-inference.txt"

CARD = """{title}

Topic

A test topic about accelerators.

First Mentioned

1/2/2024, 3:04:05 PM

Last Updated

1/2/2024, 3:04:05 PM

Research Retrieved

1/2/2024, 3:04:05 PM

Summary

Nvidia and Google both appear here; AlexNet changed training.

Referenced in 2 Documents
Research Data
Extracted Attributes
  • Key One

    Value one.

Timeline
  • {event} (Source: Test Publisher)

    {date}
"""


def counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    out = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in
           ("topics", "topic_attributes", "topic_timeline", "topic_sections", "topic_sources", "topic_mentions",
            "events", "event_entities")}
    con.close()
    return out


def q(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_seed_card_acceptance(tiny_db):
    ingest([SEED], tiny_db)
    (tid, title, first, docs), = q(tiny_db, "SELECT topic_id, title, first_mentioned, document_count FROM topics")
    assert title == "Training vs Inference" and first == dt.datetime(2025, 10, 1, 4, 9, 39) and docs == 1
    assert q(tiny_db, "SELECT count(*) FROM topic_attributes")[0][0] == 17
    timeline = q(tiny_db, "SELECT date_text, event_date, date_precision, event_id FROM topic_timeline "
                          "ORDER BY position")
    assert timeline[0][:3] == ("2012", dt.date(2012, 1, 1), "year")
    assert timeline[0][3] == "alexnet-imagenet-2012"  # linked to the curated event, not a new one
    assert timeline[2] == ("Ongoing", None, None, None)
    pubs = [r[0] for r in q(tiny_db, "SELECT publisher FROM topic_sources ORDER BY position")]
    assert pubs == ["Clarifai", "TechTarget", "Center Consulting", "Nebius", None, "YouTube"]
    assert q(tiny_db, "SELECT heading FROM topic_sections")[0][0] == "Backpropagation"
    vendors = {r[0] for r in q(tiny_db, "SELECT entity_id FROM topic_mentions WHERE entity_kind = 'vendor'")}
    assert {"nvidia", "google"} <= vendors
    sections = {r[0] for r in q(tiny_db, "SELECT DISTINCT section FROM topic_mentions WHERE entity_id='nvidia'")}
    assert {"description", "summary"} <= sections  # provenance: where in the card the mention is


def test_reingest_is_idempotent(tiny_db):
    ingest([SEED], tiny_db)
    first = counts(tiny_db)
    ingest([SEED], tiny_db)
    assert counts(tiny_db) == first


def test_title_is_identity_case_insensitive(tiny_db, tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(CARD.format(title="Chip Wars", event="Something new happened at Google", date="March 2021"))
    b = tmp_path / "sub" / "b.txt"
    b.parent.mkdir()
    b.write_text(CARD.format(title="CHIP WARS", event="Another thing happened at Nvidia", date="2022"))
    ingest([a], tiny_db)
    report = ingest([tmp_path / "sub"], tiny_db)
    assert report.replaced == ["CHIP WARS"]
    rows = q(tiny_db, "SELECT title, source_file FROM topics")
    assert len(rows) == 1 and rows[0][0] == "CHIP WARS" and rows[0][1].endswith("b.txt")
    # the old card's own event went with it; the new one is sourced to the topic
    ev = q(tiny_db, "SELECT event_id, event_date, date_precision, origin, topic_id FROM events WHERE origin='card'")
    assert len(ev) == 1 and ev[0][1:] == (dt.date(2022, 1, 1), "year", "card", "chip-wars")
    links = q(tiny_db, "SELECT entity_kind, entity_id FROM event_entities WHERE event_id = ?", [ev[0][0]])
    assert ("vendor", "nvidia") in links


def test_two_cards_share_one_curated_event(tiny_db, tmp_path):
    for i, title in enumerate(["Card One", "Card Two"]):
        p = tmp_path / f"c{i}.txt"
        p.write_text(CARD.format(title=title, event="AlexNet wins ImageNet on two GPUs", date="9/30/2012"))
    ingest([tmp_path], tiny_db)
    ids = {r[0] for r in q(tiny_db, "SELECT event_id FROM topic_timeline")}
    assert ids == {"alexnet-imagenet-2012"}
    assert q(tiny_db, "SELECT count(*) FROM events WHERE origin = 'card'")[0][0] == 0


def test_same_alias_other_year_makes_a_new_event(tiny_db, tmp_path):
    p = tmp_path / "c.txt"
    p.write_text(CARD.format(title="Retro", event="AlexNet is cited again", date="2019"))
    ingest([p], tiny_db)
    (eid,), = q(tiny_db, "SELECT event_id FROM topic_timeline")
    assert eid != "alexnet-imagenet-2012" and eid.startswith("card-retro-")


def test_malformed_card_strict_fails_and_writes_nothing(tiny_db, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(CARD.format(title="Good", event="x", date="2020"))
    bad = tmp_path / "bad.txt"
    bad.write_text(CARD.format(title="Bad", event="x", date="2020").replace("1/2/2024, 3:04:05 PM", "yesterday", 1))
    before = hashlib.sha256(tiny_db.read_bytes()).hexdigest()
    with pytest.raises(DataErrors) as exc:
        ingest([tmp_path], tiny_db)
    assert any(e.file.endswith("bad.txt") and e.line == 9 for e in exc.value.errors), exc.value
    assert hashlib.sha256(tiny_db.read_bytes()).hexdigest() == before


def test_cli_ingest_strict_and_skip_invalid(tiny_db, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(CARD.format(title="Good", event="x", date="2020"))
    bad = tmp_path / "bad.txt"
    bad.write_text("Just a title\n\nno topic here\n")
    runner = CliRunner()
    res = runner.invoke(main, ["ingest", str(tmp_path), "--db", str(tiny_db)])
    assert res.exit_code == 1 and "bad.txt:" in res.output and "Traceback" not in res.output
    assert counts(tiny_db)["topics"] == 0
    res = runner.invoke(main, ["ingest", str(tmp_path), "--db", str(tiny_db), "--skip-invalid"])
    assert res.exit_code == 0, res.output
    assert "ingested 1 new" in res.output and "skipped 1 invalid" in res.output
    assert counts(tiny_db)["topics"] == 1


def test_shipped_cards_are_built_in(shipped_db):
    titles = {r[0] for r in q(shipped_db, "SELECT title FROM topics")}
    assert "Training vs Inference" in titles and len(titles) >= 5
    # every dated timeline row points at an event, and every such event exists
    orphans = q(shipped_db, "SELECT count(*) FROM topic_timeline t LEFT JOIN events e USING (event_id) "
                            "WHERE t.event_date IS NOT NULL AND e.event_id IS NULL")
    assert orphans[0][0] == 0
    assert q(shipped_db, "SELECT count(*) FROM topic_timeline WHERE event_id = 'alexnet-imagenet-2012'")[0][0] >= 1


def test_event_index_buckets_match_same_date(shipped_db):
    """EventIndex.on_date() is the same_date() filter over the year, by buckets instead of a scan."""
    import datetime as dt

    from marketgraph.knowledge.ingest import EventIndex, same_date
    from marketgraph.store.db import open_store

    with open_store(shipped_db) as store:
        index = EventIndex(store)
    dates = {r["event_date"] for rows in index.by_year.values() for r in rows}
    dates |= {dt.date(d.year, d.month, 1) for d in dates} | {dt.date(d.year, 1, 1) for d in dates}
    for when in sorted(dates):
        for precision in ("day", "month", "year"):
            scan = [r["event_id"] for r in index.by_year.get(when.year, ())
                    if same_date(r["event_date"], r["date_precision"], when, precision)]
            assert sorted(r["event_id"] for r in index.on_date(when, precision)) == sorted(scan)
