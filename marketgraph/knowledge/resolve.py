"""Names in free text → vendors, chips, chip families, segments and events.

Every entity is known by its id and its name (a chip also by "<vendor> <chip>"); data/aliases.csv adds other
names ("Nvidia", "TPUs", "Google's Tensor Processing Unit"). Matching is deterministic: longest alias first,
whole words only, no overlaps. Aliases of five characters or more match case-insensitively; shorter ones
("AMD", "T4", "Meta") must match case exactly, because lower-case short words ("meta", "t4") are mostly not
the company or the part. An alias that names two different entities without an entry in aliases.csv saying
which is ignored rather than guessed.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import ahocorasick

from ..store.db import Store

CASE_INSENSITIVE_MIN_LEN = 5


def _lower(text: str) -> str:
    """Lower case with the length kept (positions in the lowered text are positions in the text): the rare
    character whose lower case is longer ('İ') is kept as it is."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@dataclass(frozen=True)
class Mention:
    entity_kind: str
    entity_id: str
    matched_text: str
    start: int


# An alias matches where its words appear with any whitespace between them and no word character or hyphen
# touching either end: the regex ``(?<![\w-])word\s+word(?![\w-])`` per alias that this module used to run.
# Now one Aho-Corasick automaton per case rule finds every alias at once in the text with its whitespace runs
# collapsed to one space; the boundaries and overlaps are settled only at the hits.
_WHITESPACE = re.compile(r"\s+")
_EDGE = re.compile(r"[\w-]")


class Resolver:
    """Finds entity mentions in text. Build it once per database with :meth:`from_store`.

    Matching is one pass per case rule (``pyahocorasick``, in C): aliases of five characters or more are
    matched in the lower-cased text, shorter ones exactly; overlapping hits are settled longest alias first
    (then leftmost), as the rules above say.
    """

    def __init__(self, names: list[tuple[str, str, str]], explicit: list[tuple[str, str, str]] = ()):
        implicit: dict[str, set[tuple[str, str]]] = {}
        chosen: dict[str, set[tuple[str, str]]] = {}
        originals: dict[str, str] = {}
        for alias, kind, eid in names:
            alias = " ".join(alias.split())
            if len(alias) >= 2:
                implicit.setdefault(self._key(alias), set()).add((kind, eid))
                originals.setdefault(self._key(alias), alias)
        for alias, kind, eid in explicit:
            alias = " ".join(alias.split())
            chosen.setdefault(self._key(alias), set()).add((kind, eid))
            originals.setdefault(self._key(alias), alias)
        # aliases.csv decides for its own entries (and may name several entities on purpose); an implicit
        # name shared by two entities is ambiguous and dropped.
        self._targets = {k: sorted(v) for k, v in implicit.items() if len(v) == 1}
        self._targets.update({k: sorted(v) for k, v in chosen.items()})
        patterns: dict[bool, dict[str, list[str]]] = {False: {}, True: {}}
        for key in self._targets:
            alias = originals[key]
            folded = len(alias) >= CASE_INSENSITIVE_MIN_LEN
            patterns[folded].setdefault(_lower(alias) if folded else alias, []).append(key)
        self._automata = []
        for folded, table in patterns.items():
            if not table:
                continue
            automaton = ahocorasick.Automaton()
            for pattern, keys in table.items():
                automaton.add_word(pattern, (len(pattern), keys))
            automaton.make_automaton()
            self._automata.append((folded, automaton))

    @staticmethod
    def _key(alias: str) -> str:
        return " ".join(alias.split()).casefold() if len(alias) >= CASE_INSENSITIVE_MIN_LEN else alias

    @classmethod
    def from_store(cls, store: Store) -> "Resolver":
        return cls(store.tuples("knowledge/resolver_names"), store.tuples("knowledge/resolver_aliases"))

    def find(self, text: str) -> list[Mention]:
        """All non-overlapping mentions in ``text``, in order of appearance, longest alias first.

        >>> r = Resolver([("NVIDIA", "vendor", "nvidia"), ("H100 SXM5 80GB", "chip", "h100"),
        ...               ("Training", "segment", "training")], [("Nvidia", "vendor", "nvidia")])
        >>> [(m.entity_id, m.matched_text) for m in r.find("Nvidia's H100 SXM5 80GB leads training.")]
        [('nvidia', 'Nvidia'), ('h100', 'H100 SXM5 80GB'), ('training', 'training')]
        """
        if not text or not self._automata:
            return []
        # Collapse whitespace runs to one space; `shrink` maps a position back (bisect over the runs that shrank).
        norm = _WHITESPACE.sub(" ", text)
        cuts, shrink = [], []
        if len(norm) != len(text):
            total = 0
            for m in _WHITESPACE.finditer(text):
                lost = m.end() - m.start() - 1
                if lost:
                    total += lost
                    cuts.append(m.end() - total)  # first normalised position after this run
                    shrink.append(total)

        def original(k: int) -> int:
            i = bisect_right(cuts, k)
            return k + (shrink[i - 1] if i else 0)

        n = len(norm)
        candidates = []  # (-len(key), start, end, key), positions in `norm`
        for folded, automaton in self._automata:
            haystack = _lower(norm) if folded else norm
            for end, (length, keys) in automaton.iter(haystack):
                s, e = end + 1 - length, end + 1
                # whole words: no word character or hyphen may touch either end
                if (s > 0 and _EDGE.match(norm, s - 1)) or (e < n and _EDGE.match(norm, e)):
                    continue
                candidates.extend((-len(key), s, e, key) for key in keys)
        if not candidates:
            return []
        candidates.sort()
        taken = bytearray(n)
        found: list[Mention] = []
        for _, s, e, key in candidates:
            if any(taken[s:e]):
                continue
            taken[s:e] = b"\1" * (e - s)
            start, stop = original(s), original(e - 1) + 1
            matched = text[start:stop]
            for kind, eid in self._targets[key]:
                found.append(Mention(kind, eid, matched, start))
        return sorted(found, key=lambda x: (x.start, x.entity_kind))

    def find_many(self, texts: list[str]) -> list[list[Mention]]:
        """``[self.find(t) for t in texts]`` in one pass: the texts are joined by NUL, which no alias contains and
        no card may (the parser refuses it), so no match can span two texts.

        >>> r = Resolver([("NVIDIA", "vendor", "nvidia")])
        >>> [[m.start for m in ms] for ms in r.find_many(["NVIDIA", "", "and NVIDIA"])]
        [[0], [], [4]]
        """
        if any("\x00" in t for t in texts):
            return [self.find(t) for t in texts]
        out: list[list[Mention]] = [[] for _ in texts]
        starts, pos = [], 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        k = 0
        for m in self.find("\x00".join(texts)):
            while k + 1 < len(starts) and m.start >= starts[k + 1]:
                k += 1
            out[k].append(Mention(m.entity_kind, m.entity_id, m.matched_text, m.start - starts[k]))
        return out
