-- Rows in one table of the store (the table name is bound, never pasted).
SELECT count(*) AS n FROM query_table($table)
