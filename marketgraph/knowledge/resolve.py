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
from dataclasses import dataclass
from itertools import accumulate, chain, compress

from ..store.db import Store

CASE_INSENSITIVE_MIN_LEN = 5


@dataclass(frozen=True)
class Mention:
    entity_kind: str
    entity_id: str
    matched_text: str
    start: int


# Text is read as tokens: runs of word characters and hyphens, and single other characters. An alias matches a
# run of tokens with the same spacing (a space between two alias words needs whitespace in the text, no space
# needs none), which is what the regex ``(?<![\w-])word\s+word(?![\w-])`` per alias used to say — in one pass.
_TOKEN = re.compile(r"(\s*)([\w-]+|[^\w\s-])")
_EDGE = re.compile(r"[\w-]")


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(token, whether whitespace precedes it) for each token of ``text``."""
    return [(m[2], bool(m[1])) for m in _TOKEN.finditer(text)]


class Resolver:
    """Finds entity mentions in text. Build it once per database with :meth:`from_store`.

    Matching is one pass over the text's tokens: each token is looked up in a dictionary of the aliases that
    start with it (lower-cased for aliases of five characters or more, exact for shorter ones), candidates are
    checked against the following tokens, and overlapping candidates are settled longest alias first (then
    leftmost), as the rules above say.
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
        # Two token tries, one per case rule: root[first token] -> node; node[(token, spaced)] -> node;
        # node[None] -> the alias keys that end there. A text token costs one dictionary lookup unless an
        # alias starts with it, and then only as many more as the alias matches ("NVIDIA" starts 100 chip names).
        self._exact: dict = {}
        self._folded: dict = {}
        for key in self._targets:
            alias = originals[key]
            toks = _tokens(alias)
            if not toks:
                continue
            folded = len(alias) >= CASE_INSENSITIVE_MIN_LEN
            node = (self._folded if folded else self._exact).setdefault(toks[0][0].lower() if folded else toks[0][0],
                                                                        {})
            for tok, spaced in toks[1:]:
                node = node.setdefault((tok.lower() if folded else tok, spaced), {})
            node.setdefault(None, []).append(key)

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
        # Lists built by C loops (findall, join/split, accumulate, compress): Python only touches the tokens that
        # start some alias.
        pairs = _TOKEN.findall(text)
        if not pairs:
            return []
        gaps, exact = [p[0] for p in pairs], [p[1] for p in pairs]
        n = len(exact)
        ends = list(accumulate(map(len, chain.from_iterable(pairs))))[1::2]  # end of each token
        spaced = list(map(bool, gaps))
        spaced[0] = False
        candidates = []  # (-len(key), first token, last token + 1, key)
        for root, words in ((self._exact, exact), (self._folded, None)):
            if words is None:
                words = "\x01".join(exact).lower().split("\x01") if len(exact) == n else exact
                if len(words) != n:  # a character whose lower case is \x01 cannot happen; stay safe anyway
                    words = [t.lower() for t in exact]
            starts = root.keys() & set(words)
            if not starts:
                continue
            for i in compress(range(n), map(starts.__contains__, words)):
                node = root[words[i]]
                j = i + 1
                while True:
                    keys = node.get(None)
                    if keys:
                        s, e = ends[i] - len(exact[i]), ends[j - 1]
                        # whole words: no word character or hyphen may touch either end
                        if not ((s > 0 and _EDGE.match(text, s - 1)) or (e < len(text) and _EDGE.match(text, e))):
                            candidates.extend((-len(key), i, j, key) for key in keys)
                    if j >= n:
                        break
                    node = node.get((words[j], spaced[j]))
                    if node is None:
                        break
                    j += 1
        candidates.sort()
        taken = bytearray(n)
        found: list[Mention] = []
        for _, i, j, key in candidates:
            if any(taken[i:j]):
                continue
            taken[i:j] = b"\1" * (j - i)
            start = ends[i] - len(exact[i])
            matched = text[start:ends[j - 1]]
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
