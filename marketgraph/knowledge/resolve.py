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
        # first token -> [(tokens after it, spacing, key)], one index per case rule
        self._exact: dict[str, list[tuple[tuple, tuple, str]]] = {}
        self._folded: dict[str, list[tuple[tuple, tuple, str]]] = {}
        for key in self._targets:
            alias = originals[key]
            toks = _tokens(alias)
            if not toks:
                continue
            folded = len(alias) >= CASE_INSENSITIVE_MIN_LEN
            words = tuple(t.lower() if folded else t for t, _ in toks)
            spacing = tuple(sp for _, sp in toks[1:])
            (self._folded if folded else self._exact).setdefault(words[0], []).append((words[1:], spacing, key))

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
        spans = [(m.start(2), m.end(2)) for m in _TOKEN.finditer(text)]
        if not spans:
            return []
        exact = [text[s:e] for s, e in spans]
        lower = [t.lower() for t in exact]
        spaced = [i > 0 and spans[i][0] > spans[i - 1][1] for i in range(len(spans))]
        n = len(spans)
        candidates = []  # (-len(key), first token, last token + 1, key)
        for index, words in ((self._exact, exact), (self._folded, lower)):
            get = index.get
            for i in range(n):
                entries = get(words[i])
                if not entries:
                    continue
                for rest, spacing, key in entries:
                    j = i + 1 + len(rest)
                    if j > n:
                        continue
                    if rest and (tuple(words[i + 1:j]) != rest or tuple(spaced[i + 1:j]) != spacing):
                        continue
                    s, e = spans[i][0], spans[j - 1][1]
                    # whole words: no word character or hyphen may touch either end
                    if (s > 0 and _EDGE.match(text, s - 1)) or (e < len(text) and _EDGE.match(text, e)):
                        continue
                    candidates.append((-len(key), i, j, key))
        candidates.sort()
        taken = bytearray(n)
        found: list[Mention] = []
        for _, i, j, key in candidates:
            if any(taken[i:j]):
                continue
            taken[i:j] = b"\1" * (j - i)
            start = spans[i][0]
            matched = text[start:spans[j - 1][1]]
            for kind, eid in self._targets[key]:
                found.append(Mention(kind, eid, matched, start))
        return sorted(found, key=lambda x: (x.start, x.entity_kind))
