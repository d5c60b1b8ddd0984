-- Concentration rows with their basis catalogue entry, for the report's concentration section.
-- Parameters: $segment (training | inference | all | NULL for every segment), $since (year or NULL).
SELECT c.segment, c.year, c.basis, b.kind, b.is_market_share, c.vendor_count, c.top_vendor_id,
       v.name AS top_vendor, c.cr1, c.cr1_low, c.cr1_high, c.cr4, c.hhi, c.hhi_low, c.hhi_high,
       c.effective_vendors, c.coverage_pct, b.coverage_meaning, c.coverage_note, c.is_partial, b.measure,
       b.scope, b.geography, b.source_id, b.draws, b.description
FROM segment_concentration c JOIN concentration_bases b USING (basis)
LEFT JOIN vendors v ON v.vendor_id = c.top_vendor_id
WHERE ($segment IS NULL OR c.segment = $segment) AND ($since IS NULL OR c.year >= $since)
ORDER BY c.segment, b.kind, c.basis, c.year
