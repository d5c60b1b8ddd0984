"""Serving the app: one waitress process, or several sharing one listening socket.

Several processes are how one machine serves more analysts than one Python process can (waitress's threads share
one interpreter lock, so on two cores one process saturates at about 30 requests a second). The parent binds the
port once and starts each worker as a fresh interpreter (``python -m dashboards.serve``) that inherits the
socket: no fork of a process that has DuckDB or Dash state, every worker opens the database read-only on its
own, and the kernel hands each new connection to whichever worker accepts it first.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import waitress


def listen(host: str, port: int) -> socket.socket:
    """The listening socket (bound before any app is built, so a port in use is said at once, plainly)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=1024)


def serve_one(db: str | Path, threads: int, sock: socket.socket) -> None:
    from .app import create_app

    app = create_app(db)
    waitress.serve(app.server, sockets=[sock], threads=threads, ident="marketgraph", _quiet=True)


def serve_many(db: str | Path, threads: int, workers: int, sock: socket.socket) -> int:
    """Run ``workers`` worker processes on the bound socket, and stop them all when stopped."""
    sock.set_inheritable(True)
    cmd = [sys.executable, "-m", "dashboards.serve", "--db", str(db), "--fd", str(sock.fileno()),
           "--threads", str(threads)]
    procs = [subprocess.Popen(cmd, pass_fds=[sock.fileno()]) for _ in range(workers)]

    def stop(*_):
        for p in procs:
            if p.poll() is None:
                p.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        # A worker that dies is not restarted silently: the server stops and says so.
        while True:
            pid, status = os.wait()
            if any(p.pid == pid for p in procs):
                code = os.waitstatus_to_exitcode(status)
                if code not in (0, -signal.SIGTERM):
                    print(f"marketgraph dashboard: worker {pid} exited with {code}; stopping the others",
                          file=sys.stderr, flush=True)
                stop()
                for p in procs:
                    p.wait()
                return 0 if code in (0, -signal.SIGTERM) else 1
    except KeyboardInterrupt:
        stop()
        for p in procs:
            p.wait()
        return 0
    finally:
        sock.close()


def main(argv: list[str] | None = None) -> int:
    """A worker process of ``marketgraph dashboard --workers N`` (not a command for people)."""
    ap = argparse.ArgumentParser(prog="python -m dashboards.serve")
    ap.add_argument("--db", required=True)
    ap.add_argument("--fd", type=int, required=True, help="the listening socket the parent bound")
    ap.add_argument("--threads", type=int, default=8)
    a = ap.parse_args(argv)
    sock = socket.socket(fileno=a.fd)
    try:
        serve_one(a.db, a.threads, sock)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
