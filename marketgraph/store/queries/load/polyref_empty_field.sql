-- Rows of $table that cite column $field of a $target row (of kind $kind) whose $field is empty.
SELECT count(*) AS n
FROM (SELECT COLUMNS($kind_column) AS k, COLUMNS($id_column) AS i, COLUMNS($field_column) AS f
      FROM query_table($table)) s
JOIN (SELECT COLUMNS($pk) AS i, COLUMNS($field) AS v FROM query_table($target)) t ON t.i = s.i
WHERE s.k = $kind AND s.f = $field AND t.v IS NULL
