-- A whole table for export, every row, sorted on all its columns so the same database gives the same file.
-- Parameters: $table (a table of the schema; the caller checks the name against the declaration).
SELECT * FROM query_table($table) ORDER BY ALL
