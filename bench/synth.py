"""Synthetic data at K times the shipped rows, for benchmarks: ``python bench/synth.py --scale K --out DIR``.

Every table of data/ (and data/cards/) is replicated K times. Replica ``i`` (1 … K-1) renames what must stay
unique — ids get ``-x<i>``, vendor and chip names, aliases and source URLs get `` x<i>`` — and points every
reference at the same replica, so foreign keys stay valid and the distributions (chips per vendor, citations
per chip, events per year, share estimates per scope) are the shipped ones. Segments and chip families are
shared by all replicas, as they would be in a bigger real market. Cards are the shipped cards with their
title and the vendor names in their text renamed to the replica's, so mentions resolve to replica entities
through the same rules. ``marketgraph build --data DIR`` accepts the result.

    python bench/synth.py --scale 10 --out /tmp/data-10x
    python bench/synth.py --cards 2000 --out /tmp/cards-2000     # only card files, for the ingest rate
    python bench/synth.py --big-card 10 --out /tmp/big            # one card of about 10 MB
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from marketgraph.paths import shipped_data_dir  # noqa: E402
from marketgraph.store.schema import DATA_TABLES, Table  # noqa: E402

SHARED = {"segments"}  # one market: every replica's chips are training or inference chips
# Columns that must stay unique across replicas but are not ids: (table, column).
RENAMED = {("vendors", "name"), ("chips", "name"), ("aliases", "alias"), ("sources", "url")}


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        return list(r.fieldnames or []), list(r)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _replica(t: Table, row: dict[str, str], i: int) -> dict[str, str]:
    """Row ``row`` of table ``t`` as it is in replica ``i`` (0 is the original)."""
    if i == 0:
        return row
    out = dict(row)
    tag = f"-x{i}"
    for c in t.columns:
        v = row.get(c.name)
        if not v:
            continue
        # Every single-column key is made unique, slug or not (mlperf result ids contain slashes).
        if c.name in t.primary_key and len(t.primary_key) == 1:
            out[c.name] = v + tag
        elif c.references and c.references.split(".")[0] not in SHARED:
            out[c.name] = v + tag
        elif (t.name, c.name) in RENAMED:
            out[c.name] = f"{v}#x{i}" if c.name == "url" else f"{v} x{i}"
    for p in t.polyrefs:
        target = p.targets.get(row.get(p.kind_column, ""))
        if target and target not in SHARED and row.get(p.id_column):
            out[p.id_column] = row[p.id_column] + tag
    if t.name == "aliases" and row["entity_kind"] == "family":
        out["entity_id"] = row["entity_id"]  # families are shared
    return out


def write_tables(src: Path, out: Path, k: int) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for t in DATA_TABLES:
        header, rows = _rows(src / t.csv)
        copies = 1 if t.name in SHARED else k
        data = [_replica(t, r, i) for i in range(copies) for r in rows
                # The default split (no vendor) is the market's, one per period: replicas would overlap it.
                if not (i and t.name == "segment_allocation" and not r.get("vendor_id"))]
        if t.name == "aliases":  # a family alias renamed per replica would name the same family k times
            seen, unique = set(), []
            for r in data:
                key = (r["alias"], r["entity_kind"], r["entity_id"])
                if key not in seen:
                    seen.add(key)
                    unique.append(r)
            data = unique
        _write(out / t.csv, header, data)
        counts[t.name] = len(data)
    return counts


def _vendor_renamer(src: Path, i: int):
    if i == 0:
        return lambda text: text
    _, vendors = _rows(src / "vendors.csv")
    names = sorted({v["name"] for v in vendors if len(v["name"]) >= 3}, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    return lambda text: pattern.sub(lambda m: f"{m[1]} x{i}", text)


def card_texts(src: Path, n: int) -> list[tuple[str, str]]:
    """``n`` cards: the shipped ones in turn, replica ``i`` titled ``<title> x<i>`` with its vendors renamed."""
    shipped = sorted((src / "cards").glob("*.txt"))
    out = []
    renamers: dict[int, object] = {}
    for j in range(n):
        card = shipped[j % len(shipped)]
        i = j // len(shipped)
        rename = renamers.setdefault(i, _vendor_renamer(src, i))
        lines = card.read_text(encoding="utf-8").split("\n")
        title = lines[0] if i == 0 else f"{lines[0]} x{i}"
        body = rename("\n".join(lines[1:]))  # type: ignore[operator]
        out.append((f"{card.stem}-x{i}.txt" if i else card.name, title + "\n" + body))
    return out


def write_cards(src: Path, out: Path, n: int) -> int:
    folder = out / "cards"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, text in card_texts(src, n):
        (folder / name).write_text(text, encoding="utf-8")
    return n


def big_card(src: Path, megabytes: float, seed: int = 7) -> str:
    """One valid card of about ``megabytes`` MB: the shipped card's head, then attributes, a dated timeline and
    related-topic sections built from the shipped cards' own sentences."""
    rng = random.Random(seed)
    text = (src / "cards" / "training-vs-inference.txt").read_text(encoding="utf-8")
    head = text.split("Referenced in", 1)[0].replace("Training vs Inference", "Large synthetic card", 1)
    # Prose sentences only: no bullets, which would start list items inside a value.
    sentences = [" ".join(s.split()) + "." for c in sorted((src / "cards").glob("*.txt"))
                 for s in c.read_text(encoding="utf-8").replace("\n", " ").split(". ")
                 if 40 < len(s) < 300 and "•" not in s and not s.lstrip().startswith(("-", "*"))]
    target = int(megabytes * 1_000_000)
    attrs, timeline, sections = [], [], []
    size = len(head)
    n = 0
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    while size < target:
        n += 1
        s = rng.choice(sentences)
        kind = n % 3
        if kind == 0:
            block = f"  • Attribute {n}\n\n    {s}\n"
            attrs.append(block)
        elif kind == 1:
            date = f"{rng.choice(months)} {rng.randint(2006, 2026)}" if n % 2 else str(rng.randint(2006, 2026))
            block = f"  • {s.rstrip('.')} (Source: Synthetic Source {n % 50})\n\n    {date}\n"
            timeline.append(block)
        else:
            block = f"Related topic {n}\n\n{s} {rng.choice(sentences)}\n"
            sections.append(block)
        size += len(block) + 1
    return (head + "Referenced in 3 Documents\nResearch Data\nExtracted Attributes\n" + "\n".join(attrs)
            + "\nTimeline\n" + "\n".join(timeline) + "\n" + "\n".join(sections))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=None, help="K: every table K times its shipped rows")
    ap.add_argument("--cards", type=int, default=None, help="write only this many card files to OUT/cards")
    ap.add_argument("--big-card", type=float, default=None, metavar="MB", help="write one card of about MB")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=None, help="source data folder (default: the shipped data)")
    args = ap.parse_args(argv)
    src = args.data or shipped_data_dir()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.big_card:
        (args.out / "large-synthetic-card.txt").write_text(big_card(src, args.big_card), encoding="utf-8")
        return 0
    if args.cards:
        write_cards(src, args.out, args.cards)
        return 0
    k = args.scale or 1
    counts = write_tables(src, args.out, k)
    counts["cards"] = write_cards(src, args.out, k * len(list((src / "cards").glob("*.txt"))))
    (args.out / "README.md").write_text(f"Synthetic data at {k}x the shipped rows (bench/synth.py).\n",
                                        encoding="utf-8")
    print(", ".join(f"{t} {n:,}" for t, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
