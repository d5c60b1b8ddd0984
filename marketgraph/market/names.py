"""Display names and source records that every statement and figure needs."""
from __future__ import annotations

from ..store.db import Store


def vendor_names(store: Store) -> dict[str, str]:
    """vendor_id → display name (memoised per Store)."""
    return store.memo("vendor_names", lambda: dict(store.tuples("market/vendor_names")))


def sources(store: Store, ids) -> list[dict[str, str]]:
    """The sources with these ids (publisher, title, URL, accessed, via), ordered by id."""
    ids = sorted({i for i in ids if isinstance(i, str) and i})
    if not ids:
        return []
    return [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
            for r in store.rows("market/sources_by_id", ids=ids)]
