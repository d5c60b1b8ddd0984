"""Every error a user can cause, in one hierarchy.

The CLI catches :class:`MarketgraphError` (and only it): it prints the message and exits 1, without a
traceback. Anything else that escapes is a bug and keeps its traceback. Messages name what was wrong and where
(``FILE:LINE:COLUMN`` for data, the statement for SQL, the name for a lookup) and, where one exists, the fix.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


class MarketgraphError(Exception):
    """Base of every error a user can cause; ``str()`` is the whole message."""


# ---------------------------------------------------------------- data files and cards

@dataclass(frozen=True, order=True)
class DataError:
    """One problem in a data file, located for the user (a record, not an exception: see DataErrors)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class DataErrors(MarketgraphError):
    """Every validation problem found at once; ``str()`` gives one ``FILE:LINE:COLUMN: message`` per line."""

    def __init__(self, errors: Iterable[DataError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True, order=True)
class CardProblem:
    """One problem in a knowledge card. Cards are line-oriented, so there is no column."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class CardError(MarketgraphError, ValueError):
    """Every problem found in a card; ``str()`` gives one ``FILE:LINE: message`` per line."""

    def __init__(self, problems: Iterable[CardProblem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def utf8_error_position(raw: bytes, error: UnicodeDecodeError) -> tuple[int, int]:
    """(line, column), both from 1, of the first byte that is not UTF-8 — for files and cards alike."""
    line = raw[: error.start].count(b"\n") + 1
    column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
    return line, column


# ---------------------------------------------------------------- the database

class DatabaseMissing(MarketgraphError):
    """The database file does not exist (only the default one is built on first use)."""


class DatabaseUnusable(MarketgraphError):
    """The database file exists but cannot be opened or written: not a DuckDB file, a folder, no permission,
    disk full."""


# ---------------------------------------------------------------- SQL from users

class UnsafeQuery(MarketgraphError, ValueError):
    """SQL that was not run to completion; the subclass says why and the message quotes the statement."""


class QueryRefused(UnsafeQuery):
    """The statement is not allowed: not a single read-only SELECT, too long, or a bad payload."""


class QueryFailed(UnsafeQuery):
    """The statement was allowed but DuckDB reported an error (a typo, an unknown column, a limit reached)."""


class QueryTimeout(UnsafeQuery):
    """The statement ran past its time limit and was stopped."""


# ---------------------------------------------------------------- names

class UnknownName(MarketgraphError, LookupError):
    """A name the user gave matches nothing, or more than one thing: a graph node, a vendor, a basis, a named
    query, a table. The message lists what would have matched."""


class InvalidArgument(MarketgraphError, ValueError):
    """A value the user gave is out of range or inconsistent (a what-if share above the market's total, a year
    with no data, two options that exclude each other)."""


__all__ = ["InvalidArgument", "MarketgraphError", "DataError", "DataErrors", "CardProblem", "CardError", "DatabaseMissing",
           "DatabaseUnusable", "UnsafeQuery", "QueryRefused", "QueryFailed", "QueryTimeout", "UnknownName",
           "utf8_error_position"]
