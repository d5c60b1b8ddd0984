"""Every kind of bad input gives FILE:LINE:COLUMN: message, all errors at once, and nothing is written."""
from __future__ import annotations

import re

import pytest

import marketgraph as mg
from marketgraph.errors import DataErrors
from marketgraph.store.load import parse_partial_date
from conftest import append_line

CHIP_HEADER = ("chip_id,vendor_id,name,family,variant_of,predecessor_id,announced,available,segment,segment_note,"
               "deployment,form,sales_model,process_node,foundry,memory_gb,memory_type,memory_bandwidth_tbs,"
               "onchip_sram_mb,tdp_w,fp32_tflops,fp16_tflops,bf16_tflops,fp8_tflops,fp4_tflops,int8_tops,"
               "fp16_sparse_tflops,fp8_sparse_tflops,int8_sparse_tops,launch_price_usd,interconnect,"
               "interconnect_gbs,notes").split(",")


def chip_line(**over) -> str:
    base = {"chip_id": "test-chip", "vendor_id": "nvidia", "name": "Test Chip", "family": "Test",
            "announced": "2020-05-14", "segment": "training", "deployment": "datacenter", "form": "chip",
            "sales_model": "merchant"}
    base.update(over)
    return ",".join(str(base.get(c, "")) for c in CHIP_HEADER)


def errors_for(data_dir) -> list[str]:
    with pytest.raises(DataErrors) as exc:
        mg.load_dataset(data_dir)
    return [str(e) for e in exc.value.errors]


def one_error(data_dir, pattern: str) -> str:
    errs = errors_for(data_dir)
    hits = [e for e in errs if re.search(pattern, e)]
    assert hits, f"no error matching {pattern!r} in {errs}"
    return hits[0]


def test_shipped_fixture_is_valid(tiny_data):
    ds = mg.load_dataset(tiny_data)
    assert len(ds.rows("chips")) >= 2


def test_unknown_vendor(tiny_data):
    line = append_line(tiny_data / "chips.csv", chip_line(vendor_id="acme"))
    err = one_error(tiny_data, "unknown vendor")
    assert err.startswith(f"chips.csv:{line}:2: ") or f"/chips.csv:{line}:2: " in err
    assert "'acme'" in err


def test_non_numeric_figure(tiny_data):
    line = append_line(tiny_data / "chips.csv", chip_line(tdp_w="lots"))
    col = CHIP_HEADER.index("tdp_w") + 1
    err = one_error(tiny_data, "tdp_w: 'lots' is not a number")
    assert f"chips.csv:{line}:{col}:" in err


def test_bad_date(tiny_data):
    line = append_line(tiny_data / "chips.csv", chip_line(announced="2020-02-30"))
    err = one_error(tiny_data, "announced")
    assert f"chips.csv:{line}:7:" in err and "not a valid date" in err


def test_unparseable_date_form(tiny_data):
    append_line(tiny_data / "chips.csv", chip_line(announced="May 2020"))
    assert "not a date" in one_error(tiny_data, "announced")


def test_duplicate_id(tiny_data):
    first = append_line(tiny_data / "chips.csv", chip_line())
    second = append_line(tiny_data / "chips.csv", chip_line(name="Other Name"))
    err = one_error(tiny_data, "duplicate")
    assert f"chips.csv:{second}:1:" in err and f"first at line {first}" in err


def test_citation_to_missing_source(tiny_data):
    line = append_line(tiny_data / "citations.csv", "chips,nvidia-h100-sxm5-80gb,tdp_w,no-such-source,")
    err = one_error(tiny_data, "unknown source")
    assert f"citations.csv:{line}:4:" in err


def test_citation_to_missing_subject_and_field(tiny_data):
    l1 = append_line(tiny_data / "citations.csv", "chips,no-such-chip,,nvidia-h100-datasheet,")
    l2 = append_line(tiny_data / "citations.csv", "chips,google-tpu-v4,warp_speed,nvidia-h100-datasheet,")
    l3 = append_line(tiny_data / "citations.csv", "chips,google-tpu-v4,tdp_w,nvidia-h100-datasheet,")
    errs = errors_for(tiny_data)
    assert any(f"citations.csv:{l1}:2:" in e and "no-such-chip" in e for e in errs)
    assert any(f"citations.csv:{l2}:3:" in e and "no column 'warp_speed'" in e for e in errs)
    assert any(f"citations.csv:{l3}:3:" in e and "empty" in e for e in errs)  # cites a blank figure


def test_bad_choice_and_slug(tiny_data):
    line = append_line(tiny_data / "chips.csv", chip_line(chip_id="Bad Id", segment="gaming"))
    errs = errors_for(tiny_data)
    assert any(f":{line}:1:" in e and "lowercase id" in e for e in errs)
    assert any(f":{line}:9:" in e and "'gaming' is not one of training, inference, both" in e for e in errs)


def test_missing_required_value(tiny_data):
    line = append_line(tiny_data / "chips.csv", chip_line(name=""))
    assert f":{line}:3:" in one_error(tiny_data, "name: a value is required")


def test_wrong_field_count(tiny_data):
    line = append_line(tiny_data / "chips.csv", "only,three,fields")
    assert f"chips.csv:{line}:4:" in one_error(tiny_data, "expected 33 fields, found 3")


def test_unknown_and_missing_columns(tiny_data):
    p = tiny_data / "vendors.csv"
    lines = p.read_text().splitlines()
    lines[0] = lines[0].replace("country", "nation")
    p.write_text("\n".join(lines) + "\n")
    errs = errors_for(tiny_data)
    assert any("vendors.csv:1:3:" in e and "unknown column 'nation'" in e for e in errs)
    assert any("vendors.csv:1:" in e and "required column 'country' is missing" in e for e in errs)


def test_derived_column_in_file_is_rejected(tiny_data):
    p = tiny_data / "events.csv"
    lines = p.read_text().splitlines()
    p.write_text("\n".join([lines[0] + ",year"] + [l + ",2012" for l in lines[1:]]) + "\n")
    assert "computed by the loader" in one_error(tiny_data, "unknown column 'year'")


def test_malformed_csv_quote(tiny_data):
    line = append_line(tiny_data / "events.csv", 'x-event,2020,"unterminated,research,desc')
    assert f"events.csv:{line}:1:" in one_error(tiny_data, "malformed CSV")


def test_not_utf8(tiny_data):
    p = tiny_data / "vendors.csv"
    p.write_bytes(p.read_bytes() + "acme,Acme \xe9,US,startup,,,,,\n".encode("latin-1"))
    assert one_error(tiny_data, "not valid UTF-8").startswith(str(p.name)) or "vendors.csv:4:" in \
        one_error(tiny_data, "not valid UTF-8")


def test_missing_file(tiny_data):
    (tiny_data / "aliases.csv").unlink()
    assert "aliases.csv:1:1: file not found" in one_error(tiny_data, "file not found")


def test_all_errors_reported_at_once(tiny_data):
    append_line(tiny_data / "chips.csv", chip_line(chip_id="a-1", vendor_id="acme"))
    append_line(tiny_data / "chips.csv", chip_line(chip_id="a-2", tdp_w="x"))
    append_line(tiny_data / "events.csv", "e-1,20xx,Title,research,desc")
    append_line(tiny_data / "citations.csv", "chips,a-1,,nope,")
    errs = errors_for(tiny_data)
    assert len(errs) >= 4
    files = {e.split(":")[0].rsplit("/", 1)[-1] for e in errs}
    assert {"chips.csv", "events.csv", "citations.csv"} <= files
    for e in errs:
        assert re.match(r"^[^:]+:\d+:\d+: \S", e), e


def test_partial_dates():
    import datetime as dt

    assert parse_partial_date("2012") == (dt.date(2012, 1, 1), "year")
    assert parse_partial_date("2012-09") == (dt.date(2012, 9, 1), "month")
    assert parse_partial_date("2012-09-30") == (dt.date(2012, 9, 30), "day")
