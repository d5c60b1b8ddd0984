-- DuckDB's own parse of a statement, as JSON: the guard walks it to refuse anything that is not a pure read.
SELECT json_serialize_sql($sql)
