"""The one schema declaration renders valid DDL, comments and a data dictionary that match each other."""
from __future__ import annotations

import re

import duckdb
import pytest

from marketgraph.store import render
from marketgraph.store import schema as s
from conftest import REPO


def test_ddl_creates_every_table_with_constraints():
    con = duckdb.connect()
    for stmt in render.ddl():
        con.execute(stmt)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {t.name for t in s.TABLES}
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert views == {v.name for v in s.VIEWS}
    for v in s.VIEWS:  # a view's declared columns are the columns its SQL returns
        cols = [r[0] for r in con.execute(f"DESCRIBE {v.name}").fetchall()]
        assert cols == v.column_names, v.name
    cons = con.execute("SELECT table_name, constraint_type FROM duckdb_constraints()").fetchall()
    kinds = {(t, k) for t, k in cons}
    assert ("chips", "PRIMARY KEY") in kinds
    assert ("chips", "FOREIGN KEY") in kinds
    assert ("chips", "CHECK") in kinds
    assert ("chips", "NOT NULL") in kinds


def test_check_constraints_reject_bad_values():
    con = duckdb.connect()
    for stmt in render.ddl():
        con.execute(stmt)
    con.execute("INSERT INTO segments VALUES ('training', 'Training', 'x')")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO segments VALUES ('training', 'dup', 'x')")
    con.execute("INSERT INTO vendors (vendor_id, name, country, kind) VALUES ('v', 'V', 'US', 'startup')")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO vendors (vendor_id, name, country, kind) VALUES ('w', 'W', 'US', 'giant')")
    with pytest.raises(duckdb.ConstraintException):  # unknown vendor: foreign key
        con.execute("INSERT INTO chips (chip_id, vendor_id, name, family, announced, segment, deployment, form, "
                    "sales_model) VALUES ('c', 'nope', 'C', 'F', DATE '2020-01-01', 'training', 'datacenter', "
                    "'chip', 'merchant')")


def test_every_table_and_column_is_described():
    for t in s.TABLES:
        assert len(t.description) > 20, t.name
        for c in t.columns:
            assert len(c.description) > 5, f"{t.name}.{c.name}"
            assert re.fullmatch(r"[a-z][a-z0-9_]*", c.name)


def test_references_point_at_declared_keys():
    for t in s.TABLES:
        for c in t.columns:
            if c.references:
                ref_t, ref_c = c.references.split(".")
                assert s.table(ref_t).primary_key == (ref_c,), c.references
        for p in t.polyrefs:
            for target in p.targets.values():
                assert len(s.table(target).primary_key) == 1


def test_public_names_from_the_issues_are_stable():
    # Analysts' SQL depends on these names; renaming one must fail this test.
    expected = {
        "vendors": ["vendor_id", "name", "country", "kind"],
        "chips": ["chip_id", "vendor_id", "name", "family", "announced", "year", "segment", "deployment",
                  "memory_gb", "memory_bandwidth_tbs", "tdp_w", "fp32_tflops", "fp16_tflops", "bf16_tflops",
                  "fp8_tflops", "int8_tops"],
        "segments": ["segment_id", "name", "description"],
        "events": ["event_id", "event_date", "date_precision", "title", "kind", "description"],
        "event_entities": ["event_id", "entity_kind", "entity_id"],
        "sources": ["source_id", "publisher", "title", "url", "accessed"],
        "citations": ["subject_table", "subject_id", "field", "source_id"],
        "market_estimates": ["estimate_id", "year", "segment", "scope", "measure", "vendor_id", "value", "low",
                             "high", "unit", "currency", "period_note", "source_id"],
        "topics": ["topic_id", "title", "description", "first_mentioned", "last_updated", "research_retrieved",
                   "summary", "document_count", "source_file"],
        "segment_concentration": ["segment", "year", "basis", "vendor_count", "top_vendor_id", "cr1", "cr4",
                                  "hhi", "effective_vendors", "entropy", "delta_hhi", "coverage_pct"],
    }
    for table, cols in expected.items():
        assert set(cols) <= set(s.table(table).column_names), table


def test_comments_are_stored_in_the_database(tiny_db):
    con = duckdb.connect(str(tiny_db), read_only=True)
    comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name='chips' "
                          "AND column_name='memory_bandwidth_tbs'").fetchone()[0]
    assert "TB/s" in comment and "bandwidth" in comment.lower()
    tcomment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name='chips'").fetchone()[0]
    assert "dense" in tcomment


def test_data_dictionary_lists_every_column():
    text = render.data_dictionary()
    for t in s.TABLES:
        assert f"## `{t.name}`" in text
        for c in t.columns:
            assert f"| `{c.name}` |" in text


def test_docs_schema_md_is_generated_and_current():
    doc = REPO / "docs" / "schema.md"
    assert doc.read_text(encoding="utf-8").strip() == render.data_dictionary().strip(), \
        "docs/schema.md is stale: run  marketgraph schema > docs/schema.md"
