"""Timing benchmarks for marketgraph (not tests: numbers go to BENCHMARKS.md).

    python bench/run.py [--scale 20] [--repeat 3] > /tmp/bench.md

Measures, on the shipped data and on a synthetic dataset `--scale` times larger (chips, sources, citations
and events replicated with new ids, so every check, FK and analytics step has that much more to do):
build (load + validate + checks + cards + concentration), a named query, the concentration table, the
knowledge graph and its GraphML export, and the findings.
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import marketgraph as mg
from marketgraph.analytics import concentration
from marketgraph.findings import compute_findings
from marketgraph.graph import build_graph, export
from marketgraph.paths import shipped_data_dir


def timed(fn, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), min(runs)


def scaled_copy(src: Path, dest: Path, k: int) -> None:
    """data/ with chips, sources, citations, events and event links replicated k times under new ids."""
    shutil.copytree(src, dest)
    def rows(name):
        with open(src / name, newline="", encoding="utf-8") as f:
            r = csv.DictReader(f)
            return r.fieldnames, list(r)
    def write(name, header, data):
        with open(dest / name, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
            w.writeheader()
            w.writerows(data)
    ref = {"chips": ("chip_id", ["variant_of", "predecessor_id"]), "sources": ("source_id", []),
           "events": ("event_id", [])}
    for table, (key, self_refs) in ref.items():
        header, data = rows(f"{table}.csv")
        out = list(data)
        for i in range(1, k):
            for r in data:
                r2 = dict(r)
                r2[key] = f"{r[key]}-x{i}"
                for c in self_refs:
                    if r2.get(c):
                        r2[c] = f"{r2[c]}-x{i}"
                if table == "chips":
                    r2["name"] = f"{r['name']} x{i}"
                if table == "sources":
                    r2["url"] = f"{r['url']}#x{i}"
                out.append(r2)
        write(f"{table}.csv", header, out)
    for name, cols in (("citations.csv", {"subject_id", "source_id"}), ("event_entities.csv", {"event_id"})):
        header, data = rows(name)
        out = list(data)
        for i in range(1, k):
            for r in data:
                r2 = dict(r)
                for c in cols:
                    if name == "citations.csv" and c == "subject_id" and r["subject_table"] not in ("chips",
                                                                                                   "events"):
                        continue
                    r2[c] = f"{r[c]}-x{i}"
                if name == "event_entities.csv" and r["entity_kind"] == "chip":
                    r2["entity_id"] = f"{r['entity_id']}-x{i}"
                out.append(r2)
        write(name, header, out)


def bench(label: str, data: Path, work: Path, repeat: int) -> list[tuple[str, str, float, float]]:
    db = work / f"{label}.duckdb"
    out = []
    med, best = timed(lambda: mg.build(data, db), repeat)
    counts = mg.build_info(db)["row_counts"]
    out.append((label, f"build ({counts['chips']:,} chips, {counts['citations']:,} citations)", med, best))
    out.append((label, "named query chips_overview", *timed(
        lambda: mg.named_query("chips_overview", db=db, segment="training", vendor=None, deployment=None),
        repeat * 5)))
    out.append((label, "concentration table", *timed(lambda: concentration(db=db), repeat * 5)))
    g = build_graph(db)
    out.append((label, f"knowledge graph ({g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges)",
                *timed(lambda: build_graph(db), repeat)))
    out.append((label, "GraphML export", *timed(lambda: export(g, "graphml"), repeat)))
    out.append((label, "findings", *timed(lambda: compute_findings(db), repeat)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["MARKETGRAPH_DB"] = str(work / "default.duckdb")
        rows = bench("shipped", shipped_data_dir(), work, args.repeat)
        scaled = work / "scaled"
        scaled_copy(shipped_data_dir(), scaled, args.scale)
        rows += bench(f"x{args.scale}", scaled, work, args.repeat)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"duckdb {__import__('duckdb').__version__}, marketgraph {mg.__version__}\n")
    print("| data | operation | median s | best s |\n|---|---|---|---|")
    for label, op, med, best in rows:
        print(f"| {label} | {op} | {med:.3f} | {best:.3f} |")


if __name__ == "__main__":
    sys.exit(main())
