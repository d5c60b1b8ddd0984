-- Whether a data file has anything on which DuckDB's CSV reader and Python's csv could part ways, read by DuckDB
-- (RE2 over the whole text is linear and fast; Python's re over a 100x file took seconds). read_text itself
-- fails on bytes that are not UTF-8. Doubtful: a NUL, a byte-order mark, a carriage return not before a line
-- feed, blanks before a field's opening quote or after a closing one (DuckDB trims them and reads the field as
-- quoted; Python keeps them and reads the quotes as text). The scan cannot tell quoted text from the rest, so it
-- also flags prose like `x, "y"` inside a quoted field (that file takes the Python path); it lets through
-- `, ""word`, how quoted prose quotes a word, which outside quotes DuckDB's strict reader rejects.
SELECT contains(content, chr(0))
       OR starts_with(content, chr(65279))
       OR regexp_matches(content, '\r([^\n]|$)')
       OR regexp_matches(content, '(^|[,\n])[ \t]+"([^"]|$|"$|"["\s,])')
       OR regexp_matches(content, '"[ \t]+(,|\r|\n|$)') AS doubtful
FROM read_text($path)
