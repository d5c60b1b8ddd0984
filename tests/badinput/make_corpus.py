"""Writes the bad-input corpus (run once; the files it writes are committed): ``python tests/badinput/make_corpus.py``.

Each data case is one file of tests/fixtures/tiny with one defect, in ``data/<case>/<file>``; each card case is
one or more card files in ``cards/<case>/``. ``cases.csv`` says, per case, what must happen: ``refuse`` with a
``FILE:LINE[:COLUMN]`` location and a piece of the message, ``accept``, or ``replace`` (a re-ingest refused
without ``--replace`` and accepted with it). The expectations are written here by hand, not recorded from a run.
"""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TINY = REPO / "tests" / "fixtures" / "tiny"
SEED = REPO / "data" / "cards" / "training-vs-inference.txt"

CASES: list[dict[str, str]] = []


def rows(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((TINY / name).read_text(encoding="utf-8"), newline="")))


def render(table: list[list[str]], newline: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(table)
    return out.getvalue()


def data_case(case: str, name: str, content: str | bytes, expect: str, where: str = "", message: str = "") -> None:
    folder = HERE / "data" / case
    folder.mkdir(parents=True)
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    CASES.append({"case": case, "kind": "data", "expect": expect, "where": where, "message": message})


def edit(name: str, line: int, column: str, value: str) -> str:
    """The tiny file ``name`` with the cell at ``line`` (1 = header) and ``column`` set to ``value``."""
    table = rows(name)
    table[line - 1][table[0].index(column)] = value
    return render(table)


def append(name: str, *lines: str) -> str:
    text = (TINY / name).read_text(encoding="utf-8")
    return text + "".join(line + "\n" for line in lines)


def col(name: str, column: str) -> int:
    return rows(name)[0].index(column) + 1


def card_case(case: str, cards: dict[str, str | bytes], expect: str, where: str = "", message: str = "") -> None:
    folder = HERE / "cards" / case
    folder.mkdir(parents=True)
    for name, text in cards.items():
        (folder / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    CASES.append({"case": case, "kind": "cards", "expect": expect, "where": where, "message": message})


def main() -> None:
    for sub in ("data", "cards"):
        shutil.rmtree(HERE / sub, ignore_errors=True)
    pred, var, parent = col("chips.csv", "predecessor_id"), col("chips.csv", "variant_of"), col("vendors.csv",
                                                                                               "parent_vendor_id")
    # ---- lineage and ownership loops: a raw ConstraintException before issue 13
    data_case("self-predecessor", "chips.csv", edit("chips.csv", 3, "predecessor_id", "google-tpu-v4"),
              "refuse", f"chips.csv:3:{pred}", "is its own predecessor")
    t = rows("chips.csv")
    t[1][pred - 1], t[2][pred - 1] = "google-tpu-v4", "nvidia-h100-sxm5-80gb"
    data_case("predecessor-cycle", "chips.csv", render(t), "refuse", f"chips.csv:2:{pred}", "predecessor cycle")
    data_case("self-variant", "chips.csv", edit("chips.csv", 2, "variant_of", "nvidia-h100-sxm5-80gb"),
              "refuse", f"chips.csv:2:{var}", "is its own variant of")
    t = rows("vendors.csv")
    t[1][parent - 1], t[2][parent - 1] = "nvidia", "google"
    data_case("vendor-parent-cycle", "vendors.csv", render(t), "refuse", f"vendors.csv:2:{parent}",
              "parent vendor cycle")
    data_case("vendor-own-parent", "vendors.csv", edit("vendors.csv", 3, "parent_vendor_id", "nvidia"),
              "refuse", f"vendors.csv:3:{parent}", "is its own parent vendor")
    # ---- NUL, encodings, byte-level shapes
    data_case("nul-in-cell", "chips.csv", edit("chips.csv", 3, "segment_note", "Designed\x00for training"),
              "refuse", f"chips.csv:3:{col('chips.csv', 'segment_note')}", "NUL character")
    data_case("nul-in-id", "vendors.csv", edit("vendors.csv", 2, "name", "Goo\x00gle"), "refuse",
              "vendors.csv:2:2", "NUL character")
    data_case("latin1", "vendors.csv", append("vendors.csv", "").encode("utf-8")
              + "acme,Acme Société,FR,startup,,,,,\n".encode("latin-1"), "refuse", "vendors.csv:5:",
              "not valid UTF-8")
    data_case("utf16", "segments.csv", (TINY / "segments.csv").read_text(encoding="utf-8").encode("utf-16"),
              "refuse", "segments.csv:1:1", "not valid UTF-8")
    data_case("empty-file", "segments.csv", b"", "refuse", "segments.csv:1:1", "file is empty")
    data_case("header-only-leaf", "shipments.csv", rows("shipments.csv")[0] and render(rows("shipments.csv")[:1]),
              "accept")
    data_case("bom", "vendors.csv", b"\xef\xbb\xbf" + (TINY / "vendors.csv").read_bytes(), "accept")
    data_case("crlf", "chips.csv", render(rows("chips.csv"), "\r\n"), "accept")
    data_case("bom-crlf", "events.csv", b"\xef\xbb\xbf" + render(rows("events.csv"), "\r\n").encode(), "accept")
    data_case("blank-lines", "citations.csv", append("citations.csv", "", "", ""), "accept")
    data_case("no-final-newline", "segments.csv", (TINY / "segments.csv").read_text(encoding="utf-8").rstrip("\n"),
              "accept")
    # ---- quoting: one cause, not a page of follow-on errors
    text = (TINY / "chips.csv").read_text(encoding="utf-8").split("\n")
    text[1] = text[1].replace("Marketed for training and inference", '"Marketed for training and inference')
    data_case("unbalanced-quote", "chips.csv", "\n".join(text), "refuse", "chips.csv:2:", "never closed")
    data_case("unterminated-quote-at-end", "events.csv",
              append("events.csv", 'x-event,2020,"An unterminated title,research,desc'), "refuse", "events.csv:3:1",
              "malformed CSV")
    data_case("quote-inside-field", "vendors.csv", append("vendors.csv", 'acme,Ac"me,US,startup,,,,,'), "accept")
    # ---- types, ranges, choices, ids
    data_case("wrong-type-number", "chips.csv", edit("chips.csv", 2, "tdp_w", "hot"), "refuse",
              f"chips.csv:2:{col('chips.csv', 'tdp_w')}", "'hot' is not a number")
    data_case("wrong-type-integer", "vendors.csv", edit("vendors.csv", 2, "founded_year", "1998.5"), "refuse",
              f"vendors.csv:2:{col('vendors.csv', 'founded_year')}", "not a whole number")
    data_case("infinite-number", "chips.csv", edit("chips.csv", 2, "memory_gb", "inf"), "refuse",
              f"chips.csv:2:{col('chips.csv', 'memory_gb')}", "not a finite number")
    data_case("nan-number", "chips.csv", edit("chips.csv", 2, "memory_gb", "nan"), "refuse",
              f"chips.csv:2:{col('chips.csv', 'memory_gb')}", "not a finite number")
    data_case("below-minimum", "chips.csv", edit("chips.csv", 2, "tdp_w", "-700"), "refuse",
              f"chips.csv:2:{col('chips.csv', 'tdp_w')}", "below the minimum")
    data_case("above-maximum", "vendors.csv", edit("vendors.csv", 2, "founded_year", "3000"), "refuse",
              f"vendors.csv:2:{col('vendors.csv', 'founded_year')}", "above the maximum")
    data_case("bad-date", "chips.csv", edit("chips.csv", 2, "announced", "2022-13-45"), "refuse",
              f"chips.csv:2:{col('chips.csv', 'announced')}", "not a valid date")
    data_case("bad-date-words", "chips.csv", edit("chips.csv", 2, "announced", "March 2022"), "refuse",
              f"chips.csv:2:{col('chips.csv', 'announced')}", "is not a date")
    data_case("bad-date-month-zero", "events.csv", edit("events.csv", 2, "event_date", "2012-00"), "refuse",
              "events.csv:2:2", "not a valid date")
    data_case("bad-full-date", "sources.csv", edit("sources.csv", 2, "accessed", "27/11/2026"), "refuse",
              f"sources.csv:2:{col('sources.csv', 'accessed')}", "not a date")
    data_case("bad-choice", "chips.csv", edit("chips.csv", 2, "segment", "gaming"), "refuse",
              f"chips.csv:2:{col('chips.csv', 'segment')}", "not one of training, inference, both")
    data_case("bad-slug", "vendors.csv", edit("vendors.csv", 2, "vendor_id", "Google Inc"), "refuse",
              "vendors.csv:2:1", "not a lowercase id")
    data_case("required-missing", "chips.csv", edit("chips.csv", 2, "name", ""), "refuse", "chips.csv:2:3",
              "a value is required")
    data_case("required-whitespace", "chips.csv", edit("chips.csv", 2, "family", "   "), "refuse",
              "chips.csv:2:4", "a value is required")
    data_case("unknown-vendor", "chips.csv", edit("chips.csv", 3, "vendor_id", "acme"), "refuse",
              "chips.csv:3:2", "unknown vendor 'acme'")
    data_case("unknown-source", "citations.csv", append("citations.csv", "chips,google-tpu-v4,,no-such-source,"),
              "refuse", "citations.csv:5:4", "unknown source")
    data_case("unknown-subject", "citations.csv", append("citations.csv", "chips,no-such-chip,,google-cloud-tpu-v4,"),
              "refuse", "citations.csv:5:2", "no-such-chip")
    data_case("unknown-field", "citations.csv", append("citations.csv", "chips,google-tpu-v4,warp,google-cloud-tpu-v4,"),
              "refuse", "citations.csv:5:3", "no column 'warp'")
    data_case("unknown-event", "event_entities.csv", append("event_entities.csv", "no-such-event,vendor,nvidia"),
              "refuse", "event_entities.csv:4:1", "unknown event")
    data_case("unknown-entity", "event_entities.csv",
              append("event_entities.csv", "alexnet-imagenet-2012,chip,no-such-chip"), "refuse",
              "event_entities.csv:4:3", "no-such-chip")
    data_case("duplicate-key", "vendors.csv", append("vendors.csv", "google,Google Again,US,hyperscaler,,,,,"),
              "refuse", "vendors.csv:4:1", "duplicate vendor_id='google' (first at line 2)")
    t = rows("chips.csv")
    t.append(list(t[2]))
    t[3][0] = "google-tpu-v4-copy"
    data_case("duplicate-unique", "chips.csv", render(t), "refuse", "chips.csv:4:2", "duplicate vendor_id='google'")
    data_case("duplicate-citation", "citations.csv", append("citations.csv", "chips,google-tpu-v4,,google-cloud-tpu-v4,"),
              "refuse", "citations.csv:5:1", "duplicate")
    # ---- header and row shapes
    t = rows("segments.csv")
    t[0][1] = "title"
    data_case("unknown-column", "segments.csv", render(t), "refuse", "segments.csv:1:2", "unknown column 'title'")
    t = [r[:2] for r in rows("segments.csv")]
    data_case("missing-required-column", "segments.csv", render(t), "refuse", "segments.csv:1:3",
              "required column 'description' is missing")
    t = rows("vendors.csv")
    t = [r + [r[1]] for r in t]
    data_case("duplicate-column", "vendors.csv", render(t), "refuse", f"vendors.csv:1:{len(t[0])}", "appears twice")
    data_case("too-few-fields", "vendors.csv", append("vendors.csv", "acme,Acme,US"), "refuse", "vendors.csv:4:4",
              "expected 9 fields, found 3")
    data_case("too-many-fields", "vendors.csv", append("vendors.csv", "acme,Acme,US,startup,,,,,,extra"), "refuse",
              "vendors.csv:4:10", "expected 9 fields, found 10")
    t = rows("events.csv")
    t = [r + (["year"] if i == 0 else ["2012"]) for i, r in enumerate(t)]
    data_case("derived-column", "events.csv", render(t), "refuse", "events.csv:1:6", "computed by the loader")

    # ---- cards
    seed = SEED.read_text(encoding="utf-8")
    lines = seed.split("\n")
    summary = lines.index("Summary")
    cut = seed[: int(len(seed) * 0.3)]
    cut = cut[: cut.rfind("\n  • ") + 1]  # a valid card, as a cut-off export looks: whole items, then nothing
    card_case("card-cut-at-30-percent", {"training-vs-inference.txt": cut}, "replace", "training-vs-inference.txt:1",
              "would empty its timeline")
    bad = list(lines)
    bad[summary + 2] = bad[summary + 2][:40] + "\x00" + bad[summary + 2][40:]
    card_case("card-nul", {"nul.txt": "\n".join(bad)}, "refuse", f"nul.txt:{summary + 3}", "NUL character")
    card_case("card-two-with-one-title", {"a.txt": seed, "b.txt": seed.replace("Summary\n\n", "Summary\n\nAlso. ", 1)},
              "refuse", "b.txt:1", "is already in this run")
    neg = [("Referenced in -3 Documents" if line.startswith("Referenced in") else line) for line in lines]
    card_case("card-negative-document-count", {"neg.txt": "\n".join(neg)}, "refuse",
              f"neg.txt:{[i for i, l in enumerate(lines) if l.startswith('Referenced in')][0] + 1}", "whole number")
    card_case("card-empty", {"empty.txt": ""}, "refuse", "empty.txt:1", "the file is empty")
    card_case("card-title-only", {"title.txt": "Just a title\n"}, "refuse", "title.txt:1", "no 'Topic' heading")
    card_case("card-not-utf8", {"latin1.txt": seed.replace("Training vs Inference", "Entraînement", 1).encode("latin-1",
                                                                                                          "replace")},
              "refuse", "latin1.txt:1", "not valid UTF-8")
    dup = seed.replace("Research Data\n", "Research Data\nSummary\n\nAgain.\n\n", 1)
    card_case("card-duplicate-heading", {"dup.txt": dup}, "refuse", "dup.txt:", "appears again")
    ts = seed.replace("10/1/2025, 4:09:39 AM", "yesterday", 1)
    card_case("card-bad-timestamp", {"ts.txt": ts}, "refuse", "ts.txt:", "is not a timestamp")
    card_case("card-crlf", {"crlf.txt": seed.replace("\n", "\r\n")}, "accept")
    card_case("card-bom", {"bom.txt": "\ufeff" + seed}, "accept")
    revised = seed.replace("Find patterns in data and tune parameters until prediction error is low enough.",
                           "Find patterns in data and tune the parameters until the error is low enough.")
    card_case("card-revised-a-few-rows", {"training-vs-inference.txt": revised}, "accept")
    (HERE / "cases.csv").write_text(render([["case", "kind", "expect", "where", "message"]]
                                           + [[c[k] for k in ("case", "kind", "expect", "where", "message")]
                                              for c in CASES]), encoding="utf-8")
    print(f"{len(CASES)} cases")


if __name__ == "__main__":
    main()
