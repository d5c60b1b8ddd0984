-- Whether a table or view exists (pages show what another part of the build adds only once it is there).
-- Parameters: $relation.
SELECT count(*) > 0 AS present FROM duckdb_tables() WHERE table_name = $relation
UNION ALL
SELECT count(*) > 0 FROM duckdb_views() WHERE view_name = $relation
