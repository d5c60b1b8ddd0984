"""Server-side grid paging: AG Grid's filter and sort models applied to toy tables with known answers."""
from __future__ import annotations

import pandas as pd

from dashboards import grid, state

DF = pd.DataFrame({"vendor": ["NVIDIA", "AMD", "Google", "nvidia-clone", None],
                   "tflops": [989.0, 1307.0, 275.0, None, 10.0]})


def names(df):
    return list(df.vendor.fillna("∅"))


def test_text_filters_are_case_insensitive():
    m = {"vendor": {"filterType": "text", "type": "contains", "filter": "nvidia"}}
    assert names(grid.apply_filter(DF, m)) == ["NVIDIA", "nvidia-clone"]
    m = {"vendor": {"filterType": "text", "type": "equals", "filter": "amd"}}
    assert names(grid.apply_filter(DF, m)) == ["AMD"]
    m = {"vendor": {"filterType": "text", "type": "notContains", "filter": "nv"}}
    assert names(grid.apply_filter(DF, m)) == ["AMD", "Google", "∅"]  # NULL does not contain 'nv'
    m = {"vendor": {"filterType": "text", "type": "blank"}}
    assert names(grid.apply_filter(DF, m)) == ["∅"]


def test_number_filters_and_combined_conditions():
    m = {"tflops": {"filterType": "number", "type": "greaterThan", "filter": 500}}
    assert names(grid.apply_filter(DF, m)) == ["NVIDIA", "AMD"]
    m = {"tflops": {"filterType": "number", "type": "inRange", "filter": 100, "filterTo": 1000}}
    assert names(grid.apply_filter(DF, m)) == ["NVIDIA", "Google"]
    m = {"tflops": {"filterType": "number", "operator": "OR", "conditions": [
        {"filterType": "number", "type": "lessThan", "filter": 20},
        {"filterType": "number", "type": "greaterThan", "filter": 1000}]}}
    assert names(grid.apply_filter(DF, m)) == ["AMD", "∅"]
    both = {**m, "vendor": {"filterType": "text", "type": "contains", "filter": "a"}}
    assert names(grid.apply_filter(DF, both)) == ["AMD"]


def test_malformed_models_from_urls_are_ignored_not_errors():
    assert len(grid.apply_filter(DF, {"nope": {"type": "equals", "filter": 1}, "vendor": "x"})) == 5
    assert len(grid.apply_filter(DF, {"tflops": {"filterType": "number", "type": "equals", "filter": "abc"}})) == 5
    assert grid.load_model("{not json", dict) == {} and grid.load_model('[1]', dict) == {}


def test_sort_puts_nulls_last_both_ways():
    asc = grid.apply_sort(DF, [{"colId": "tflops", "sort": "asc"}])
    desc = grid.apply_sort(DF, [{"colId": "tflops", "sort": "desc"}])
    assert list(asc.tflops.fillna(-1)) == [10.0, 275.0, 989.0, 1307.0, -1]
    assert list(desc.tflops.fillna(-1)) == [1307.0, 989.0, 275.0, 10.0, -1]
    assert names(grid.apply_sort(DF, [{"colId": "vendor", "sort": "asc"}])) == ["AMD", "Google", "NVIDIA",
                                                                               "nvidia-clone", "∅"]


def test_page_returns_one_block_and_the_filtered_count():
    big = pd.DataFrame({"i": range(1000)})
    r = grid.page(big, {"startRow": 200, "endRow": 300, "sortModel": [{"colId": "i", "sort": "desc"}],
                        "filterModel": {"i": {"filterType": "number", "type": "lessThan", "filter": 500}}})
    assert r["rowCount"] == 500
    assert [x["i"] for x in r["rowData"]][:3] == [299, 298, 297] and len(r["rowData"]) == 100
    # a request cannot pull the whole table through one block
    assert len(grid.page(big, {"startRow": 0, "endRow": 10**9})["rowData"]) == 10 * grid.PAGE_ROWS


def test_url_state_round_trips_and_drops_empty_values():
    q = state.encode({"basis": "shipped_compute", "a": 2020, "compare": ["x", "y"], "empty": None, "no": ""})
    assert q == "?basis=shipped_compute&a=2020&compare=x%2Cy"
    assert state.parse(q) == {"basis": "shipped_compute", "a": "2020", "compare": "x,y"}
    assert state.encode({"a": None}) == "" and state.parse(None) == {}
    assert state.choice("2020", [2019, 2020]) == 2020 and state.choice("1999", [2020], 7) == 7
