"""Every component id used by the dashboard, in one place, so pages and browser tests agree."""

NAV = "nav"

HOME_COUNTS = "home-counts"
HOME_BUILD = "home-build"
HOME_FINDINGS = "home-findings"

MARKET_BASIS = "market-basis"
MARKET_YEAR_A = "market-year-a"
MARKET_YEAR_B = "market-year-b"
MARKET_GRAPH = "market-graph"
MARKET_TREND = "market-trend"
MARKET_TABLE = "market-table"

CHIPS_SEGMENT = "chips-segment"
CHIPS_VENDOR = "chips-vendor"
CHIPS_DEPLOYMENT = "chips-deployment"
CHIPS_TABLE = "chips-table"
CHIPS_COUNT = "chips-count"

TIMELINE_KIND = "timeline-kind"
TIMELINE_VENDOR = "timeline-vendor"
TIMELINE_TABLE = "timeline-table"

SQL_INPUT = "sql-input"
SQL_RUN = "sql-run"
SQL_STATUS = "sql-status"
SQL_RESULT = "sql-result"

GRAPH_NODE = "graph-node"
GRAPH_SHOW = "graph-show"
GRAPH_SUMMARY = "graph-summary"
GRAPH_NEIGHBOURS = "graph-neighbours"
GRAPH_FROM = "graph-from"
GRAPH_TO = "graph-to"
GRAPH_PATH_RUN = "graph-path-run"
GRAPH_PATH = "graph-path"
