"""Beyond one machine: Spark SQL in local mode over `marketgraph export --all --format parquet` answers the
documented example queries (docs/reports.md) exactly as DuckDB does on the database.

Marked slow (a JVM starts; about half a minute): run with ``pip install -e ".[test,spark]" && pytest -m slow``.
Needs a JDK 17 or later (``java`` on the PATH).
"""
from __future__ import annotations

import datetime as dt
import math
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO

pytestmark = pytest.mark.slow

FIXTURE = REPO / "tests" / "fixtures" / "reports"
DOC = REPO / "docs" / "reports.md"


def example_queries() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("<!-- example queries", 1)[1].split("<!-- end of example queries -->", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def _normal(rows) -> list[tuple]:
    def cell(v):
        if isinstance(v, Decimal):
            v = float(v)
        if isinstance(v, float):
            return None if math.isnan(v) else round(v, 9)
        if isinstance(v, dt.datetime):
            return v.date() if v == dt.datetime.combine(v.date(), dt.time()) else v
        return v
    return [tuple(cell(v) for v in r) for r in rows]


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None:
        pytest.skip("Spark needs a JDK (java on the PATH)")
    pyspark_sql = pytest.importorskip("pyspark.sql")
    session = (pyspark_sql.SparkSession.builder.master("local[1]").appName("marketgraph-test")
               .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.shuffle.partitions", "1").getOrCreate())
    yield session
    session.stop()


def test_documented_queries_give_the_same_answers_on_spark_and_duckdb(spark, tmp_path):
    import marketgraph as mg
    from marketgraph.cli import main

    db = tmp_path / "fixture.duckdb"
    mg.build(FIXTURE, db)
    out = tmp_path / "parquet"
    res = CliRunner().invoke(main, ["export", "--all", "--format", "parquet", "--out", str(out), "--db", str(db),
                                    "--quiet"])
    assert res.exit_code == 0, res.output
    for p in out.glob("*.parquet"):
        spark.read.parquet(str(p)).createOrReplaceTempView(p.stem)
    queries = example_queries()
    assert len(queries) >= 4
    for sql in queries:
        expected = _normal(mg.query(sql, db=db).itertuples(index=False, name=None))
        got = _normal(tuple(r) for r in spark.sql(sql).collect())
        assert got == expected, sql
        assert expected, f"the example returns no rows on the fixture, so it proves nothing: {sql}"
