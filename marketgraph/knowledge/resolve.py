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


class Resolver:
    """Finds entity mentions in text. Build it once per database with :meth:`from_store`."""

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
        self._targets = {k: v for k, v in implicit.items() if len(v) == 1}
        self._targets.update(chosen)
        aliases = sorted(self._targets, key=len, reverse=True)
        self._patterns = [(k, self._compile(originals[k])) for k in aliases]

    @staticmethod
    def _key(alias: str) -> str:
        return " ".join(alias.split()).casefold() if len(alias) >= CASE_INSENSITIVE_MIN_LEN else alias

    @staticmethod
    def _compile(alias: str) -> re.Pattern:
        words = [re.escape(w) for w in alias.split()]
        body = r"\s+".join(words)
        flags = re.IGNORECASE if len(alias) >= CASE_INSENSITIVE_MIN_LEN else 0
        return re.compile(rf"(?<![\w-]){body}(?![\w-])", flags)

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
        taken: list[tuple[int, int]] = []
        found: list[Mention] = []
        for key, pattern in self._patterns:
            for m in pattern.finditer(text):
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken):
                    continue
                taken.append((s, e))
                for kind, eid in sorted(self._targets[key]):
                    found.append(Mention(kind, eid, m.group(0), s))
        return sorted(found, key=lambda x: (x.start, x.entity_kind))
