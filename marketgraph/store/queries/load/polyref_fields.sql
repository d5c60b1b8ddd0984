-- The column names $table's $field_column cites in rows whose $kind_column is $kind.
SELECT DISTINCT COLUMNS($field_column) AS f
FROM query_table($table)
WHERE COLUMNS($kind_column) = $kind AND COLUMNS($field_column) IS NOT NULL
