"""The view in the URL: a page's state as a query string, and back.

Values are plain text; lists are comma-separated (``compare=a,b``). Empty values are left out, so the URL of a
default view is the bare path and a copied address opens the same view in a fresh browser.
"""
from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode


def parse(search: str | None) -> dict[str, str]:
    """``?a=1&b=x`` → {'a': '1', 'b': 'x'} (the last value wins when a key repeats)."""
    if not isinstance(search, str):
        return {}
    return dict(parse_qsl(search.lstrip("?"), keep_blank_values=False))


def encode(values: Mapping[str, Any]) -> str:
    """A query string of the non-empty values, in the order given; '' when all are empty."""
    pairs = []
    for k, v in values.items():
        if isinstance(v, (list, tuple)):
            v = ",".join(str(x) for x in v if x not in (None, ""))
        if v is None or v == "" or v is False:
            continue
        pairs.append((k, str(v)))
    return "?" + urlencode(pairs) if pairs else ""


def as_list(text: str | None) -> list[str]:
    return [x for x in (text or "").split(",") if x]


def as_int(text: Any, default: int | None = None) -> int | None:
    try:
        return int(str(text))
    except (TypeError, ValueError):
        return default


def choice(text: Any, options, default=None):
    """``text`` when it is one of ``options`` (compared as text), else ``default``: URLs are edited by hand."""
    for o in options:
        if str(o) == str(text):
            return o
    return default
