-- The default (no vendor) inference percentage for a year, with its range: the slider's starting point.
-- Parameters: $year.
SELECT inference_pct, inference_pct_low, inference_pct_high, source_id
FROM segment_allocation
WHERE vendor_id IS NULL AND $year BETWEEN year_from AND year_to
ORDER BY year_from DESC
LIMIT 1
