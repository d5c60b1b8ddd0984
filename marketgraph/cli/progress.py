"""Progress on the terminal for long work (reports, exports): a rich bar on a TTY, nothing otherwise."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator


@contextmanager
def progress(description: str, total: int | None, quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """Yield ``step(label)``: advances the bar by one and shows ``label``. Quiet with ``--quiet`` or when stderr
    is not a terminal (a pipe, a log, CI), so scripted runs print only their result."""
    if quiet or not sys.stderr.isatty():
        yield lambda label: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               *([MofNCompleteColumn()] if total else []), TimeElapsedColumn()]
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(description, total=total)

        def step(label: str) -> None:
            bar.update(task, advance=1, description=f"{description}: {label}")

        yield step
