"""Builds are atomic: a failed or killed build leaves the previous database byte-identical."""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

import marketgraph as mg
from marketgraph.errors import DatabaseMissing, DataErrors
from marketgraph.store.build import BuildStep, is_stale
from marketgraph.store.db import open_store
from conftest import append_line


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_loads_rows_and_build_info(tiny_data, tmp_path):
    report = mg.build(tiny_data, tmp_path / "x.duckdb")
    assert report.row_counts["chips"] == 2 and report.row_counts["build_info"] == 1
    con = duckdb.connect(str(report.db_path), read_only=True)
    digest, version = con.execute("SELECT data_digest, package_version FROM build_info").fetchone()
    assert digest == report.digest and len(digest) == 64 and version == mg.__version__
    row = con.execute("SELECT announced_precision, year, available FROM chips WHERE chip_id='google-tpu-v4'")\
        .fetchone()
    assert row == ("month", 2021, None)  # empty cell -> NULL, never NaN


def test_failed_build_leaves_db_byte_identical(tiny_data, tiny_db):
    before = sha(tiny_db)
    append_line(tiny_data / "chips.csv", "garbage,row,with,too,few,fields")
    with pytest.raises(DataErrors):
        mg.build(tiny_data, tiny_db)
    assert sha(tiny_db) == before
    assert [p.name for p in tiny_db.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_build_crashing_midway_leaves_db_byte_identical(tiny_data, tiny_db, monkeypatch):
    before = sha(tiny_db)

    def boom(store, ds):
        store.con.execute("DELETE FROM chips")  # half-done work in the temporary file
        raise RuntimeError("killed")

    monkeypatch.setattr("marketgraph.pipeline.build_steps", lambda: [BuildStep("boom", boom)])
    with pytest.raises(RuntimeError):
        mg.build(tiny_data, tiny_db)
    assert sha(tiny_db) == before
    assert not any(p.name.endswith((".tmp", ".wal")) for p in tiny_db.parent.iterdir())


def test_open_reader_keeps_old_data_new_connection_sees_new(tiny_data, tiny_db):
    reader = duckdb.connect(str(tiny_db), read_only=True)
    assert reader.execute("SELECT count(*) FROM segments").fetchone()[0] == 3
    p = tiny_data / "segments.csv"
    append_line(p, "edge,Edge,On-device inference segment used only by this test.")
    mg.build(tiny_data, tiny_db)
    assert reader.execute("SELECT count(*) FROM segments").fetchone()[0] == 3
    reader.close()
    fresh = duckdb.connect(str(tiny_db), read_only=True)
    assert fresh.execute("SELECT count(*) FROM segments").fetchone()[0] == 4


def test_default_db_is_built_on_first_use_and_says_so(tmp_path, monkeypatch, capsys):
    target = tmp_path / "first-use" / "mg.duckdb"
    monkeypatch.setenv("MARKETGRAPH_DB", str(target))
    assert not target.exists()
    path = mg.ensure_db()
    assert "building the default database from the shipped data" in capsys.readouterr().err
    df = mg.query("SELECT count(*) AS n FROM chips")
    assert path == target and target.is_file() and df.n[0] > 0
    with open_store(target) as store:
        assert not is_stale(store)
    mg.ensure_db()
    assert capsys.readouterr().err == ""  # built once


def test_reading_never_creates_a_database(tmp_path, monkeypatch):
    """Only ensure_db builds: opening a Store on a missing file (the default one included) is an error."""
    target = tmp_path / "default" / "mg.duckdb"
    monkeypatch.setenv("MARKETGRAPH_DB", str(target))
    for path in (target, tmp_path / "nope.duckdb"):
        with pytest.raises(DatabaseMissing, match="marketgraph build --db"):
            open_store(path)
        assert not path.exists() and not path.parent.joinpath(f".{path.name}.wal").exists()


def test_explicit_missing_db_is_an_error_not_a_build(tmp_path):
    with pytest.raises(DatabaseMissing, match="marketgraph build --db"):
        mg.query("SELECT 1", db=tmp_path / "nope.duckdb")
    assert not (tmp_path / "nope.duckdb").exists()


def test_stale_detection(tiny_data, tiny_db):
    with open_store(tiny_db) as store:
        assert not is_stale(store, tiny_data)
        append_line(tiny_data / "segments.csv", "edge,Edge,On-device inference segment used only by this test.")
        assert is_stale(store, tiny_data)


def test_shipped_data_dir_is_complete():
    from marketgraph.paths import shipped_data_dir
    from marketgraph.store.schema import DATA_TABLES

    d = shipped_data_dir()
    for t in DATA_TABLES:
        assert (d / t.csv).is_file(), f"{t.csv} missing from {d}"
    assert list((d / "cards").glob("*.txt")), "no knowledge cards shipped"


def test_sigkilled_build_leaves_db_byte_identical_and_stale_temp_is_cleaned(tiny_data, tiny_db):
    """A real kill -9 in the middle of a build (not an exception): the old file is untouched."""
    import os
    import signal
    import subprocess
    import sys
    import textwrap
    import time

    before = sha(tiny_db)
    code = textwrap.dedent(f"""
        import time, marketgraph.pipeline as pipeline
        from marketgraph.store.build import BuildStep
        def stall(store, ds):
            store.con.execute("DELETE FROM chips")
            print("writing", flush=True)
            time.sleep(60)
        shipped = pipeline.build_steps
        pipeline.build_steps = lambda: [BuildStep("stall", stall), *shipped()]
        pipeline.build({str(tiny_data)!r}, {str(tiny_db)!r})
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert sha(tiny_db) == before
    leftovers = [p for p in tiny_db.parent.iterdir() if p.name.startswith(f".{tiny_db.name}.")]
    assert leftovers, "the killed build should have left its temporary file behind"
    old = time.time() - 7 * 3600
    for p in leftovers:
        os.utime(p, (old, old))
    mg.build(tiny_data, tiny_db)  # the next build removes what the killed one left
    assert not [p for p in tiny_db.parent.iterdir() if p.name.startswith(f".{tiny_db.name}.")]


def test_unwritable_target_is_a_clean_cli_error(tiny_data, tmp_path):
    from click.testing import CliRunner

    from marketgraph.cli import main

    blocker = tmp_path / "afile"
    blocker.write_text("a file where a folder should be")
    res = CliRunner().invoke(main, ["build", "--data", str(tiny_data), "--db", str(blocker / "mg.duckdb")])
    assert res.exit_code == 1 and "Traceback" not in res.output and "afile" in res.output, res.output


def test_a_rebuild_is_seen_at_once_while_an_old_reader_stays_open(tiny_data, tiny_db):
    """DuckDB's instance cache would hand a new connection the replaced file while any connection is open;
    store.db.connect opens the file as it is now, and old connections finish on the old file."""
    from marketgraph.store.db import connect, file_identity

    old = connect(tiny_db)
    before = file_identity(tiny_db)
    assert old.execute("SELECT count(*) FROM segments").fetchall() == [(3,)]
    append_line(tiny_data / "segments.csv", "edge,Edge,On-device inference segment used only by this test.")
    mg.build(tiny_data, tiny_db)
    new = connect(tiny_db)
    assert new.execute("SELECT count(*) FROM segments").fetchall() == [(4,)]
    assert old.execute("SELECT count(*) FROM segments").fetchall() == [(3,)]
    assert file_identity(tiny_db) != before and len(before) == 4
    old.close()
    new.close()


def test_reader_connection_cannot_turn_access_back_on(tiny_db, tmp_path):
    from marketgraph.store.db import connect

    con = connect(tiny_db)
    for stmt in ("SET enable_external_access = true", f"ATTACH '{tmp_path / 'x.duckdb'}' AS x",
                 "DETACH marketgraph", "DELETE FROM chips"):
        with pytest.raises(duckdb.Error):
            con.execute(stmt)
    con.close()


KILL_DELAYS = (0.0, 0.01, 0.02, 0.04, 0.07, 0.1, 0.15, 0.25, 0.4, 0.6)


def _kill_at(code: str, delay: float) -> None:
    """Start ``code`` in a fresh interpreter, wait until it says it is about to write, then SIGKILL it after
    ``delay`` seconds (somewhere inside the work: copying, parsing, inserting, checkpointing, replacing)."""
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "go"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()


def _leftovers(db):
    return [p for p in db.parent.iterdir() if p.name.startswith(f".{db.name}.")]


@pytest.mark.parametrize("delay", KILL_DELAYS)
def test_sigkill_during_ingest_leaves_the_old_or_the_whole_new_database(delay, tiny_db):
    from conftest import REPO

    seed = REPO / "data" / "cards" / "training-vs-inference.txt"
    before = sha(tiny_db)
    _kill_at(f"from marketgraph.knowledge.ingest import ingest\nprint('go', flush=True)\n"
             f"ingest([{str(seed)!r}], __import__('pathlib').Path({str(tiny_db)!r}))", delay)
    if sha(tiny_db) != before:  # the kill came after the atomic replace: the new file is whole
        con = duckdb.connect(str(tiny_db), read_only=True)
        assert con.execute("SELECT count(*) FROM topic_attributes").fetchall() == [(17,)]
        con.close()
    # the next writer removes what the dead one left at once (its lock names a dead pid), and works
    from marketgraph.knowledge.ingest import ingest

    ingest([seed], tiny_db)
    assert _leftovers(tiny_db) == []


@pytest.mark.parametrize("delay", (0.05, 0.3, 0.8, 1.3))
def test_sigkill_during_build_leaves_the_old_database_and_no_leftovers_after_the_next(delay, tiny_data, tiny_db):
    before = sha(tiny_db)
    _kill_at(f"import marketgraph.pipeline as p\nprint('go', flush=True)\n"
             f"p.build({str(tiny_data)!r}, {str(tiny_db)!r})", delay)
    if sha(tiny_db) != before:
        con = duckdb.connect(str(tiny_db), read_only=True)
        assert con.execute("SELECT count(*) FROM build_info").fetchall() == [(1,)]
        con.close()
    mg.build(tiny_data, tiny_db)
    assert _leftovers(tiny_db) == []


def test_a_live_builds_temporary_file_is_never_removed(tiny_data, tiny_db):
    import os

    live = tiny_db.parent / f".{tiny_db.name}.{os.getpid()}-live1234.tmp"  # this process: alive
    live.write_bytes(b"in progress")
    mg.build(tiny_data, tiny_db)
    assert live.exists()


def test_a_dead_writers_temporary_files_go_at_once_and_nameless_ones_by_age(tiny_data, tiny_db):
    import os
    import subprocess
    import sys
    import time

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid is now dead (reuse within this test is vanishingly unlikely)
    dead = tiny_db.parent / f".{tiny_db.name}.{gone.pid}-abc.tmp"
    for p in (dead, Path(str(dead) + ".wal")):
        p.write_bytes(b"partial")
    fresh_legacy = tiny_db.parent / f".{tiny_db.name}.legacy1.tmp"
    old_legacy = tiny_db.parent / f".{tiny_db.name}.legacy2.tmp"
    fresh_legacy.write_bytes(b"?")
    old_legacy.write_bytes(b"?")
    seven_hours_ago = time.time() - 7 * 3600
    os.utime(old_legacy, (seven_hours_ago, seven_hours_ago))
    mg.build(tiny_data, tiny_db)
    assert not dead.exists() and not Path(str(dead) + ".wal").exists()
    assert fresh_legacy.exists() and not old_legacy.exists()
