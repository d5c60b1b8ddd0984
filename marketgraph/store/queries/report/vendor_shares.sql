-- One vendor's share under every basis, with the interval and the basis catalogue entry, for a profile.
-- Parameters: $vendor (vendor_id), $since (year or NULL).
SELECT s.segment, s.year, s.basis, b.kind, b.is_market_share, b.measure, b.scope, b.geography, s.share_pct,
       s.share_low_pct, s.share_high_pct, c.coverage_pct, b.source_id
FROM segment_shares s JOIN concentration_bases b USING (basis)
JOIN segment_concentration c USING (segment, year, basis)
WHERE s.vendor_id = $vendor AND ($since IS NULL OR s.year >= $since)
ORDER BY b.kind, s.segment, s.basis, s.year
