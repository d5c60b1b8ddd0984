"""Adapters for external datasets, one module per format (OWID snapshots, PUDL extract steps).

Each reads the files as their publisher made them, maps names through data/ (aliases.csv, scoped to the
importer), writes curated rows with a citation to the exact version, reports what it could not map, and
replaces its own rows on a second run instead of duplicating them.
"""
