"""Server-side time and response size of every dashboard callback, through the real callback endpoint.

    python bench/callbacks.py [--db PATH] [--repeat 30] [--warmup 2]

The app is created in-process and each callback is posted to ``/_dash-update-component`` exactly as the
browser posts it (Flask's test client: no network, no browser), with inputs that vary between requests, so
caches keyed by the view do not flatter the figures. Prints one JSON object: per callback p50/p95/max in ms
and the response size in bytes, plus the machine. The goals (issue 14): p95 ≤ 100 ms on the shipped data,
≤ 250 ms at 100×. bench/run.py runs this and puts the figures in BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from dashboards import ids
from dashboards.app import create_app


def dependencies(client) -> dict[str, dict]:
    """The app's callbacks keyed by their output string (as /_dash-dependencies lists them)."""
    return {d["output"]: d for d in client.get("/_dash-dependencies").get_json()}


def payload(dep: dict, inputs: list, states: list | None = None) -> dict:
    """The body the browser posts for one callback: its outputs, and each input and state with a value."""
    outs = [{"id": o.split(".")[0], "property": o.split(".")[1]}
            for o in dep["output"].strip(".").split("...")] if dep["output"].startswith("..") else None
    if outs is None:
        i, p = dep["output"].rsplit(".", 1)
        outs = {"id": i, "property": p}
    return {"output": dep["output"], "outputs": outs,
            "inputs": [{"id": d["id"], "property": d["property"], "value": v} for d, v in zip(dep["inputs"], inputs)],
            "state": [{"id": d["id"], "property": d["property"], "value": v}
                      for d, v in zip(dep.get("state", []), states or [])],
            "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"]}


def find(deps: dict[str, dict], first_output: str) -> dict:
    for key, d in deps.items():
        if key.strip(".").split("...")[0] == first_output or key == first_output:
            return d
    raise KeyError(first_output)


def cases(deps: dict[str, dict]):
    """(name, dependency, [(inputs, states), …]): what a user does on each page, with varying inputs."""
    route = find(deps, f"{ids.PAGE}.children")
    pages = ["/", "/market", "/chips", "/timeline", "/graph", "/sql", "/vendors/nvidia", "/vendors/amd",
             "/chips/nvidia-h100-sxm5-80gb", "/chips/google-tpu-v4"]
    yield from ((f"route {p}", route, [([p, ""], [])]) for p in pages)
    market = find(deps, f"{ids.MARKET_YEAR_A}.options")
    yield "market update", market, [([b, seg, a, None], []) for b, seg, a in itertools.product(
        ["shipped_compute", "shipped_units", "products_announced_3y"], ["training", "inference"],
        [2016, 2023, 2024, 2025])]
    alloc = find(deps, f"{ids.ALLOC_RESULT}.children")
    yield "market allocation", alloc, [([y, p, b], []) for y, p, b in itertools.product(
        [2023, 2024, 2025], [10, 40, 75], ["shipped_compute", "shipped_h100e"])]
    whatif = find(deps, f"{ids.WHATIF_RESULT}.children")
    yield "market what-if", whatif, [([1], [k, "nvidia", b, 10, "shipped_compute", seg, 2025]) for k, b, seg in (
        ("merge", "amd", "training"), ("shift", "google", "inference"), ("entrant", "newco", "training"))]
    chips = find(deps, f"{ids.CHIPS_GRID}.getRowsResponse")
    reqs = [{"startRow": s, "endRow": s + 100, "sortModel": sm, "filterModel": fm}
            for s, sm, fm in itertools.product([0, 100], [[], [{"colId": "bf16_tflops", "sort": "desc"}]],
                                               [{}, {"vendor": {"filterType": "text", "type": "contains",
                                                                "filter": "nv"}}])]
    yield "chips rows", chips, [([r], [None]) for r in reqs]
    charts = find(deps, f"{ids.CHIPS_SCATTER}.figure")
    yield "chips charts", charts, [([{"filter": f}], []) for f in (None, {"segment": {
        "filterType": "text", "type": "equals", "filter": "training"}}, {"vendor": {
            "filterType": "text", "type": "contains", "filter": "a"}})]
    cite = find(deps, f"{ids.CHIPS_CITATION}.children")
    yield "chips citation", cite, [([{"rowId": c, "colId": f}], []) for c, f in itertools.product(
        ["nvidia-h100-sxm5-80gb", "amd-instinct-mi300x", "google-tpu-v4"], ["bf16_tflops", "memory_gb"])]
    compare = find(deps, f"{ids.CHIPS_COMPARE_BUTTON}.children")
    yield "chips compare", compare, [([c], []) for c in (
        ["nvidia-h100-sxm5-80gb", "amd-instinct-mi300x"], ["google-tpu-v4", "nvidia-a100-sxm4-80gb",
                                                            "amd-instinct-mi300x"])]
    tl_rows = find(deps, f"{ids.TIMELINE_GRID}.getRowsResponse")
    yield "timeline rows", tl_rows, [([{"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}],
                                      [k, v, None, None]) for k, v in (
        (None, None), ("launch", None), (None, "nvidia"), ("funding", None))]
    tl = find(deps, f"{ids.TIMELINE_FIGURE}.figure")
    yield "timeline update", tl, [([k, v, seg, None], []) for k, v, seg in (
        (None, None, None), ("launch", None, None), (None, "nvidia", None), (None, None, "inference"))]
    sug = find(deps, f"{ids.GRAPH_SEARCH}.options")
    yield "graph suggest", sug, [([q], [None]) for q in ("nvdia", "H100", "TPU v4", "alexnet", "mi3", "groq")]
    draw = find(deps, f"{ids.GRAPH_CY}.elements")
    yield "graph draw", draw, [([n, k, None, [2000, 2030], cap], []) for n, k, cap in (
        ("vendor:nvidia", ["vendor", "chip", "segment", "event"], 120), ("vendor:amd", ["vendor", "chip"], 120),
        (None, ["vendor", "chip", "segment", "event"], 120), ("vendor:google", ["vendor", "chip", "event"], 80))]
    det = find(deps, f"{ids.GRAPH_DETAILS}.children")
    yield "graph node", det, [([None, n], []) for n in ("vendor:nvidia", "vendor:amd", "chip:google-tpu-v4",
                                                         "event:alexnet-imagenet-2012")]
    pth = find(deps, f"{ids.GRAPH_PATH}.children")
    yield "graph path", pth, [([1], [a, b]) for a, b in (("vendor:google", "event:alexnet-imagenet-2012"),
                                                         ("vendor:nvidia", "vendor:amd"),
                                                         ("chip:google-tpu-v4", "vendor:intel"))]
    block = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
    for grid_id, name in ((ids.VENDOR_EVENTS, "vendor events rows"), (ids.VENDOR_SOURCES, "vendor sources rows")):
        dep = find(deps, f"{grid_id}.getRowsResponse")
        yield name, dep, [([block], [v]) for v in ("nvidia", "amd", "google")]
    sql = find(deps, f"{ids.SQL_RESULT}.columnDefs")
    yield "sql run", sql, [([1], [q]) for q in ("select count(*) from chips",
                                                "select v.name, c.name from chips c join vendors v using (vendor_id)",
                                                "select * from events order by event_date desc limit 50")]


def run(db: str, repeat: int, warmup: int) -> dict:
    app = create_app(db)
    client = app.server.test_client()
    client.get("/")
    deps = dependencies(client)
    out = {}
    for name, dep, variants in cases(deps):
        times, sizes = [], []
        bodies = [payload(dep, i, s) for i, s in variants]
        for k in range(warmup + repeat):
            body = bodies[k % len(bodies)]
            t = time.perf_counter()
            r = client.post("/_dash-update-component", json=body)
            dt = time.perf_counter() - t
            if r.status_code not in (200, 204):
                raise SystemExit(f"{name}: HTTP {r.status_code}: {r.data[:400]!r}")
            if k >= warmup:
                times.append(dt * 1000)
                sizes.append(len(r.data))
        times.sort()
        out[name] = {"p50_ms": round(statistics.median(times), 1),
                     "p95_ms": round(times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))], 1),
                     "max_ms": round(times[-1], 1), "bytes_median": int(statistics.median(sizes)),
                     "bytes_max": max(sizes), "requests": len(times)}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="database (default: build the shipped data into a temporary file)")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=2)
    a = ap.parse_args(argv)
    db = a.db
    if db is None:
        import marketgraph as mg

        db = str(Path(tempfile.mkdtemp()) / "bench.duckdb")
        mg.build(None, db)
    results = run(db, a.repeat, a.warmup)
    worst = max(v["p95_ms"] for v in results.values())
    print(json.dumps({"bench": "dashboard callbacks (in-process, real endpoint)", "db": db,
                      "db_bytes": os.path.getsize(db), "machine": platform.platform(), "cpus": os.cpu_count(),
                      "python": sys.version.split()[0], "repeat": a.repeat, "worst_p95_ms": worst,
                      "goal_p95_ms": 100, "callbacks": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
