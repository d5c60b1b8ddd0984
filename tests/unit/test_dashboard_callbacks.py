"""The dashboard's callbacks, called directly on a small database (with HTML and script payloads in its text),
and the callback endpoint for what a browser can post."""
from __future__ import annotations

import io
import json
import os
import shutil

import pandas as pd
import pytest

import marketgraph as mg
from dashboards import cache, console, graphview, ids
from dashboards.app import Router, create_app, page_modules
from dashboards.pages import chips, graph, home, market, sql, timeline
from dashboard_fixtures import FIXTURE, build_dashboard_db

REQUEST = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_dashboard_db(tmp_path_factory.mktemp("cb"))


@pytest.fixture(scope="module")
def app(db):
    return create_app(db)


@pytest.fixture
def ctx(app):
    with app.server.test_request_context():
        yield app


def text_of(component) -> str:
    """Every string in a Dash component tree (what the page would show)."""
    out = []

    def walk(c):
        if c is None:
            return
        if isinstance(c, (str, int, float)):
            out.append(str(c))
        elif isinstance(c, (list, tuple)):
            for x in c:
                walk(x)
        elif hasattr(c, "children"):
            walk(c.children)
    walk(component)
    return " ".join(out)


def test_chips_rows_page_filters_and_counts(ctx):
    resp, count, links, st = chips.rows(REQUEST, None)
    assert resp["rowCount"] == 3 and count == "3 accelerators"
    req = {**REQUEST, "filterModel": {"vendor": {"filterType": "text", "type": "contains", "filter": "nvid"}}}
    resp, count, links, st = chips.rows(req, None)
    assert [r["chip_id"] for r in resp["rowData"]] == ["nvidia-h100-sxm5-80gb"] and count == "1 accelerators"
    assert st["filter"] == req["filterModel"]
    # the same state again: only the rows are sent, not the count, links and state a second time
    resp2, *rest = chips.rows({**req, "startRow": 0}, st)
    assert resp2["rowCount"] == 1 and all(x is chips.no_update for x in rest)


def test_chips_url_keeps_filter_sort_and_compare(ctx):
    st = {"filter": {"segment": {"filterType": "text", "type": "equals", "filter": "training"}},
          "sort": [{"colId": "bf16_tflops", "sort": "desc"}]}
    q = chips.url(st, ["a", "b"])
    from dashboards import state

    p = state.parse(q)
    assert json.loads(p["filter"]) == st["filter"] and p["sort"] == "bf16_tflops:desc" and p["compare"] == "a,b"
    assert chips.parse_sort(p["sort"]) == st["sort"]


def test_citation_names_the_figures_source(ctx):
    alert = chips.citation({"rowId": "nvidia-h100-sxm5-80gb", "colId": "bf16_tflops"})
    assert "NVIDIA H100 Tensor Core GPU Datasheet" in text_of(alert)


def test_compare_highlights_differences_and_links_sources(ctx):
    with cache.store() as s:
        view = chips.compare_view(s, ["nvidia-h100-sxm5-80gb", "google-tpu-v4"])
    rows = {r.children[0].children: r for r in view.children[1].children[1].children}
    bf16 = next(r for k, r in rows.items() if k.startswith("bf16_tflops"))
    assert bf16.className == "diff"  # 989 vs 275
    cells = bf16.children[1:]
    assert cells[0].children[0].className == "best" and cells[1].children[0].className is None
    assert cells[0].children[1].href.startswith("https://resources.nvidia.com")  # the datasheet, per cell
    dep = next(r for k, r in rows.items() if k.startswith("deployment"))
    assert dep.className is None  # both datacenter


def test_market_years_follow_the_basis(ctx):
    out = market.update("products_announced_3y", "training", 1999, None)
    years = [o["value"] for o in out[0]]
    assert years and out[1] in years and out[3] == years[-1]  # an impossible year falls back to a real one
    with cache.store() as s:
        expected = sorted(set(mg.query("select year from segment_concentration where basis = "
                                       "'products_announced_3y'", db=s.path).year))
    assert years == expected
    assert "basis=products_announced_3y" in out[-1] and "segment=training" in out[-1]
    shipped = market.update("shipped_compute", "training", None, None)
    assert [o["value"] for o in shipped[0]] == [2024]  # the shipped basis has its own years
    assert "basis" not in shipped[-1]  # the default basis (what ships) stays out of the URL


def test_whatif_on_a_count_basis_is_refused_with_the_reason(ctx):
    res = market.whatif(1, "merge", "nvidia", "google", 0, "products_announced_3y", "training", 2022)
    assert "counts products, it is not a market share" in text_of(res)


def test_whatif_merger_on_shipped_units_by_hand(ctx):
    # 2024 training, 25% of the H100s to inference: NVIDIA 75 of 275 units, Google 200 of 275.
    res = text_of(market.whatif(1, "merge", "nvidia", "google", 0, "shipped_units", "training", 2024))
    before = round((75 / 275) ** 2 * 1e4 + (200 / 275) ** 2 * 1e4)
    assert f"HHI {before:,} → 10,000" in res and "presumed to substantially lessen competition" in res


def test_allocation_slider_recomputes_shares_by_hand(ctx):
    # 40% of the 100 H100s to inference: training NVIDIA 60 vs Google 200 units; inference NVIDIA alone.
    res = text_of(market.allocate(2024, 40, "shipped_units"))
    hhi = (60 / 260) ** 2 * 1e4 + (200 / 260) ** 2 * 1e4
    assert f"{hhi:,.0f}" in res and "Google 77%" in res and "NVIDIA 100%" in res
    assert "inference takes 13% of the year's shipped units" in res  # 40 of 300
    moved = text_of(market.allocate(2024, 0, "shipped_units"))
    assert "NVIDIA 100%" not in moved and "inference" in moved  # nothing left in inference
    assert "between 0 and 100" in text_of(market.allocate(2024, 140, "shipped_units"))
    assert text_of(market.allocate(2024, "40", "shipped_units")) == "Pick a year."  # posted text, refused


def test_allocation_panel_starts_at_the_models_default(ctx):
    page = text_of(market.layout({}))
    assert "default for 2024: 25% to inference (swept 10–50%" in page


def test_timeline_filters_and_newest_first(ctx):
    resp = timeline.rows(REQUEST, None, None, None, None)
    dates = [r["date"] for r in resp["rowData"]]
    assert dates == sorted(dates, reverse=True) and resp["rowCount"] == 2
    assert timeline.rows(REQUEST, "research", None, None, None)["rowCount"] == 1
    assert timeline.rows(REQUEST, None, "evil", None, None)["rowData"][0]["event_id"] == "evil-launch-2023"
    fig, count, _, url = timeline.update("launch", None, None, None)
    assert count == "1 events" and url == "?kind=launch"


def test_graph_search_prefers_entities_and_forgives_typos(ctx):
    values = [o["value"] for o in graph.suggest("nvdia", None)]
    assert values[0] == "vendor:nvidia"
    values = [o["value"] for o in graph.suggest("H100", None)]
    assert values[0] == "chip:nvidia-h100-sxm5-80gb"
    kinds = [v.split(":")[0] for v in values]
    assert "source" not in kinds[: kinds.index("source")] if "source" in kinds else True
    assert all(kinds.index(k) < kinds.index("source") for k in kinds if k != "source") if "source" in kinds else True


def test_graph_draw_caps_and_lays_out(ctx):
    els, note, _ = graph.draw("vendor:nvidia", ["vendor", "chip", "segment", "event"], None, [2000, 2030], 120)
    nodes = [e for e in els if "position" in e]
    assert "vendor:nvidia" in {e["data"]["id"] for e in nodes}
    assert all(isinstance(e["position"]["x"], float) for e in nodes)
    els_capped, note, _ = graph.draw(None, ["vendor", "chip", "segment", "event", "source"], None, [2000, 2030], 10)
    assert len([e for e in els_capped if "position" in e]) == 10 and "raise the cap" in text_of(note)


def test_graph_details_and_path_carry_sources(ctx):
    d = graph.details(None, "chip:nvidia-h100-sxm5-80gb")
    assert "NVIDIA: NVIDIA H100 Tensor Core GPU Datasheet" in text_of(d)
    p = graph.find_path(1, "vendor:google", "event:alexnet-imagenet-2012")
    assert "AlexNet wins ImageNet on GPUs" in text_of(p)


def test_sql_keeps_duplicate_column_names_apart(ctx):
    defs, rows, status, links, url = sql.run(1, "select v.name, c.name from chips c join vendors v using (vendor_id) "
                                                "order by c.chip_id")
    assert [d["headerName"] for d in defs] == ["name", "name"] and len({d["field"] for d in defs}) == 2
    assert rows[0] == {"c0": "<script>window.__pwned=1;alert(1)</script>Evil Chips",
                       "c1": '<img src=x onerror="window.__pwned=3;alert(3)">X1'}
    assert status.startswith("3 row(s)") and "q=select" in url


def test_sql_states_each_columns_type(ctx, db):
    res = console.run("select count(*) AS n, any_value(name) AS t, true AS b from chips", str(db))
    kinds = [d["cellDataType"] for d in res.column_defs]
    assert kinds == ["number", "text", "boolean"]


@pytest.mark.parametrize("posted", [42, None, ["select 1"], {"sql": "select 1"}, "x" * 30_000, "  "])
def test_sql_refuses_non_text_and_oversized_payloads(ctx, posted):
    defs, rows, status, links, url = sql.run(1, posted)
    assert status.startswith("Refused") and rows == [] and url == ""


def test_sql_states_the_row_cap(ctx, monkeypatch):
    monkeypatch.setattr(console, "MAX_ROWS", 2)
    *_, status, _, _ = sql.run(1, "select * from range(10)")
    assert "stopped at the console's limit of 2 rows" in status


def test_console_endpoint_refuses_non_strings_with_http_200(app):
    """What a hostile client posts straight to the callback endpoint: a clean refusal, never HTTP 500."""
    client = app.server.test_client()
    deps = {d["output"]: d for d in client.get("/_dash-dependencies").get_json()}
    dep = next(d for k, d in deps.items() if k.startswith(f"..{ids.SQL_RESULT}.columnDefs"))
    outs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in dep["output"].strip(".").split("...")]
    for value in (123, {"a": 1}, [1, 2], True):
        body = {"output": dep["output"], "outputs": outs,
                "inputs": [{"id": ids.SQL_RUN, "property": "n_clicks", "value": 1}],
                "state": [{"id": ids.SQL_INPUT, "property": "value", "value": value}], "changedPropIds": []}
        r = client.post("/_dash-update-component", json=body)
        assert r.status_code == 200, r.data[:300]
        assert "must be text" in r.get_data(as_text=True)


def read_download(app, url: str) -> tuple[list[str], pd.DataFrame]:
    r = app.server.test_client().get(url)
    assert r.status_code == 200, r.data
    text = r.get_data(as_text=True)
    header = [l for l in text.splitlines() if l.startswith("#")]
    return header, pd.read_csv(io.StringIO(text), comment="#")


def test_download_is_the_full_view_with_build_date_and_sources(app, db):
    header, df = read_download(app, "/download/chips.csv")
    built = str(mg.build_info(db)["built_at"])
    assert any(built in h for h in header) and any(h.startswith("# sources:") for h in header)
    assert len(df) == 3 and "source_urls" in df.columns
    # the formula in the evil chip's notes is neutralised for spreadsheets
    assert df.set_index("chip_id").notes["evil-x1"].startswith("'=")
    header, df = read_download(app, '/download/chips.csv?filter={"vendor":{"filterType":"text","type":"contains",'
                                    '"filter":"google"}}')
    assert list(df.chip_id) == ["google-tpu-v4"]


def test_every_dataset_downloads(app):
    from dashboards.downloads import DATASETS

    params = {"vendor-chips": "?vendor=nvidia", "vendor-shares": "?vendor=nvidia", "vendor-events": "?vendor=nvidia",
              "vendor-sources": "?vendor=nvidia", "compare": "?ids=nvidia-h100-sxm5-80gb,google-tpu-v4",
              "graph-neighbours": "?node=vendor:nvidia", "graph-path": "?from=vendor:google&to=vendor:nvidia"}
    for name in DATASETS:
        header, df = read_download(app, f"/download/{name}.csv{params.get(name, '')}")
        assert header[0].startswith("# marketgraph"), name
    r = app.server.test_client().get("/download/sql.json?q=select%201%20as%20a,%202%20as%20a")
    body = json.loads(r.get_data(as_text=True))
    assert body["rows"] == [{"a": 1, "a_2": 2}]


def test_bad_download_requests_are_400_with_a_message(app):
    client = app.server.test_client()
    assert client.get("/download/nope.csv").status_code == 400
    r = client.get("/download/sql.csv?q=drop%20table%20chips")
    assert r.status_code == 400 and "only SELECT" in r.get_data(as_text=True)
    assert client.get("/download/vendor-chips.csv").status_code == 400


def test_router_pages_and_user_errors(ctx):
    router = Router(page_modules())
    body, title = router.render("/vendors/nope", "")
    assert "no vendor with id 'nope'" in text_of(body)
    body, title = router.render("/nowhere", "")
    assert "Page not found" in text_of(body)
    body, title = router.render("/vendors/evil", "")
    assert "<script>window.__pwned=1;alert(1)</script>Evil Chips" in text_of(body)  # as text, for React to escape


def test_home_tiles_lead_with_shipped_compute_and_fall_back_to_launch_counts(ctx):
    body, _ = Router(page_modules()).render("/", "")
    shown = text_of(body)
    assert "training · shipped compute leader" in shown and "inference share of compute" in shown
    with cache.store() as s:
        findings = home.compute_findings(s)
        names = home.vendor_names(s)
    assert "NVIDIA 57%" in shown  # 2024 training compute: 75 H100 × 989 vs 200 TPU v4 × 275 (hand: 57.4%)
    breadth = home.Finding("training-breadth", "…", {"year": 2024, "products": 7, "vendor_count": 3,
                                                      "top_vendor_id": "nvidia", "top_pct": 42.9,
                                                      "effective_vendors": 2.6}, "products_announced_3y", [], [])
    without = [f for f in findings if not f.id.startswith("shipped-") and f.id != "inference-share-of-compute"]
    fallback = text_of(home.tiles(without + [breadth], names))
    assert "7 products, 3 vendors" in fallback and "not a market share" in fallback and "HHI" not in fallback


def test_caches_follow_the_file_not_its_age(tmp_path, app):
    """A rebuilt database (replaced atomically) is seen by the next request: caches are keyed by identity."""
    db = build_dashboard_db(tmp_path)
    other = create_app(db)
    with other.server.test_request_context():
        assert chips.rows(REQUEST, None)[0]["rowCount"] == 3
        data = tmp_path / "data2"
        shutil.copytree(FIXTURE, data)
        lines = (data / "chips.csv").read_text().splitlines()
        (data / "chips.csv").write_text("\n".join(lines[:-1]) + "\n")  # drop the evil chip
        (data / "citations.csv").write_text("\n".join(l for l in (data / "citations.csv").read_text().splitlines()
                                                      if "evil-x1" not in l) + "\n")
        (data / "event_entities.csv").write_text("\n".join(
            l for l in (data / "event_entities.csv").read_text().splitlines() if "evil-x1" not in l) + "\n")
        mg.build(data, db)
        assert chips.rows(REQUEST, None)[0]["rowCount"] == 2


def test_per_file_values_are_provided_lazily_and_shared(ctx, monkeypatch):
    """The shipments model is read once per database file and handed to every Store; a Store that never asks
    for it does not read it."""
    from marketgraph.market import shipped

    cache.CACHE.clear()
    calls = []
    real = shipped.read_model
    monkeypatch.setattr(cache, "read_model", lambda s: calls.append(1) or real(s))
    with cache.store() as s:
        s.query("vendors_list")
    assert calls == []
    with cache.store() as a:
        first = shipped.load_model(a)
    with cache.store() as b:
        second = shipped.load_model(b)
    assert first is second and calls == [1]


def test_label_index_finds_what_a_scan_of_every_label_finds(ctx):
    """The joined-string search finds exactly the nodes a substring test of every label and key finds."""
    with cache.store() as s:
        idx = graphview.index(s)
    for q in ("nv", "a", "h100", "tpu v4", "nvidia-h100", "zzzz", "-", "evil", "<script"):
        brute = {n for n, label, key, _ in idx.entries if q in label or q in key}
        assert {idx.entries[i][0] for i in idx._containing(q)} == brute, q
        assert brute <= set(idx.suggest(q, limit=10_000))
    assert idx.suggest("vendor:nvidia")[0] == "vendor:nvidia"  # a whole id, kind and all


def test_a_finding_lists_its_first_sources_and_points_to_the_csv_for_all(ctx):
    import dataclasses

    from marketgraph.market.findings import compute_findings

    with cache.store() as s:
        f = next(f for f in compute_findings(s) if f.sources)
    many = dataclasses.replace(f, sources=[{**f.sources[0], "title": f"T{i}"} for i in range(40)])
    text = text_of(home.finding_item(many))
    assert "40 source(s)" in text and "T24" in text and "T25" not in text
    assert "and 15 more, all listed in the" in text and "findings CSV" in text
    assert "more, all listed" not in text_of(home.finding_item(f))


def test_chips_page_offers_its_downloads_before_any_filter(ctx):
    """The links are in the first drawing of the page, for the view in the URL (not only after a filter)."""
    text = text_of(chips.layout({}))
    assert "CSV of these rows" in text and "all sources CSV" in text
    filtered = chips.layout({"filter": '{"vendor":{"filterType":"text","type":"contains","filter":"nv"}}'})

    def hrefs(c, out):
        if isinstance(c, (list, tuple)):
            for x in c:
                hrefs(x, out)
        elif hasattr(c, "children"):
            if getattr(c, "href", None):
                out.append(c.href)
            hrefs(c.children, out)
        return out
    assert any("filter=" in h and "nv" in h for h in hrefs(filtered, []))


def test_vendor_events_and_sources_arrive_by_block_with_their_counts(ctx):
    from dashboards.pages import vendor

    with cache.store() as s:
        events = s.query("dashboard/vendor_events", vendor_id="nvidia")
        sources = s.query("dashboard/vendor_sources", vendor_id="nvidia")
    assert len(events) and len(sources)
    page, heading = vendor.event_rows({"startRow": 0, "endRow": 1, "sortModel": [], "filterModel": {}}, "nvidia")
    assert heading == f"{len(events)} events" and page["rowCount"] == len(events) and len(page["rowData"]) == 1
    assert page["rowData"][0]["event_id"] == events.event_id.iloc[0]  # newest first, as the query orders them
    page, heading = vendor.source_rows(REQUEST, "nvidia")
    assert heading == f"{len(sources)} sources" and {r["source_id"] for r in page["rowData"]} == set(sources.source_id)

    def find(c, id_):
        if getattr(c, "id", None) == id_:
            return c
        for x in (c if isinstance(c, (list, tuple)) else [getattr(c, "children", None)]):
            if x is not None and not isinstance(x, str) and (hit := find(x, id_)) is not None:
                return hit
        return None
    page = vendor.layout({}, vendor_id="nvidia")
    for grid_id in (ids.VENDOR_EVENTS, ids.VENDOR_SOURCES):  # the page carries no rows of these; the server does
        grid = find(page, grid_id)
        assert grid.rowModelType == "infinite" and not getattr(grid, "rowData", None)
