-- Every source behind the rows of one table (whole-row and per-field citations), for in-text references.
-- Parameters: $table (chips | vendors | events | market_estimates | segments).
SELECT subject_id, list(DISTINCT source_id ORDER BY source_id) AS source_ids
FROM citations WHERE subject_table = $table GROUP BY subject_id ORDER BY subject_id
