-- Rows of $table whose $kind_column is $kind and whose $id_column names no row of $target (by its key $pk).
SELECT count(*) AS n
FROM (SELECT COLUMNS($kind_column) AS k, COLUMNS($id_column) AS i FROM query_table($table)) s
WHERE s.k = $kind
  AND NOT EXISTS (SELECT 1 FROM (SELECT COLUMNS($pk) AS i FROM query_table($target)) t WHERE t.i = s.i)
