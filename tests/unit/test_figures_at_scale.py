"""Charts that must stay readable and small whatever the database's size: the spec scatter's vendor colours,
the market graph's "other vendors" node, the timeline's cap, and the JSON conversion they share."""
from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from marketgraph.present.figures import OTHERS_NODE, _list, collapse_vendors, spec_scatter_spec, timeline_spec


def chips(vendors: dict[str, int]) -> pd.DataFrame:
    rows = []
    for v, n in vendors.items():
        for i in range(n):
            rows.append({"chip_id": f"{v}-{i}", "chip": f"{v.upper()} {i}", "vendor_id": v, "vendor": v.upper(),
                         "segment": "training" if i % 2 else "inference", "memory_bandwidth_tbs": 1.0 + i,
                         "bf16_tflops": 10.0 * (i + 1)})
    return pd.DataFrame(rows)


def test_scatter_colours_the_largest_vendors_and_greys_the_rest_with_their_names():
    spec = spec_scatter_spec(chips({"a": 3, "b": 2, "c": 1, "d": 1}), max_vendors=2)
    names = [t["name"] for t in spec["data"]]
    assert names == ["A", "B", "other vendors (2)"]
    assert sum(len(t["x"]) for t in spec["data"]) == 7  # every chip is drawn
    others = spec["data"][-1]
    assert sorted(others["hovertext"]) == ["C", "D"] and others["marker"]["color"] != spec["data"][0]["marker"]["color"]
    assert spec["data"][0]["marker"]["symbol"] == ["diamond", "circle", "diamond"]


def test_scatter_without_others_when_few_vendors():
    assert [t["name"] for t in spec_scatter_spec(chips({"a": 1, "b": 1}))["data"]] == ["A", "B"]


def market(vendors: dict[str, tuple[float, float]]) -> nx.Graph:
    g = nx.Graph(year=2025, basis="shipped_units")
    for seg in ("training", "inference"):
        g.add_node(f"segment:{seg}", kind="segment", label=seg, size=100.0)
    for v, (t, i) in vendors.items():
        g.add_node(f"vendor:{v}", kind="vendor", label=v, size=t + i)
        if t:
            g.add_edge(f"vendor:{v}", "segment:training", weight=t)
        if i:
            g.add_edge(f"vendor:{v}", "segment:inference", weight=i)
    return g


def test_market_graph_keeps_the_largest_vendors_and_sums_the_rest():
    g = market({"a": (60, 10), "b": (30, 20), "c": (6, 30), "d": (4, 0), "e": (0, 40)})
    out = collapse_vendors(g, keep=2)
    # sizes: a 70, b 50, e 40, c 36, d 4 -> a and b kept; c, d, e merged
    assert {n for n, d in out.nodes(data=True) if d["kind"] == "vendor"} == {"vendor:a", "vendor:b", OTHERS_NODE}
    assert out.nodes[OTHERS_NODE]["label"] == "3 other vendors" and out.nodes[OTHERS_NODE]["size"] == 80
    assert out.edges[OTHERS_NODE, "segment:training"]["weight"] == 10  # 6 + 4
    assert out.edges[OTHERS_NODE, "segment:inference"]["weight"] == 70  # 30 + 40
    for seg in ("segment:training", "segment:inference"):  # shares still add up to 100 per segment
        assert sum(d["weight"] for _, _, d in out.edges(seg, data=True)) == 100
    assert collapse_vendors(g, keep=4) is g  # one vendor more than kept is drawn as itself, not as "1 other"


def events(n: int) -> pd.DataFrame:
    return pd.DataFrame({"event_id": [f"e{i}" for i in range(n)], "title": [f"t{i}" for i in range(n)],
                         "kind": ["launch" if i % 2 else "funding" for i in range(n)],
                         "event_date": [f"{2000 + i}-01-01" for i in range(n)]})


def test_timeline_draws_the_newest_events_and_says_how_many_of_how_many():
    spec = timeline_spec(events(5).sample(frac=1, random_state=1), max_points=3)
    drawn = sorted(x for t in spec["data"] for x in t["x"])
    assert drawn == ["2002-01-01", "2003-01-01", "2004-01-01"]
    assert "the newest 3 of 5 events" in spec["layout"]["title"]["text"]
    assert "(5 events;" in timeline_spec(events(5), max_points=5)["layout"]["title"]["text"]


def test_list_gives_plain_json_values():
    assert _list(pd.Series([1.0, np.nan, 3.0])) == [1.0, None, 3.0]
    assert _list(pd.Series(["a", None], dtype="string")) == ["a", None]
    assert _list(pd.Index([2024, 2025])) == [2024, 2025] and type(_list(pd.Index([2024]))[0]) is int
    assert _list([np.float64(1.5), float("nan")]) == [1.5, None]
    assert isinstance(_list(pd.to_datetime(pd.Series(["2020-01-01"])))[0], pd.Timestamp)
