"""marketgraph: the AI-accelerator market as a DuckDB store, a knowledge graph and concentration metrics.

The public Python API (the CLI is a thin layer over it)::

    import marketgraph as mg
    mg.build()                                        # data/ -> DuckDB (atomic)
    path = mg.ensure_db()                             # the default database, built on first use (only here)
    with mg.connect(path) as store:                   # one read-only Store per unit of work; never writes
        chips = store.query("chips_overview", segment=None, vendor="google", deployment=None)
    mg.query("SELECT name, bf16_tflops FROM chips WHERE vendor_id = $v", {"v": "nvidia"}, db=path)
    mg.run_untrusted_sql("SELECT 1", db=path)          # guarded: read-only, SELECT-only, limits

Names are imported on first use, so ``import marketgraph`` (and ``marketgraph --help``) stays fast.
"""
from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("marketgraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

from .errors import MarketgraphError  # noqa: E402  (cheap, and what every caller catches)

_LAZY = {
    "build": ".pipeline", "ensure_db": ".pipeline",
    "connect": ".api", "query": ".api", "named_query": ".api", "build_info": ".api",
    "run_untrusted_sql": ".api",
    "named_query_names": ".store.db", "Store": ".store.db",
    "load_dataset": ".store.load",
    "DataError": ".errors", "DataErrors": ".errors", "UnsafeQuery": ".errors", "QueryRefused": ".errors",
    "QueryFailed": ".errors", "QueryTimeout": ".errors", "DatabaseMissing": ".errors", "UnknownName": ".errors",
}

__all__ = ["__version__", "MarketgraphError", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'marketgraph' has no attribute {name!r}")
