"""MLCommons MLPerf Inference results (a round's ``summary_results.json``) → ``data/mlperf_results.csv``.

Read as MLCommons publishes it: a JSON list with one record per system, benchmark and scenario; ``version`` is
the round (v4.1), ``Category`` the division (closed/open), ``Availability`` the category (available/preview/
rdi), ``a#`` the accelerators per node (empty for CPU-only systems), ``weight_data_types`` self-reported.

The ``Accelerator`` string changes between rounds for the same part ("NVIDIA H100-SXM-80GB", "NVIDIA
H100-SXM5-80GB", "H100 SXM 80GB"), so it is normalised before any lookup (:func:`accelerator_parts`): vendor
and model are kept; memory size (80GB, 64G), power (750W), AMD partition modes (NPS1-SPX), packaging words
(Superchip, Grace Hopper) and release words (Preview, Slim, CTS) are not part of the identity. The form factor
(SXM, PCIe, NVL, OAM) is kept where it tells our SKUs apart and dropped where it does not. Lookup order, most
specific first: aliases with scope ``mlperf`` (and unscoped chip aliases), then our chip names normalised the
same way — with the memory size, then without it, then without the form factor, then without the vendor.
A form that fits several chips picks the base SKU when the others are its variants (``variant_of``) and
otherwise maps to none. Systems that name two accelerators ("NVIDIA H100-SXM-80GB, NVIDIA L40S") keep
chip_id NULL with a note, as do strings naming a chip we do not list.

A run replaces every row of its round and appends a source row for the round to sources.csv (once).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError, DataErrors
from ..store.load import read_table
from ..store.schema import ALIASES, CHIPS, MLPERF_RESULTS, SOURCES, VENDORS

SCOPE = "mlperf"
DIVISIONS = {"closed", "open", "network"}
CATEGORIES = {"available", "preview", "rdi"}
# Words that never tell two accelerators apart: packaging, generation nicknames, release stage.
NOISE_WORDS = {"gpu", "accelerator", "accelerators", "card", "module", "superchip", "grace", "hopper",
               "gracehopper", "preview", "slim", "cts", "tensor", "core", "instinct", "radeon", "geforce",
               "tesla", "datacenter", "data", "center"}
FORM_WORDS = {"sxm", "pcie", "nvl", "oam", "hhhl", "fhfl"}
_MEMORY = re.compile(r"\d+(?:\.\d+)?(?:gb|g|gib|tb)")
_POWER = re.compile(r"\d+(?:\.\d+)?w")
_PARTITION = re.compile(r"nps\d+|spx|dpx|qpx|cpx")
_SXM = re.compile(r"sxm\d?")
# Two accelerators in one string: "A, B", "A + B", "A & B", "A and B", "A / B" (spaced: "S4/S8" is one part).
_MIXED = re.compile(r",|;|\s\+\s|\s&\s|\sand\s|\s/\s", re.IGNORECASE)


def squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


@dataclass(frozen=True)
class Parts:
    vendor: str | None  # vendor_id when the string starts with a vendor's name
    model: tuple[str, ...]
    form: tuple[str, ...]
    memory: tuple[str, ...]

    def keys(self) -> list[tuple]:
        """Lookup keys, most specific first (see the module docstring)."""
        out = []
        for vendor in ((self.vendor, None) if self.vendor else (None,)):
            out += [(vendor, self.model, self.form, self.memory), (vendor, self.model, self.form, ()),
                    (vendor, self.model, (), ())]
        return list(dict.fromkeys(out))


def accelerator_parts(text: str, vendors: dict[str, str]) -> Parts:
    """Vendor, model, form-factor and memory tokens of an accelerator string or one of our chip names.

    ``vendors`` maps a squashed vendor name (``'untetherai'``) to its vendor_id.

    >>> p = accelerator_parts("AMD Instinct MI300X-NPS1-SPX-192GB-750W", {"amd": "amd"})
    >>> p.vendor, p.model, p.form, p.memory
    ('amd', ('mi300x',), (), ('192gb',))
    >>> accelerator_parts("Intel Habana Gaudi 2", {"intel": "intel", "habana": "habana"}).model
    ('gaudi2',)
    >>> accelerator_parts("NVIDIA H100-SXM-80GB", {"nvidia": "nvidia"}).keys()[1]
    ('nvidia', ('h100',), ('sxm',), ())
    """
    t = re.sub(r"\([^)]*\)", " ", text.casefold().replace("®", "").replace("™", ""))
    words = [w for w in re.split(r"[\s\-_/]+", t) if w]
    vendor = None
    stripped = True
    while stripped:  # "Intel Habana Gaudi2": every leading vendor name goes, the first one counts
        stripped = False
        for n in (3, 2, 1):  # "Untether AI", "UntetherAI", "NVIDIA"
            if len(words) > n and squash("".join(words[:n])) in vendors:
                vendor, words = vendor or vendors[squash("".join(words[:n]))], words[n:]
                stripped = True
                break
    model, form, memory = [], [], []
    for w in words:
        w = squash(w)
        if not w or w in NOISE_WORDS or _POWER.fullmatch(w) or _PARTITION.fullmatch(w):
            continue
        if _MEMORY.fullmatch(w):
            memory.append(w if w.endswith(("gb", "tb", "gib")) else w + "b")
        elif _SXM.fullmatch(w):
            form.append("sxm")
        elif w in FORM_WORDS:
            form.append(w)
        else:
            model.append(w)
    # The model is one word once spaces go: "Gaudi 2" and "Gaudi2", "speedAI240" and "speedAI 240" are one part.
    return Parts(vendor, ("".join(model),) if model else (), tuple(form), tuple(memory))


class AcceleratorMatcher:
    """Accelerator strings → chip ids, through aliases, then our chip names normalised like the strings."""

    def __init__(self, chips: list[dict[str, Any]], aliases: list[tuple[str, str]], vendors: dict[str, str]):
        self.vendors = vendors
        self._variant_of = {c["chip_id"]: c.get("variant_of") for c in chips}
        self._index: dict[tuple, set[str]] = {}
        for c in chips:
            parts = accelerator_parts(c["name"], vendors)
            parts = Parts(c["vendor_id"], parts.model, parts.form, parts.memory)
            for k in parts.keys():
                self._index.setdefault(k, set()).add(c["chip_id"])
        self._aliases: dict[str, str] = {}
        for alias, chip_id in aliases:  # later (scoped) entries override earlier (unscoped) ones
            self._aliases[squash(alias)] = chip_id

    def _base(self, hits: set[str]) -> str | None:
        """The one chip the others are variants of (H100 SXM5 for SXM5/PCIe/NVL), else None."""
        def ancestors(c: str) -> set[str]:
            seen = {c}
            while self._variant_of.get(c) and self._variant_of[c] not in seen:
                c = self._variant_of[c]
                seen.add(c)
            return seen
        common = set.intersection(*(ancestors(h) for h in hits)) & hits
        return next(iter(common)) if len(common) == 1 else None

    def match(self, accelerator: str) -> tuple[str | None, str | None]:
        """(chip_id, None) or (None, why not)."""
        text = " ".join(accelerator.split())
        if not text:
            return None, "no accelerator named (CPU-only system or not published)"
        if _MIXED.search(text):
            return None, f"mixed system: {text!r} names more than one accelerator"
        if squash(text) in self._aliases:
            return self._aliases[squash(text)], None
        parts = accelerator_parts(text, self.vendors)
        bare = squash("".join(parts.model + parts.form))  # an alias written without vendor or memory size
        if bare in self._aliases:
            return self._aliases[bare], None
        for k in parts.keys():
            hits = self._index.get(k)
            if hits:
                chip = next(iter(hits)) if len(hits) == 1 else self._base(hits)
                if chip:
                    return chip, None
                return None, f"{text!r} fits several chips ({', '.join(sorted(hits))}); add an alias"
        normal = " ".join(filter(None, [parts.vendor, *parts.model, *parts.form]))
        return None, f"{text!r} (normalised {normal!r}) names no chip in chips.csv"


# ---------------------------------------------------------------- reading the summary

def _number(v: Any) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    return float(v)


def read_summary(path: str | Path) -> list[dict[str, Any]]:
    path = Path(path)
    if not path.is_file():
        raise DataErrors([DataError(str(path), 1, 1, "file not found (give a round's summary_results.json)")])
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise DataErrors([DataError(str(path), e.lineno, e.colno, f"not JSON: {e.msg}")]) from None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DataErrors([DataError(str(path), 1, 1, "expected a JSON list of result records")])
    return data


REQUIRED = ("ID", "version", "Category", "Availability", "Submitter", "System", "Model", "Scenario",
            "Performance_Result", "Performance_Units")


_ID_LINE = re.compile(r'"ID"\s*:\s*"([^"]*)"')


def _id_lines(text: str) -> dict[str, int]:
    """Result id → the line its record starts on, for FILE:LINE messages (JSON records have no line numbers)."""
    lines: dict[str, int] = {}
    for i, line in enumerate(text.splitlines(), 1):
        for m in _ID_LINE.finditer(line):
            lines.setdefault(m.group(1), i)
    return lines


@dataclass
class MlperfImport:
    round: str
    rows: list[dict[str, Any]]
    replaced: int = 0
    closed_named: int = 0  # closed-division rows that name an accelerator
    closed_mapped: int = 0
    unmapped: Counter = field(default_factory=Counter)  # (accelerator, reason) -> rows, every division
    out: Path | None = None
    source_added: bool = False

    @property
    def closed_mapped_pct(self) -> float:
        return 100.0 * self.closed_mapped / self.closed_named if self.closed_named else 0.0


def source_row(round_: str, commit: str | None) -> dict[str, str]:
    repo = f"https://github.com/mlcommons/inference_results_{round_}"
    ref = f" at commit {commit}" if commit else ""
    return {
        "source_id": source_id(round_), "publisher": "MLCommons",
        "title": f"MLPerf Inference {round_} results (summary_results.json)",
        "url": f"{repo}/blob/{commit or 'main'}/summary_results.json",
        "accessed": dt.date.today().isoformat(), "published": "", "source_type": "dataset",
        "licence": "Apache-2.0", "via": "",
        "notes": f"The round's results summary{ref}: submitter, system, accelerator, accelerators per node, "
                 "benchmark, scenario and result per submission; imported by marketgraph import mlperf.",
    }


def source_id(round_: str) -> str:
    return f"mlcommons-inference-results-{round_.lower()}"


def convert(records: list[dict[str, Any]], path: Path, matcher: AcceleratorMatcher) -> MlperfImport:
    """Our rows for every record, or DataErrors naming each bad record."""
    id_lines = _id_lines(path.read_text(encoding="utf-8-sig"))
    errors: list[DataError] = []
    rounds = {str(r.get("version", "")) for r in records}
    if len(rounds) != 1 or not re.fullmatch(r"v\d+(\.\d+)*", next(iter(rounds), "")):
        errors.append(DataError(str(path), 1, 1, f"expected one round in 'version' (v4.1), found "
                                                 f"{', '.join(sorted(rounds)) or 'none'}"))
        raise DataErrors(errors)
    round_ = rounds.pop()
    report = MlperfImport(round_, [])
    seen: dict[str, int] = {}
    for i, r in enumerate(records, 1):
        line = id_lines.get(str(r.get("ID", "")), 1)
        missing = [k for k in REQUIRED if k not in r]
        if missing:
            errors.append(DataError(str(path), line, 1, f"record {i}: missing {', '.join(missing)}"))
            continue
        division, category = str(r["Category"]).lower(), str(r["Availability"]).lower()
        if division not in DIVISIONS:
            errors.append(DataError(str(path), line, 1, f"record {i} ({r['ID']}): Category {r['Category']!r} is "
                                                        f"not one of {', '.join(sorted(DIVISIONS))}"))
        if category not in CATEGORIES:
            errors.append(DataError(str(path), line, 1, f"record {i} ({r['ID']}): Availability "
                                                        f"{r['Availability']!r} is not one of "
                                                        f"{', '.join(sorted(CATEGORIES))}"))
        try:
            result = _number(r["Performance_Result"])
            per_node = _number(r.get("a#"))
            nodes = _number(r.get("Nodes"))
        except (TypeError, ValueError):
            errors.append(DataError(str(path), line, 1, f"record {i} ({r['ID']}): Performance_Result, a# or "
                                                        "Nodes is not a number"))
            continue
        if result is None:
            errors.append(DataError(str(path), line, 1, f"record {i} ({r['ID']}): no Performance_Result"))
            continue
        result_id = f"{r['ID']}/{r['Model']}/{r['Scenario']}"
        if result_id in seen:
            errors.append(DataError(str(path), line, 1, f"record {i}: {result_id} appears twice (first in record "
                                                        f"{seen[result_id]})"))
            continue
        seen[result_id] = i
        accelerator = " ".join(str(r.get("Accelerator") or "").split())
        chip_id, why = matcher.match(accelerator)
        if division == "closed" and accelerator:
            report.closed_named += 1
            report.closed_mapped += chip_id is not None
        if chip_id is None and accelerator:
            report.unmapped[(accelerator, why)] += 1
        report.rows.append({
            "result_id": result_id, "round": round_, "suite": r.get("Suite") or None, "division": division,
            "category": category, "submitter": str(r["Submitter"]), "system": str(r["System"]),
            "accelerator": accelerator or None, "chip_id": chip_id, "accelerators_per_node": per_node,
            "nodes": None if nodes is None else int(nodes), "benchmark": str(r["Model"]),
            "scenario": str(r["Scenario"]), "result": result, "result_units": str(r["Performance_Units"]),
            "weight_data_types": r.get("weight_data_types") or None, "source_id": source_id(round_),
            "notes": why,
        })
    if errors:
        raise DataErrors(errors)
    return report


# ---------------------------------------------------------------- writing data/

def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(int(v)) if v.is_integer() else repr(v)
    return str(v)


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)


def _matcher(data_dir: Path) -> AcceleratorMatcher:
    errors: list[DataError] = []
    tables = {t.name: read_table(t, data_dir / t.csv, str(data_dir / t.csv), errors) for t in (CHIPS, VENDORS,
                                                                                             ALIASES)}
    if errors:
        raise DataErrors(errors)
    vendors: dict[str, str] = {}
    for v in tables["vendors"].rows:
        vendors[squash(v["name"])] = v["vendor_id"]
        vendors[squash(v["vendor_id"])] = v["vendor_id"]
    aliases = tables["aliases"].rows
    for a in aliases:
        if a["entity_kind"] == "vendor" and a.get("scope") in (None, SCOPE):
            vendors.setdefault(squash(a["alias"]), a["entity_id"])
    chip_aliases = [(a["alias"], a["entity_id"]) for a in sorted(aliases, key=lambda a: a.get("scope") is not None)
                    if a["entity_kind"] == "chip" and a.get("scope") in (None, SCOPE)]
    return AcceleratorMatcher(tables["chips"].rows, chip_aliases, vendors)


def import_mlperf(path: str | Path, data_dir: str | Path, commit: str | None = None) -> MlperfImport:
    """Replace ``round``'s rows of ``data_dir/mlperf_results.csv`` with those of the summary at ``path``."""
    path, data_dir = Path(path), Path(data_dir)
    if not (data_dir / "chips.csv").is_file():
        raise DataErrors([DataError(str(data_dir), 1, 1, "not a marketgraph data folder (no chips.csv); pass --data")])
    if commit is not None and not re.fullmatch(r"[0-9a-f]{7,40}", commit):
        raise DataErrors([DataError("--commit", 1, 1, f"{commit!r} is not a git commit id")])
    report = convert(read_summary(path), path, _matcher(data_dir))

    out = data_dir / MLPERF_RESULTS.csv
    columns = [c.name for c in MLPERF_RESULTS.file_columns]
    kept: list[list[str]] = []
    if out.is_file():
        with out.open(encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                if r.get("round") == report.round:
                    report.replaced += 1
                else:
                    kept.append([r.get(c, "") for c in columns])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows(kept)
    w.writerows([_cell(r[c]) for c in columns] for r in report.rows)
    _write_atomically(out, buf.getvalue())
    report.out = out

    sources = data_dir / SOURCES.csv
    text = sources.read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    if source_id(report.round) not in {r["source_id"] for r in csv.DictReader(io.StringIO(text))}:
        row = source_row(report.round, commit)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow([row.get(h, "") for h in header])
        _write_atomically(sources, text + ("" if text.endswith("\n") else "\n") + buf.getvalue())
        report.source_added = True
    return report
