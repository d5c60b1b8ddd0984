"""Benchmarks, side by side in one run, written to BENCHMARKS.md (never part of the test suite).

    python bench/run.py                        # scales 1, 10, 100; about 15-25 minutes on 2 cores
    python bench/run.py --scales 1,10 --repeat 3 --out /tmp/BENCHMARKS.md

Everything a user would time is timed as a user would: each build, bare load, ingest and CLI start-up is its own
process, wall clock, median over ``--repeat`` runs, and the build and the bare DuckDB load of the same files are
alternated so both see the same machine state. Peak RSS is each process's ``ru_maxrss``. Cards/s is
``2,000 ÷ (time for 2,000 cards − time for 5)``, so interpreter start-up is not counted. In-process figures
(graph, exports, findings, the guarded executor) use one process and ``time.perf_counter``. The dashboard's
own scripts, bench/callbacks.py and bench/load.py, are run as subprocesses when present and their JSON is
carried into the report.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import duckdb  # noqa: E402

import synth  # noqa: E402
from marketgraph.store.schema import DATA_TABLES  # noqa: E402

PY = sys.executable
BARE_LOAD = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
for name, path in zip(sys.argv[2::2], sys.argv[3::2]):
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', all_varchar = true, header = true)")
con.close()
"""


# ---------------------------------------------------------------- measuring

def run_process(args: list[str], env: dict | None = None) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall seconds and peak RSS (bytes) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    # ru_maxrss of the children reaped so far is a high-water mark; wait4 gives this child's own
    rss = resource_of(proc)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} … failed ({proc.returncode}):\n{err[-2000:]}")
    return wall, rss, subprocess.CompletedProcess(args, proc.returncode, out, err)


_RSS: dict[int, int] = {}


def resource_of(proc: subprocess.Popen) -> int:
    return _RSS.get(proc.pid, 0)


class _Popen(subprocess.Popen):
    """Popen that reaps with wait4 so each child's own peak RSS is known."""

    def _try_wait(self, wait_flags):
        try:
            pid, status, usage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return self.pid, 0
        if pid:
            _RSS[pid] = usage.ru_maxrss * 1024
        return pid, status


subprocess.Popen = _Popen  # type: ignore[misc]


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return median(runs)


# ---------------------------------------------------------------- the measurements

def build_vs_bare(data: Path, work: Path, repeat: int) -> dict:
    db, bare = work / "build.duckdb", work / "bare.duckdb"
    args = []
    for t in DATA_TABLES:
        args += [t.name, str(data / t.csv)]
    builds, bares, rss = [], [], 0
    for _ in range(repeat):
        for p in (db, bare):
            p.unlink(missing_ok=True)
        w, r, _ = run_process([PY, "-m", "marketgraph", "build", "--data", str(data), "--db", str(db)])
        builds.append(w)
        rss = max(rss, r)
        w, _, _ = run_process([PY, "-c", BARE_LOAD, str(bare), *args])
        bares.append(w)
    rows = sum(sum(1 for _ in (data / t.csv).open(encoding="utf-8")) - 1 for t in DATA_TABLES)
    return {"build_s": median(builds), "bare_s": median(bares), "ratio": median(builds) / median(bares),
            "rss": rss, "rows": rows, "db": db}


def cards_rate(base_db: Path, work: Path, src: Path) -> dict:
    out = {}
    for n in (5, 2000):
        folder = work / f"cards-{n}"
        synth.write_cards(src, folder, n)
        runs = []
        for _ in range(2):
            db = work / f"ingest-{n}.duckdb"
            shutil.copyfile(base_db, db)
            w, r, _ = run_process([PY, "-m", "marketgraph", "ingest", str(folder / "cards"), "--db", str(db)])
            runs.append(w)
            out[f"rss_{n}"] = r
        out[n] = median(runs)
    out["cards_per_s"] = 2000 / (out[2000] - out[5]) if out[2000] > out[5] else float("inf")
    # Large cards: time linear in size, MB/s. Timed inside one process (median of 3 ingests each, every one on a
    # fresh copy of the database), less the same ingest of the smallest shipped card: the fixed cost (copying
    # the database, building the matcher) is then not counted, and process start-up noise (a second either way
    # on a busy machine, more than a 1 MB card takes) stays out of a subtraction of two small numbers.
    cards = {"small": min((src / "cards").glob("*.txt"), key=lambda f: f.stat().st_size)}
    for mb in (1, 4):
        folder = work / f"big-{mb}"
        folder.mkdir(exist_ok=True)
        (folder / "big.txt").write_text(synth.big_card(src, mb), encoding="utf-8")
        cards[mb] = folder / "big.txt"
    code = (
        "import json, shutil, statistics, sys, time\n"
        "from pathlib import Path\n"
        "from marketgraph.knowledge.ingest import ingest\n"
        "base, work, cards = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])\n"
        "out = {}\n"
        "for name, card in cards.items():\n"
        "    runs = []\n"
        "    for i in range(3):\n"
        "        db = work / f'big-inproc-{name}-{i}.duckdb'\n"
        "        shutil.copyfile(base, db)\n"
        "        t = time.perf_counter(); ingest([card], db); runs.append(time.perf_counter() - t)\n"
        "    out[name] = statistics.median(runs)\n"
        "print(json.dumps(out))\n")
    _, r, proc = run_process([PY, "-c", code, str(base_db), str(work), json.dumps({k: str(v) for k, v in cards.items()})])
    t = json.loads(proc.stdout)
    out["big_small_s"] = t["small"]
    for mb in (1, 4):
        out[f"big_{mb}_s"] = t[str(mb)] - t["small"]
        out[f"big_{mb}_mb"] = cards[mb].stat().st_size / 1e6
        out[f"big_{mb}_rss"] = r  # the one process's peak (all the ingests ran in it)
    return out


def in_process(db: Path) -> dict:
    from marketgraph.knowledge.export import write_graph
    from marketgraph.knowledge.graph import build_graph
    from marketgraph.market.findings import compute_findings
    from marketgraph.store.db import open_store

    out = {}
    with open_store(db) as store:
        out["graph_s"] = timed(lambda: build_graph(store), 3)
        g = build_graph(store)
        out["nodes"], out["edges"] = g.number_of_nodes(), g.number_of_edges()
        for fmt in ("graphml", "gexf", "json", "cytoscape"):
            buf = io.StringIO()
            out[f"export_{fmt}_s"] = timed(lambda: write_graph(g, fmt, io.StringIO()), 3)
            write_graph(g, fmt, buf)
            out[f"export_{fmt}_mb"] = len(buf.getvalue().encode()) / 1e6
        out["findings_s"] = timed(lambda: compute_findings(store), 3)
    return out


def export_processes(db: Path, work: Path) -> dict:
    """`marketgraph graph export` per format as its own process: wall time and peak RSS (the issue's goal is
    about memory: streamed, ≤ 500 MB)."""
    out = {}
    for fmt in ("graphml", "gexf"):
        try:
            w, r, _ = run_process([PY, "-m", "marketgraph", "graph", "export", "--format", fmt,
                                   "--out", str(work / f"graph.{fmt}"), "--db", str(db)])
            out[fmt] = {"s": w, "rss": r, "mb": (work / f"graph.{fmt}").stat().st_size / 1e6}
        except RuntimeError as e:
            out[fmt] = {"error": str(e)[:200]}
    return out


def in_child(db: Path) -> dict:
    """in_process() in a child process: Linux keeps a forked child's ru_maxrss across exec, so a bench process
    grown by graphs at 100× would inflate the peak RSS of every process started after it."""
    _, _, proc = run_process([PY, str(Path(__file__).resolve()), "--inproc", str(db)])
    return json.loads(proc.stdout)


def connect_cost(db: Path) -> dict:
    from marketgraph.store.db import INSTANCE_CONFIG, connect

    def plain():
        con = duckdb.connect(str(db), read_only=True, config={**INSTANCE_CONFIG, "enable_external_access": False})
        con.execute("SELECT count(*) FROM chips").fetchall()
        con.close()

    def attach():
        con = connect(db)
        con.execute("SELECT count(*) FROM chips").fetchall()
        con.close()

    return {"plain_ms": timed(plain, 21) * 1000, "attach_ms": timed(attach, 21) * 1000}


HOSTILE = [
    ("regexp_replace over a 1e9-character string", "SELECT regexp_replace(repeat('x', 1000000000), 'x', 'yy')"),
    ("length(repeat('x', 2e9))", "SELECT length(repeat('x', 2000000000))"),
    ("list_sort of 2e8 values", "SELECT list_sort(list(random())) FROM range(200000000)"),
    ("2,000 rows x 1 MB", "SELECT repeat('x', 1000000) FROM range(2000)"),
    ("20,000-way UNION ALL", " UNION ALL ".join(["SELECT 1"] * 20000)),
    ("2,000-way UNION ALL", " UNION ALL ".join(["SELECT 1 AS x"] * 2000)),
    ("count over range(1e11)", "SELECT count(*) FROM range(100000000000)"),
    ("data-modifying CTE", "WITH x AS (DELETE FROM chips RETURNING *) SELECT * FROM x"),
]


def guard_figures(db: Path) -> list[tuple[str, str, float]]:
    from marketgraph.errors import UnsafeQuery
    from marketgraph.store.guard import run_untrusted_sql

    out = []
    for label, sql in HOSTILE:
        start = time.monotonic()
        try:
            r = run_untrusted_sql(sql, db=db, timeout_s=5.0)
            what = f"answered{'; ' + r.note if r.note else ''}"
        except UnsafeQuery as e:
            what = type(e).__name__
        out.append((label, what, time.monotonic() - start))
    small = timed(lambda: run_untrusted_sql("SELECT count(*) FROM chips", db=db), 11)
    out.append(("a small SELECT (fork + connect + answer)", "answered", small))
    return out


def cli_startup() -> dict:
    helps = [run_process([PY, "-m", "marketgraph", "--help"])[0] for _ in range(5)]
    # the console script of the interpreter running this (a venv's bin/ need not be on PATH), else PATH's
    here = Path(sys.executable).parent / "marketgraph"
    script = str(here) if here.is_file() else shutil.which("marketgraph")
    entry = [run_process([script, "--help"])[0] for _ in range(5)] if script else []
    return {"help_module_s": median(helps), "help_s": median(entry) if entry else None}


def sql_startup(db: Path) -> float:
    return median([run_process([PY, "-m", "marketgraph", "sql", "select 1", "--db", str(db)])[0] for _ in range(5)])


def dashboard_scripts(db: Path, data: Path, work: Path, big_db: Path | None = None) -> dict:
    """bench/callbacks.py, then bench/load.py with one and two server processes, then during three rebuilds
    (on a copy of the database, rebuilt from ``data``), each as its own process printing JSON; then the callbacks
    and the one-process load on ``big_db`` (the largest scale)."""
    env = {**os.environ, "MARKETGRAPH_DB": str(db)}
    live = work / "live.duckdb"
    shutil.copyfile(db, live)
    runs = {"callbacks": ["callbacks.py", "--db", str(db)],
            "load": ["load.py", "--db", str(db)],
            "load_2_workers": ["load.py", "--db", str(db), "--workers", "2"],
            "load_rebuilds": ["load.py", "--db", str(live), "--rebuilds", "3", "--requests", "10",
                              "--data", str(data)]}
    if big_db is not None:
        runs["callbacks_big"] = ["callbacks.py", "--db", str(big_db), "--repeat", "20"]
        runs["load_big"] = ["load.py", "--db", str(big_db)]
    out = {}
    for name, args in runs.items():
        try:
            _, _, proc = run_process([PY, str(REPO / "bench" / args[0]), *args[1:]], env=env)
            out[name] = json.loads(proc.stdout)
        except (RuntimeError, json.JSONDecodeError) as e:
            out[name] = {"error": str(e)[:300]}
    return out


def dashboard_goal_rows(d: dict) -> list[str]:
    rows = []
    for name, label, goal in (("callbacks", "shipped data", 100), ("callbacks_big", f"{d.get('big_scale', 100)}×", 250)):
        cb = d.get(name) or {}
        if "callbacks" in cb:
            over = [k for k, v in cb["callbacks"].items() if v["p95_ms"] > goal]
            rows.append(f"| dashboard callbacks, {label} | worst p95 {cb['worst_p95_ms']:.0f} ms; "
                        f"{len(cb['callbacks']) - len(over)} of {len(cb['callbacks'])} callbacks ≤ {goal} ms"
                        + (f" (over: {', '.join(over)})" if over else "") + f" | p95 ≤ {goal} ms each | "
                        f"{verdict(not over)} |")
    for name, label, goal in (("load", "shipped data, 1 process", 250),
                              ("load_2_workers", "shipped data, 2 processes (`--workers 2`)", 250),
                              ("load_big", f"{d.get('big_scale', 100)}×, 1 process", 1000)):
        ld = d.get(name) or {}
        if "p95_ms" in ld:
            rows.append(f"| 20 concurrent clients, {label} | p95 {ld['p95_ms']:,.0f} ms, "
                        f"{ld['errors']} errors of {ld['requests']}, {ld['requests_per_s']:.0f} requests/s, server "
                        f"RSS peak {ld['server_rss_peak_mb']} MB | p95 ≤ {goal:,} ms | "
                        f"{verdict(ld['p95_ms'] <= goal)} |")
    lr = d.get("load_rebuilds") or {}
    if "errors" in lr:
        rows.append(f"| 20 clients during 3 rebuilds (issue 13) | {lr['errors']} errors of {lr['requests']} "
                    f"requests; {lr['build_checks']} build checks saw {lr['builds_seen_by_clients']} builds, all real "
                    f"| 0 errors | {verdict(lr['errors'] == 0)} |")
    return rows


def dashboard_section(d: dict) -> list[str]:
    lines = ["## Dashboard (bench/callbacks.py, bench/load.py)", ""]
    cb = d.get("callbacks") or {}
    big = d.get("callbacks_big") or {}
    if "callbacks" in cb:
        lines += ["### Every callback, in-process through the real `/_dash-update-component` endpoint", "",
                  f"{cb['repeat']} requests each on the shipped data"
                  + (f", {big['repeat']} at {d.get('big_scale', 100)}×" if "callbacks" in big else "")
                  + ", inputs varied between requests.", ""]
        if "callbacks" in big:
            lines += ["| callback | p50 ms | p95 ms | max ms | response bytes (median) | "
                      f"{d.get('big_scale', 100)}× p50 ms | p95 ms | bytes |", "|---|---|---|---|---|---|---|---|"]
            lines += [f"| {k} | {v['p50_ms']:.1f} | {v['p95_ms']:.1f} | {v['max_ms']:.1f} | {v['bytes_median']:,} | "
                      + (" | ".join((f"{w['p50_ms']:.1f}", f"{w['p95_ms']:.1f}", f"{w['bytes_median']:,}"))
                         if (w := big["callbacks"].get(k)) else " | | ") + " |"
                      for k, v in cb["callbacks"].items()]
        else:
            lines += ["| callback | p50 ms | p95 ms | max ms | response bytes (median) |", "|---|---|---|---|---|"]
            lines += [f"| {k} | {v['p50_ms']:.1f} | {v['p95_ms']:.1f} | {v['max_ms']:.1f} | {v['bytes_median']:,} |"
                      for k, v in cb["callbacks"].items()]
        lines.append("")
    else:
        lines += [f"- callbacks: {cb.get('error', 'not run')}", ""]
    lines += ["### Twenty clients at once (waitress in its own process, loopback HTTP, no think time)", "",
              "| run | requests | errors | p50 ms | p95 ms | p99 ms | requests/s | server RSS idle → peak |",
              "|---|---|---|---|---|---|---|---|"]
    for name in ("load", "load_2_workers", "load_rebuilds", "load_big"):
        ld = d.get(name) or {}
        if "p95_ms" not in ld:
            lines.append(f"| {name} | {ld.get('error', 'not run')} | | | | | | |")
            continue
        label = {"load": "1 process", "load_2_workers": "`--workers 2`",
                 "load_rebuilds": "1 process, 3 rebuilds during the run",
                 "load_big": f"{d.get('big_scale', 100)}×, 1 process"}[name]
        lines.append(f"| {label} | {ld['requests']} | {ld['errors']} | {ld['p50_ms']:,.0f} | {ld['p95_ms']:,.0f} | "
                     f"{ld['p99_ms']:,.0f} | {ld['requests_per_s']:.1f} | {ld['server_rss_idle_mb']} → "
                     f"{ld['server_rss_peak_mb']} MB |")
    lines += ["", "Twenty closed-loop clients with no think time queue behind one another once the server is "
              "saturated, so p50 is roughly 20 ÷ requests/s: the p95 goal needs more requests per second (more "
              "processes, cheaper callbacks), not a faster single request. During rebuilds the builds share the "
              "two cores with the server, so that row's latencies are not comparable with the others; its point is "
              "the error count and that every build check was answered by a build that existed.", ""]
    return lines


def report_formats(db: Path, work: Path) -> dict:
    from marketgraph.cli import COMMANDS

    if "report" not in COMMANDS:
        return {}
    from marketgraph.present.formats import FORMATS

    out = {}
    for name in FORMATS:
        target = work / f"report.{name}"
        try:
            w, r, _ = run_process([PY, "-m", "marketgraph", "report", "--format", name, "--out", str(target),
                                   "--db", str(db)])
            out[name] = (w, r)
        except RuntimeError:
            continue
    return out


# ---------------------------------------------------------------- the report

def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**not met**")


def write_report(path: Path, args, m: dict) -> None:
    b = m["build"]
    top = max(b)
    c = m["cards"]
    lines = [
        "# Benchmarks",
        "",
        f"Regenerated by `python bench/run.py {' '.join(args.argv)}` on {m['date']}.",
        f"Machine: {m['machine']}.",
        "",
        "Each process-level figure is the median wall time of separate processes (build and the bare DuckDB load",
        "of the same files alternated), as `marketgraph` is used; peak RSS is the process's `ru_maxrss`.",
        "",
        "## Goals (issue 14)",
        "",
        "| work | measured | goal | |",
        "|---|---|---|---|",
    ]
    ratio = b[top]["ratio"]
    lines.append(f"| build ÷ bare DuckDB `read_csv` at {top}× | {ratio:.1f}× ({b[top]['build_s']:.2f} s vs "
                 f"{b[top]['bare_s']:.2f} s) | ≤ 2.0× at 100× | {verdict(ratio <= 2.0 if top >= 100 else None)} |")
    scales = sorted(b)
    if len(scales) >= 2:
        lo, hi = scales[0], scales[-1]
        per_k = (b[hi]["build_s"] - b[lo]["build_s"]) / (hi - lo)
        growth = b[hi]["build_s"] / b[scales[-2]]["build_s"] if len(scales) >= 2 else 0
        expected = hi / scales[-2]
        curve = " · ".join(f"{k}×: {b[k]['build_s']:.2f} s" for k in scales)
        lines.append(f"| build growth | {curve}; "
                     f"×{growth:.1f} for ×{expected:g} the rows; ≈ {per_k:.3f} s per 1× of data "
                     f"(1000× ≈ {b[lo]['build_s'] + per_k * (1000 - lo):.0f} s by that slope) | linear, 1000× in "
                     f"minutes | {verdict(growth <= expected * 1.25)} |")
    lines.append(f"| `marketgraph ingest` of 2,000 cards | {c['cards_per_s']:,.0f} cards/s (2,000 cards "
                 f"{c[2000]:.2f} s, 5 cards {c[5]:.2f} s) | ≥ 2,000 cards/s | {verdict(c['cards_per_s'] >= 2000)} |")
    mbs = {mb: c[f"big_{mb}_mb"] / c[f"big_{mb}_s"] for mb in (1, 4) if c[f"big_{mb}_s"] > 0}
    measured = len(mbs) == 2
    lin = (c["big_4_s"] / c["big_1_s"]) / (c["big_4_mb"] / c["big_1_mb"]) if measured else None
    rates = " · ".join(f"{c['big_%d_mb' % mb]:.1f} MB: {v:.2f} MB/s" for mb, v in mbs.items())
    lines.append(f"| large card ingest (issue 13; in one process, less a small card's ingest) | {rates}"
                 + (f"; time ratio ÷ size ratio {lin:.2f}" if measured else "; a size below the noise")
                 + f" | ≥ 1 MB/s, linear (ratio ≤ 1.3) | "
                 f"{verdict(min(mbs.values()) >= 1 and lin <= 1.3 if measured else None)} |")
    s = m["startup"]
    if s.get("help_s") is None:  # no console script found: the module form is what was measured
        s["help_s"] = s["help_module_s"]
    lines.append(f"| `marketgraph --help` | {s['help_s'] * 1000:.0f} ms (console script; "
                 f"`python -m marketgraph --help` {s['help_module_s'] * 1000:.0f} ms) | ≤ 150 ms | "
                 f"{verdict(s['help_s'] <= 0.150)} |")
    ex = m.get("exports") or {}
    if all("rss" in ex.get(f, {}) for f in ("graphml", "gexf")):
        worst = max(ex[f]["rss"] for f in ("graphml", "gexf")) / 1e6
        lines.append(f"| GraphML / GEXF export at {top}× (`marketgraph graph export`, a process each) | "
                     f"{ex['graphml']['s']:.1f} s, peak RSS {ex['graphml']['rss'] / 1e6:,.0f} MB / "
                     f"{ex['gexf']['s']:.1f} s, {ex['gexf']['rss'] / 1e6:,.0f} MB (files {ex['graphml']['mb']:,.0f} / "
                     f"{ex['gexf']['mb']:,.0f} MB) | streamed, ≤ 500 MB | {verdict(worst <= 500)} |")
    else:
        g = m["inproc"][top]
        lines.append(f"| GraphML / GEXF export at {top}× | {g['export_graphml_s']:.2f} s / "
                     f"{g['export_gexf_s']:.2f} s (in-process) | streamed, ≤ 500 MB | n/a (not run as processes) |")
    d = m["dashboard"]
    lines += dashboard_goal_rows(d)
    lines += ["", "## Build against a bare DuckDB load", "",
              "| scale | CSV rows | build s | bare load s | ratio | build peak RSS |", "|---|---|---|---|---|---|"]
    for k in scales:
        lines.append(f"| {k}× | {b[k]['rows']:,} | {b[k]['build_s']:.2f} | {b[k]['bare_s']:.2f} | "
                     f"{b[k]['ratio']:.1f}× | {b[k]['rss'] / 1e6:.0f} MB |")
    lines += ["", "## Cards", "",
              f"- 5 cards: {c[5]:.2f} s; 2,000 cards: {c[2000]:.2f} s (peak RSS {c['rss_2000'] / 1e6:.0f} MB) → "
              f"{c['cards_per_s']:,.0f} cards/s by issue 14's formula 2,000 ÷ (t2000 − t5).",
              *(f"- one {c['big_%d_mb' % mb]:.1f} MB card: {c['big_%d_s' % mb]:.2f} s beyond the ingest of the "
                f"smallest shipped card ({c.get('big_small_s', 0):.2f} s) in the same process, median of 3 "
                f"({c['big_%d_mb' % mb] / c['big_%d_s' % mb]:.2f} MB/s, peak RSS {c['big_%d_rss' % mb] / 1e6:.0f} MB)"
                for mb in (1, 4) if c["big_%d_s" % mb] > 0)]
    lines += ["", "## Graph, exports, findings (in-process)", "",
              "| scale | nodes | edges | graph build s | GraphML s | GEXF s | JSON s | Cytoscape s | findings s |",
              "|---|---|---|---|---|---|---|---|---|"]
    for k, g in sorted(m["inproc"].items()):
        lines.append(f"| {k}× | {g['nodes']:,} | {g['edges']:,} | {g['graph_s']:.3f} | {g['export_graphml_s']:.3f} | "
                     f"{g['export_gexf_s']:.3f} | {g['export_json_s']:.3f} | {g['export_cytoscape_s']:.3f} | "
                     f"{g['findings_s']:.3f} |")
    if m["reports"]:
        lines += ["", "## Report formats", "", "| format | s | peak RSS |", "|---|---|---|"]
        lines += [f"| {k} | {w:.2f} | {r / 1e6:.0f} MB |" for k, (w, r) in m["reports"].items()]
    else:
        lines += ["", "## Report formats", "", "No `report` command in this branch: nothing to time."]
    lines += ["", "## Start-up", "",
              f"- `marketgraph --help`: {s['help_s'] * 1000:.0f} ms (median of 5)",
              f"- `marketgraph sql \"select 1\"`: {m['sql_startup'] * 1000:.0f} ms (median of 5; includes the "
              "guarded worker's fork and connection)"]
    cc = m["connect"]
    lines += ["", "## Readers see a rebuild at once: the cost", "",
              f"A reader opens a fresh in-memory DuckDB and ATTACHes the file read-only (so it never gets the "
              f"replaced file from DuckDB's instance cache): {cc['attach_ms']:.1f} ms per connection and query, "
              f"against {cc['plain_ms']:.1f} ms for a plain `duckdb.connect(path, read_only=True)` (median of 21)."]
    lines += ["", "## The guarded executor against the hostile statements (5 s limit)", "",
              "| statement | outcome | seconds from submission |", "|---|---|---|"]
    lines += [f"| {label} | {what} | {sec:.2f} |" for label, what, sec in m["guard"]]
    lines += [""] + dashboard_section(d)
    if m.get("notes"):
        lines += ["", "## Profiles and what remains", "", *m["notes"]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


NOTES = REPO / "bench" / "notes.md"


def _int_keys(m: dict) -> dict:
    """JSON turned the scale and card-count keys into text: back to ints for write_report."""
    for k in ("build", "inproc"):
        m[k] = {int(x): v for x, v in m[k].items()}
    m["cards"] = {(int(x) if x.isdigit() else x): v for x, v in m["cards"].items()}
    return m


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="1,10,100")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--repeat-largest", type=int, default=2, help="repeats at the largest scale")
    ap.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    ap.add_argument("--inproc", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--raw", type=Path, default=None,
                    help="where the measurements go as JSON (default: --out with .json)")
    ap.add_argument("--render", type=Path, default=None, metavar="JSON",
                    help="write the report from a run's saved measurements instead of measuring")
    args = ap.parse_args()
    if args.inproc:
        print(json.dumps(in_process(args.inproc)))
        return 0
    if args.render:
        m = json.loads(args.render.read_text(encoding="utf-8"))
        m["notes"] = NOTES.read_text(encoding="utf-8").splitlines() if NOTES.is_file() else []
        args.argv = m.get("argv", [])
        write_report(args.out, args, _int_keys(m))
        print(f"wrote {args.out}", file=sys.stderr)
        return 0
    args.argv = sys.argv[1:]
    scales = [int(s) for s in args.scales.split(",")]
    m: dict = {"date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "argv": args.argv,
               "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
                          f"{platform.release()}, Python {platform.python_version()}, duckdb {duckdb.__version__}",
               "build": {}, "inproc": {}}
    src = synth.shipped_data_dir()
    with tempfile.TemporaryDirectory(prefix="mg-bench-") as tmp:
        work = Path(tmp)
        os.environ["MARKETGRAPH_DB"] = str(work / "default.duckdb")
        for k in scales:
            data = work / f"data-{k}"
            synth.write_tables(src, data, k)
            synth.write_cards(src, data, k * len(list((src / "cards").glob("*.txt"))))
            kw = work / f"w-{k}"
            kw.mkdir()
            rep = args.repeat_largest if k == max(scales) and k > 1 else args.repeat
            m["build"][k] = build_vs_bare(data, kw, rep)
            print(f"{k}x: build {m['build'][k]['build_s']:.2f} s, bare {m['build'][k]['bare_s']:.2f} s",
                  file=sys.stderr, flush=True)
            if k in (1, 10, max(scales)):
                m["inproc"][k] = in_child(m["build"][k]["db"])
        shipped_db = m["build"][min(scales)]["db"]
        m["cards"] = cards_rate(shipped_db, work, src)
        print(f"cards/s {m['cards']['cards_per_s']:.0f}", file=sys.stderr, flush=True)
        m["startup"] = cli_startup()
        m["sql_startup"] = sql_startup(shipped_db)
        m["connect"] = connect_cost(shipped_db)
        m["guard"] = guard_figures(shipped_db)
        m["reports"] = report_formats(shipped_db, work)
        big_db = m["build"][max(scales)]["db"] if max(scales) > min(scales) else None
        m["exports"] = export_processes(m["build"][max(scales)]["db"], work)
        m["dashboard"] = dashboard_scripts(shipped_db, work / f"data-{min(scales)}", work, big_db)
        m["dashboard"]["big_scale"] = max(scales)
        m["notes"] = NOTES.read_text(encoding="utf-8").splitlines() if NOTES.is_file() else []
    # The measurements first, so a report that fails to render never costs the half hour they took.
    raw = args.out.with_suffix(".json") if args.raw is None else args.raw
    raw.write_text(json.dumps(m, default=str, indent=1), encoding="utf-8")
    print(f"wrote {raw}", file=sys.stderr)
    write_report(args.out, args, m)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
