"""`marketgraph dashboard --workers 2`: two waitress processes share one port, and stopping the command stops
them all."""
from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def test_two_workers_serve_one_port_and_stop_together(tiny_db):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "marketgraph", "dashboard", "--db", str(tiny_db), "--port",
                             str(port), "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, status = time.time() + 90, None
        while time.time() < deadline and status != 200:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    status = r.status
            except OSError:
                time.sleep(0.3)
        assert status == 200
        workers = children(proc.pid)
        assert len(workers) == 2
        for _ in range(6):  # every request answered, whichever worker takes it
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_dash-layout", timeout=10) as r:
                assert r.status == 200
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
        assert proc.returncode == 0
        assert all(not Path(f"/proc/{w}").exists() or "zombie" in Path(f"/proc/{w}/status").read_text().lower()
                   for w in workers)
        assert "2 processes" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_debug_and_workers_are_refused_together(tiny_db):
    out = subprocess.run([sys.executable, "-m", "marketgraph", "dashboard", "--db", str(tiny_db), "--debug",
                          "--workers", "2"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "drop --workers" in out.stderr and "Traceback" not in out.stderr


def test_a_port_in_use_is_a_sentence_not_a_traceback(tiny_db):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        for workers in ("1", "2"):
            out = subprocess.run([sys.executable, "-m", "marketgraph", "dashboard", "--db", str(tiny_db), "--port",
                                  str(port), "--workers", workers], capture_output=True, text=True, timeout=60)
            assert out.returncode == 1 and "Traceback" not in out.stderr
            assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in out.stderr
