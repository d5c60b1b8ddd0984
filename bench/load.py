"""Twenty analysts at once: the dashboard on waitress in its own process, clients posting what users do.

    python bench/load.py [--db PATH] [--clients 20] [--requests 15] [--rebuilds 0] [--data DIR] [--port 0]

Starts ``marketgraph dashboard`` (waitress, the command a user runs) in a subprocess, waits until it answers,
then runs ``--clients`` threads, each posting ``--requests`` callbacks to the real ``/_dash-update-component``
endpoint over loopback HTTP — a page route, a market update, a grid block, a graph click, a console query, in
turn, each client starting at a different point of the mix so the server sees all of them at once.

With ``--rebuilds N`` a separate process runs ``marketgraph build --db DB`` N times while the clients run (each
build replaces the served file atomically); the clients keep going until the last rebuild is done, and every
response is checked: an HTTP error, or a response whose build (``build_info.built_at``, read through the
console) is not one of the builds that really existed, counts as an error. Issue 13's goal: 0 errors.

Prints one JSON object: latency p50/p95/p99/max over every request, errors, throughput, the builds the clients
saw, and the server's peak RSS (sampled from /proc). The latency goals (issue 14): p95 ≤ 250 ms on the shipped
data, ≤ 1 s at 100×.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from callbacks import cases, dependencies, find, payload  # noqa: E402  (the same user actions as the callback bench)

from dashboards import ids  # noqa: E402
from dashboards.app import create_app  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss_mb(pid: int) -> float:
    """RSS of the server and its worker processes (``--workers``), from /proc."""
    total = rss_mb(pid)
    try:
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            total += rss_mb(int(child))
    except OSError:
        pass
    return total


def wait_up(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"the dashboard exited with {proc.returncode}: {proc.stderr.read()[:2000]!r}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the dashboard did not answer in time")


def post(url: str, body: bytes) -> tuple[float, int, bytes]:
    """One callback over HTTP: (milliseconds to the last byte, status, body)."""
    req = urllib.request.Request(url + "/_dash-update-component", data=body,
                                 headers={"Content-Type": "application/json"})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            data, status = r.read(), r.status
    except urllib.error.HTTPError as e:
        data, status = e.read(), e.code
    return (time.perf_counter() - t) * 1000, status, data


def mix(db: str) -> tuple[list[tuple[str, bytes]], bytes]:
    """One body per user action (the first variants of each case of bench/callbacks.py), and the console query
    that asks which build answered (the guarded executor reads the file as it is)."""
    app = create_app(db)
    deps = dependencies(app.server.test_client())
    out = []
    for name, dep, variants in cases(deps):
        for i, s in variants[:2]:
            out.append((name, json.dumps(payload(dep, i, s)).encode()))
    check = json.dumps(payload(find(deps, f"{ids.SQL_RESULT}.columnDefs"), [1],
                               ["select cast(built_at as varchar) as built_at from build_info"])).encode()
    return out, check


def rebuild(db: str, data: str | None, times: int, log: list, done: threading.Event) -> None:
    try:
        for _ in range(times):
            time.sleep(1.0)
            cmd = [sys.executable, "-m", "marketgraph", "build", "--db", db] + (["--data", data] if data else [])
            out = subprocess.run(cmd, capture_output=True, text=True)
            if out.returncode != 0:
                log.append({"error": out.stderr[-500:]})
                continue
            log.append({"built_at": built_at_of(db)})
    finally:
        done.set()


def built_at_of(db: str) -> str:
    import duckdb

    with duckdb.connect(db, read_only=True) as con:
        return str(con.execute("select cast(built_at as varchar) from build_info").fetchone()[0])


def run(db: str, clients: int, requests: int, port: int, rebuilds: int = 0, data: str | None = None,
        workers: int = 1) -> dict:
    bodies, check = mix(db)
    builds = [{"built_at": built_at_of(db)}]
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MARKETGRAPH_DB": db}
    proc = subprocess.Popen([sys.executable, "-m", "marketgraph", "dashboard", "--db", db, "--port", str(port),
                             "--workers", str(workers)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_up(url, proc)
        for _, b in bodies:  # warm the per-database caches, as a served app is after its first visitors
            post(url, b)
        idle = tree_rss_mb(proc.pid)
        results: list[tuple[str, float, int]] = []
        lock = threading.Lock()
        peak = [idle]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], tree_rss_mb(proc.pid))
                time.sleep(0.05)

        seen: list[str] = []
        rebuilt = threading.Event()
        if not rebuilds:
            rebuilt.set()

        def client(k: int):
            j = 0
            while j < requests or not rebuilt.is_set():
                name, body = bodies[(k * 7 + j) % len(bodies)]
                ms, status, _ = post(url, body)
                with lock:
                    results.append((name, ms, status))
                if rebuilds and j % 5 == 4:  # which build answered: it must be one that was really built
                    ms, status, data = post(url, check)
                    with lock:
                        results.append(("build check", ms, status))
                        seen.append(data.decode("utf-8", "replace") if status == 200 else "")
                j += 1

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        if rebuilds:
            threading.Thread(target=rebuild, args=(db, data, rebuilds, builds, rebuilt), daemon=True).start()
        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        stop.set()
        sampler.join()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    times = sorted(ms for _, ms, _ in results)
    errors = [(n, s) for n, _, s in results if s not in (200, 204)]
    real = {b["built_at"] for b in builds if "built_at" in b}
    answered = [next((b for b in real if b in text), None) for text in seen]
    errors += [("build check: a build that never existed", 0) for a in answered if a is None]
    per = {}
    for name in dict.fromkeys(n for n, _ in bodies):
        ts = sorted(ms for n, ms, _ in results if n == name)
        if ts:
            per[name] = {"p50_ms": round(statistics.median(ts), 1), "max_ms": round(ts[-1], 1), "requests": len(ts)}
    return {"clients": clients, "workers": workers, "requests": len(results), "errors": len(errors), "error_examples": errors[:5],
            "wall_s": round(wall, 2), "requests_per_s": round(len(results) / wall, 1),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))], 1),
            "p99_ms": round(times[min(len(times) - 1, int(round(0.99 * (len(times) - 1))))], 1),
            "max_ms": round(times[-1], 1), "rebuilds": builds[1:], "build_checks": len(seen),
            "builds_seen_by_clients": len({a for a in answered if a}), "server_rss_idle_mb": round(idle), "server_rss_peak_mb": round(peak[0]),
            "per_action": per}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="database (default: build the shipped data into a temporary file)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=15, help="requests per client")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--workers", type=int, default=1, help="marketgraph dashboard --workers")
    ap.add_argument("--rebuilds", type=int, default=0, help="rebuild the database this many times during the run")
    ap.add_argument("--data", help="the data folder the rebuilds build from (default: the shipped data)")
    a = ap.parse_args(argv)
    db = a.db
    if db is None:
        import marketgraph as mg

        db = str(Path(tempfile.mkdtemp()) / "bench.duckdb")
        mg.build(None, db)
    out = run(db, a.clients, a.requests, a.port, a.rebuilds, a.data, a.workers)
    print(json.dumps({"bench": f"{a.clients} concurrent clients over loopback HTTP, waitress in its own process",
                      "db": db, "db_bytes": os.path.getsize(db), "machine": platform.platform(),
                      "cpus": os.cpu_count(), "python": sys.version.split()[0], "goal_p95_ms": 250, **out}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
