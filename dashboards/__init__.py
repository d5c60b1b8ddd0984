"""The marketgraph Dash dashboard: an app factory and one module per page."""
