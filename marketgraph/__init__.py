"""marketgraph: the AI-accelerator market as a DuckDB store, a knowledge graph and concentration metrics.

The public Python API (the CLI is a thin layer over it)::

    import marketgraph as mg
    mg.build()                                   # data/ -> DuckDB (atomic)
    mg.query("SELECT name, bf16_tflops FROM chips WHERE vendor_id = $v", {"v": "nvidia"})
    mg.named_query("chips_by_vendor")            # a .sql file from marketgraph/queries/
    mg.run_untrusted_sql("SELECT 1")             # guarded: read-only, SELECT-only, time limit, row cap
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("marketgraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

from .db import build, build_info, connect, is_stale  # noqa: E402
from .load import DataError, DataErrors, load_dataset  # noqa: E402
from .query import named_query, named_query_names, query  # noqa: E402
from .safesql import UnsafeQuery, run_untrusted_sql  # noqa: E402

__all__ = ["__version__", "build", "build_info", "connect", "is_stale", "load_dataset", "DataError", "DataErrors",
           "query", "named_query", "named_query_names", "run_untrusted_sql", "UnsafeQuery"]
