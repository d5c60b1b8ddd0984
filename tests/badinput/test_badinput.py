"""The bad-input corpus (cases.csv, written by make_corpus.py): each malformed data file or card is refused with
its FILE:LINE(:COLUMN) and the previous database stays byte-identical, or it is accepted where it is valid."""
from __future__ import annotations

import csv
import hashlib
import re
import shutil
from pathlib import Path

import duckdb
import pytest

import marketgraph as mg
from marketgraph.errors import DatabaseUnusable, DataErrors
from marketgraph.knowledge.ingest import ingest

HERE = Path(__file__).resolve().parent
SEED = HERE.parent.parent / "data" / "cards" / "training-vs-inference.txt"
with (HERE / "cases.csv").open(newline="", encoding="utf-8") as f:
    CASES = list(csv.DictReader(f))
DATA = [c for c in CASES if c["kind"] == "data"]
CARDS = [c for c in CASES if c["kind"] == "cards"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def located(errors: list[str], where: str, message: str) -> bool:
    """Some error is at ``where`` (FILE:LINE[:COLUMN], the file given by name) and says ``message``."""
    at = re.compile(rf"(^|/){re.escape(where)}")
    return any(at.search(e) and message in e for e in errors)


def test_the_corpus_is_large_and_covers_the_issue():
    names = {c["case"] for c in CASES}
    assert len(CASES) >= 40 and len({c["case"] for c in DATA}) >= 30
    for must in ("self-predecessor", "predecessor-cycle", "vendor-parent-cycle", "nul-in-cell", "card-nul",
                 "card-cut-at-30-percent", "card-two-with-one-title", "card-negative-document-count",
                 "unbalanced-quote", "wrong-type-number", "bad-date", "unknown-vendor", "duplicate-key", "latin1",
                 "empty-file", "header-only-leaf", "bom", "crlf", "card-revised-a-few-rows"):
        assert must in names


@pytest.mark.parametrize("case", DATA, ids=[c["case"] for c in DATA])
def test_data_case(case, tiny_data, tiny_db):
    before = sha(tiny_db)
    for f in (HERE / "data" / case["case"]).iterdir():
        shutil.copyfile(f, tiny_data / f.name)
    if case["expect"] == "accept":
        report = mg.build(tiny_data, tiny_db)
        assert report.row_counts["chips"] == 2
        return
    with pytest.raises(DataErrors) as exc:
        mg.build(tiny_data, tiny_db)
    errors = [str(e) for e in exc.value.errors]
    assert located(errors, case["where"], case["message"]), errors
    assert all(re.match(r"^[^:]+:\d+:\d+: \S", e) for e in errors), errors
    # one defect, one cause: never a page of follow-on errors burying it
    assert len(errors) <= 2, errors
    assert sha(tiny_db) == before
    assert not [p for p in tiny_db.parent.iterdir() if p.name.startswith(f".{tiny_db.name}.")]


@pytest.fixture
def seeded_db(tiny_db) -> Path:
    ingest([SEED], tiny_db)
    return tiny_db


def topic_rows(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                for t in ("topics", "topic_attributes", "topic_timeline", "topic_sources", "topic_sections")}
    finally:
        con.close()


@pytest.mark.parametrize("case", CARDS, ids=[c["case"] for c in CARDS])
def test_card_case(case, seeded_db):
    before, counts = sha(seeded_db), topic_rows(seeded_db)
    folder = HERE / "cards" / case["case"]
    if case["expect"] == "accept":
        report = ingest([folder], seeded_db)
        assert report.replaced == ["Training vs Inference"] and not report.losses
        assert topic_rows(seeded_db) == counts  # a revision of a few rows keeps every part
        return
    with pytest.raises(DataErrors) as exc:
        ingest([folder], seeded_db)
    errors = [str(e) for e in exc.value.errors]
    assert located(errors, case["where"], case["message"]), errors
    assert sha(seeded_db) == before
    if case["expect"] == "replace":
        assert "--replace" in errors[0]
        report = ingest([folder], seeded_db, replace=True)
        assert report.losses and topic_rows(seeded_db)["topic_timeline"] == 0


def test_the_cut_card_prints_what_would_be_lost_and_replace_accepts(seeded_db):
    from click.testing import CliRunner

    from marketgraph.cli import main

    card = HERE / "cards" / "card-cut-at-30-percent"
    res = CliRunner().invoke(main, ["ingest", str(card), "--db", str(seeded_db)])
    assert res.exit_code == 1 and "attributes 17 → " in res.output and "timeline" in res.output, res.output
    res = CliRunner().invoke(main, ["ingest", str(card), "--db", str(seeded_db), "--replace"])
    assert res.exit_code == 0 and "replaced as asked" in res.output, res.output


@pytest.mark.parametrize("content", [b"x" * 5000, b"", None])
def test_ingest_into_a_corrupt_database_is_a_clean_error(content, tiny_db, tmp_path):
    bad = tmp_path / "bad.duckdb"
    if content is None:  # a real database cut short, as a failed copy would leave it
        raw = tiny_db.read_bytes()
        bad.write_bytes(raw[: len(raw) // 3])
    else:
        bad.write_bytes(content)
    before = sha(bad)
    with pytest.raises(DatabaseUnusable, match="not a usable marketgraph database|cannot open"):
        ingest([SEED], bad)
    assert sha(bad) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".bad.duckdb.")]


def test_ingest_into_a_foreign_duckdb_file_is_a_clean_error(tmp_path):
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t AS SELECT 1 AS x")
    con.close()
    before = sha(other)
    with pytest.raises(DatabaseUnusable, match="not a usable marketgraph database"):
        ingest([SEED], other)
    assert sha(other) == before
