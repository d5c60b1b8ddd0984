-- A data file as DuckDB's own CSV reader sees it: every field text, the header line skipped (the fast path
-- checked it), positional columns c1 … cN. The dialect is fixed and strict, so anything the Python reader would
-- treat differently (short or long rows, stray quotes) raises instead of being guessed at, and the build falls
-- back to the Python loader, which names the line.
SELECT *
FROM read_csv($path, header = false, skip = 1, columns = $columns, delim = ',', quote = '"', escape = '"',
              auto_detect = false, strict_mode = true, null_padding = false, allow_quoted_nulls = false)
