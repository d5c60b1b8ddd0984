-- Rows of $table whose values in $columns repeat an earlier row's, NULLs counting as equal (as the Python loader
-- counts them; a UNIQUE constraint over nullable columns would treat NULLs as distinct, so the DDL has none).
SELECT count(*) - count(DISTINCT row(*COLUMNS(lambda c: list_contains($columns, c)))) AS n
FROM query_table($table)
