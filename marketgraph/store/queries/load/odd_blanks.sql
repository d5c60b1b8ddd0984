-- Rows of staging table $table with a field that starts or ends in whitespace other than plain spaces (a tab, a
-- newline inside quotes, a no-break space …). DuckDB's trim() without a character list removes spaces only, and
-- fast; the loader uses it unless this finds a row, and otherwise trims every character str.strip() removes.
SELECT count(*) AS n
FROM query_table($table)
WHERE regexp_matches(concat_ws(chr(1), *COLUMNS(*)),
  '(^|\x01) *[\t\n\x0b\f\r\x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]|[\t\n\x0b\f\r\x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}] *($|\x01)')
