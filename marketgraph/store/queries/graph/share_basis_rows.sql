-- How many vendor shares a basis has (the graph export falls back to another basis when it has none).
SELECT count(*) FROM segment_shares WHERE basis = $basis
