"""The CLI as a user runs it (click's CliRunner): clean output, clean errors, no tracebacks."""
from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from marketgraph.cli import main
from conftest import append_line


@pytest.fixture
def run():
    runner = CliRunner()

    def _run(*args, input=None, ok=True):
        result = runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        return result
    return _run


def test_help_lists_every_command_with_examples(run):
    out = run("--help").output
    commands = main.list_commands(None)
    assert {"build", "sql", "findings", "graph", "dashboard"} <= set(commands)  # dashboard: an entry point
    for cmd in commands:
        assert f"  {cmd} " in out and f"marketgraph {cmd}" in out.split("Examples:")[1], cmd
        sub = run(cmd, "--help").output
        assert "Example" in sub and f"marketgraph {cmd}" in sub, cmd
    for sub in ("export", "show", "path"):
        assert "Example" in run("graph", sub, "--help").output


def test_build_then_sql(run, tiny_data, tmp_path):
    db = tmp_path / "cli.duckdb"
    out = run("build", "--data", tiny_data, "--db", db).output
    assert "chips 2" in out
    res = run("sql", "select count(*) as n from chips", "--db", db, "--format", "json").output
    assert json.loads(res) == [{"n": 2}]


def test_sql_formats_and_params(run, tiny_db):
    q = "select chip_id, year from chips where year >= $y order by chip_id"
    csv = run("sql", q, "-p", "y", "2022", "--db", tiny_db, "--format", "csv").output
    assert csv.strip().splitlines() == ["chip_id,year", "nvidia-h100-sxm5-80gb,2022"]
    md = run("sql", q, "-p", "y", "2000", "--db", tiny_db, "--format", "markdown").output
    assert md.splitlines()[0] == "| chip_id | year |" and "| google-tpu-v4 | 2021 |" in md
    table = run("sql", q, "-p", "y", "2000", "--db", tiny_db).output
    assert table.splitlines()[0].split() == ["chip_id", "year"] and len(table.splitlines()) == 4


def test_sql_from_stdin(run, tiny_db):
    out = run("sql", "-", "--db", tiny_db, "--format", "csv", input="select segment_id from segments order by 1")
    assert out.output.split() == ["segment_id", "all", "inference", "training"]


def test_sql_row_cap_is_announced(run, tiny_db):
    res = run("sql", "select * from range(50)", "--db", tiny_db, "--format", "csv", "--max-rows", "5")
    assert len(res.stdout.strip().splitlines()) == 6
    assert "stopped at 5 rows" in res.stderr


def test_sql_refuses_writes_cleanly(run, tiny_db):
    res = run("sql", "drop table chips", "--db", tiny_db, ok=False)
    assert res.exit_code == 1 and "only SELECT statements are allowed" in res.output


def test_garbage_row_fails_build_naming_file_and_line(run, tiny_data, tiny_db):
    before = hashlib.sha256(tiny_db.read_bytes()).hexdigest()
    line = append_line(tiny_data / "chips.csv", "@@garbage@@;;;")
    res = run("build", "--data", tiny_data, "--db", tiny_db, ok=False)
    assert res.exit_code == 1
    assert f"chips.csv:{line}:" in res.output and "nothing was written" in res.output
    assert hashlib.sha256(tiny_db.read_bytes()).hexdigest() == before


def test_info(run, tiny_db):
    out = run("info", "--db", tiny_db).output
    assert str(tiny_db) in out and "data_digest" in out and "chips" in out
    js = json.loads(run("info", "--db", tiny_db, "--format", "json").output)
    assert {"key": "chips", "value": "2"} in js


def test_missing_db_is_a_clean_error(run, tmp_path):
    res = run("sql", "select 1", "--db", tmp_path / "none.duckdb", ok=False)
    assert res.exit_code == 1 and "marketgraph build --db" in res.output


def test_schema(run):
    out = run("schema", "--table", "chips").output
    assert out.startswith("## `chips`") and "memory_bandwidth_tbs" in out and "## `vendors`" not in out
    ddl = run("schema", "--format", "sql").output
    assert "CREATE TABLE chips" in ddl and "COMMENT ON COLUMN chips.tdp_w" in ddl
    res = run("schema", "--table", "nope", ok=False)
    assert res.exit_code == 1 and "no table 'nope'" in res.output


def test_check_command(run, tiny_db):
    res = run("check", "--db", tiny_db)
    assert "0 failing row(s)" in res.stderr


def test_default_db_works_with_no_setup(run):
    res = run("sql", "select count(*) > 0 as ok from chips", "--format", "csv")
    assert res.stdout.split() == ["ok", "true"]
    assert "building the default database from the shipped data" in res.stderr  # said once, on stderr
    assert "building" not in run("sql", "select 1 as x").stderr


def test_user_errors_are_messages_and_bugs_are_tracebacks(tiny_db, monkeypatch):
    runner = CliRunner()
    res = runner.invoke(main, ["graph", "show", "no-such-node", "--db", str(tiny_db)])
    assert res.exit_code == 1 and "no node matches" in res.output and res.exception.__class__ is SystemExit

    def bug(*a, **k):
        raise KeyError("a bug, not a user error")

    monkeypatch.setattr("marketgraph.knowledge.graph.find_node", bug)
    res = runner.invoke(main, ["graph", "show", "vendor:nvidia", "--db", str(tiny_db)])
    assert isinstance(res.exception, KeyError)  # not swallowed into a friendly message
    with pytest.raises(KeyError):
        runner.invoke(main, ["graph", "show", "vendor:nvidia", "--db", str(tiny_db)], catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_graph_export_with_an_unknown_basis_writes_no_file(run, tiny_db, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    res = run("graph", "export", "--format", fmt, "--basis", "no_such_basis", "--out", out, "--db", tiny_db, ok=False)
    assert res.exit_code == 1 and "no_such_basis" in res.output and not out.exists()
    run("graph", "export", "--format", fmt, "--out", out, "--db", tiny_db)
    assert out.stat().st_size > 500
