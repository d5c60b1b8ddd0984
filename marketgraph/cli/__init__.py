"""The ``marketgraph`` command: thin click groups over the Python API, one module per group of commands.

Commands are imported only when they are run or listed, so ``marketgraph --help`` and ``marketgraph sql``
start fast. Other packages add commands through the ``marketgraph.commands`` entry-point group (the dashboard
registers ``marketgraph dashboard`` that way), as sqlite-utils plugins do with ``register_commands``: the
library never imports them.
"""
from __future__ import annotations

import click

from .common import CatchingGroup

# command name -> "module:attribute" (relative to this package)
COMMANDS = {
    "build": "data:build", "sql": "data:sql", "info": "data:info", "schema": "data:schema", "check": "data:check",
    "ingest": "knowledge:ingest", "graph": "knowledge:graph",
    "metrics": "market:metrics_cmd", "findings": "market:findings", "whatif": "market:whatif",
    "import": "importers:import_group", "compare": "importers:compare_group",
    "report": "report:report", "export": "export:export",
}
PLUGIN_GROUP = "marketgraph.commands"

EPILOG = """\b
Examples:
  marketgraph build                       # rebuild the default database from the shipped data/
  marketgraph sql "select name, bf16_tflops from chips order by bf16_tflops desc limit 5"
  marketgraph info
  marketgraph schema --table chips
  marketgraph findings                    # what the data says, with numbers and sources
  marketgraph metrics --segment inference --basis products_announced_3y
  marketgraph whatif --segment all --year 2025 --merge amd aws
  marketgraph check                       # data checks on the built database
  marketgraph ingest data/cards/training-vs-inference.txt
  marketgraph graph show vendor:nvidia
  marketgraph graph export --format gexf --out marketgraph.gexf
  marketgraph import epoch-chip-counts DIR  # Epoch AI's chip-sales model -> data/shipments.csv
  marketgraph compare epoch-hardware FILE   # our chips vs Epoch AI's hardware table, field by field
  marketgraph report --format pdf --out market.pdf   # the market report (html, pdf, xlsx, md)
  marketgraph export --all --format parquet --out parquet/  # every table, full, with datapackage.json
  marketgraph import mlperf summary_results.json  # an MLPerf Inference round -> data/mlperf_results.csv
  marketgraph dashboard                   # http://127.0.0.1:8050
"""


class LazyGroup(CatchingGroup):
    """A group whose commands are imported on first use: the built-in ones and the entry-point plugins."""

    def _plugins(self) -> dict[str, object]:
        from importlib.metadata import entry_points

        return {ep.name: ep for ep in entry_points(group=PLUGIN_GROUP)}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self._plugins()})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            from importlib import import_module

            module, attr = COMMANDS[name].split(":")
            return getattr(import_module(f"{__name__}.{module}"), attr)
        ep = self._plugins().get(name)
        return ep.load() if ep is not None else None  # type: ignore[attr-defined]


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="marketgraph", message="%(prog)s %(version)s")
def main() -> None:
    """marketgraph: AI-accelerator market analytics and knowledge graph.

    Who dominates AI training hardware, how fast inference is diversifying, what accelerators exist and how
    they compare: curated, sourced data in DuckDB, queried with SQL.
    """
