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
