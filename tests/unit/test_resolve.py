"""Entity resolution: deterministic, whole-word, longest-first, case rules for short names, no guessing."""
from __future__ import annotations

from marketgraph.knowledge.resolve import Resolver

NAMES = [
    ("NVIDIA", "vendor", "nvidia"), ("Google", "vendor", "google"), ("Meta", "vendor", "meta"),
    ("AMD", "vendor", "amd"), ("TPU v4", "chip", "google-tpu-v4"), ("Google TPU v4", "chip", "google-tpu-v4"),
    ("TPU", "family", "TPU"), ("Tesla", "vendor", "tesla"), ("Tesla", "family", "Tesla"),
    ("T4", "chip", "nvidia-tesla-t4"), ("Training", "segment", "training"),
]
EXPLICIT = [("Nvidia", "vendor", "nvidia"), ("TPUs", "family", "TPU"),
            ("Google's Tensor Processing Unit", "family", "TPU"), ("AlexNet", "event", "alexnet-imagenet-2012")]


def found(text, names=NAMES, explicit=EXPLICIT):
    return [(m.entity_kind, m.entity_id, m.matched_text) for m in Resolver(names, explicit).find(text)]


def test_longest_match_wins_and_no_overlap():
    assert found("Google TPU v4 pods") == [("chip", "google-tpu-v4", "Google TPU v4")]
    assert found("a TPU v4 and a TPU") == [("chip", "google-tpu-v4", "TPU v4"), ("family", "TPU", "TPU")]


def test_aliases_from_data_and_possessives():
    assert found("Nvidia's stronghold") == [("vendor", "nvidia", "Nvidia")]
    assert found("Google's Tensor Processing Unit and TPUs") == [
        ("family", "TPU", "Google's Tensor Processing Unit"), ("family", "TPU", "TPUs")]
    assert found("AlexNet (2012)") == [("event", "alexnet-imagenet-2012", "AlexNet")]


def test_long_names_ignore_case_short_names_do_not():
    assert found("nvidia and GOOGLE") == [("vendor", "nvidia", "nvidia"), ("vendor", "google", "GOOGLE")]
    assert found("meta-analysis of amd64 and t4 tables") == []
    assert found("Meta and AMD ship T4 cards") == [("vendor", "meta", "Meta"), ("vendor", "amd", "AMD"),
                                                    ("chip", "nvidia-tesla-t4", "T4")]
    # a hyphen joins words: "T4-class" is not the T4 itself
    assert found("T4-class parts") == []


def test_whole_words_only():
    assert found("Metadata about TPUv4x and Googlers") == []


def test_ambiguous_implicit_name_is_not_guessed():
    assert found("Tesla cars") == []
    # ... unless aliases.csv says which one is meant
    assert found("Tesla cars", explicit=EXPLICIT + [("Tesla", "vendor", "tesla")]) == [
        ("vendor", "tesla", "Tesla")]


def test_segment_names():
    assert found("training is costly") == [("segment", "training", "training")]


# ---------------------------------------------------------------- the one-pass matcher keeps the regex rules

import re  # noqa: E402

from conftest import REPO  # noqa: E402


def regex_find(names, explicit, text):
    """The previous implementation, one regex per alias, as the reference the one-pass matcher must equal."""
    implicit, chosen, originals = {}, {}, {}
    key = lambda a: " ".join(a.split()).casefold() if len(a) >= 5 else a  # noqa: E731
    for alias, kind, eid in names:
        alias = " ".join(alias.split())
        if len(alias) >= 2:
            implicit.setdefault(key(alias), set()).add((kind, eid))
            originals.setdefault(key(alias), alias)
    for alias, kind, eid in explicit:
        alias = " ".join(alias.split())
        chosen.setdefault(key(alias), set()).add((kind, eid))
        originals.setdefault(key(alias), alias)
    targets = {k: v for k, v in implicit.items() if len(v) == 1}
    targets.update(chosen)
    taken, out = [], []
    for k in sorted(targets, key=len, reverse=True):
        a = originals[k]
        body = r"\s+".join(re.escape(w) for w in a.split())
        pattern = re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE if len(a) >= 5 else 0)
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            out += [(kind, eid, m.group(0), s) for kind, eid in sorted(targets[k])]
    return sorted(out, key=lambda x: (x[3], x[0]))


def one_pass(names, explicit, text):
    return [(m.entity_kind, m.entity_id, m.matched_text, m.start) for m in Resolver(names, explicit).find(text)]


def test_one_pass_equals_the_regex_rules_on_edge_cases():
    names = NAMES + [("H100 SXM5 80GB", "chip", "h100"), ("Gaudi 2", "chip", "gaudi2"), ("MI300X", "chip", "mi"),
                     ("Ryzen AI 300+", "chip", "ryzen"), ("(TPU)", "family", "TPU"), ("x", "vendor", "x")]
    texts = ["TPU-based, TPUs, TPU. (TPU) TPU v4x TPU  v4 TPU\nv4", "nvidia NVIDIA Nvidia's nVidia",
             "amd AMD meta Meta t4 T4 tesla Tesla TESLA", "H100 SXM5 80GB vs h100 sxm5   80gb", "Gaudi 2's and Gaudi-2",
             "Ryzen AI 300+ and ryzen ai 300 +", "MI300X/MI300X_MI300X", "", "   ", "—TPU—", "über-TPU TPU_v4"]
    for text in texts:
        assert one_pass(names, EXPLICIT, text) == regex_find(names, EXPLICIT, text), text


def test_one_pass_equals_the_regex_rules_on_the_shipped_cards(shipped_db):
    from marketgraph.store.db import open_store

    with open_store(shipped_db) as store:
        names = store.tuples("knowledge/resolver_names")
        explicit = store.tuples("knowledge/resolver_aliases")
    for card in sorted((REPO / "data" / "cards").glob("*.txt")):
        text = card.read_text(encoding="utf-8")
        expected = regex_find(names, explicit, text)
        assert len(expected) > 10 and one_pass(names, explicit, text) == expected, card.name
