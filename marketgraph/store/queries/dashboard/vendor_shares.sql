-- A vendor's share in every basis, segment and year it appears in. Parameters: $vendor_id.
SELECT s.basis, s.segment, s.year, s.share_pct, s.share_low_pct, s.share_high_pct, b.is_market_share
FROM segment_shares s JOIN concentration_bases b USING (basis)
WHERE s.vendor_id = $vendor_id
ORDER BY s.basis, s.segment, s.year
