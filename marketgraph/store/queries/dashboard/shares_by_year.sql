-- Every vendor's share of one segment under one basis, every year (the stacked-area chart and its CSV).
-- Parameters: $basis, $segment.
SELECT s.year, s.vendor_id, v.name AS vendor, s.share_pct, s.share_low_pct, s.share_high_pct
FROM segment_shares s LEFT JOIN vendors v USING (vendor_id)
WHERE s.basis = $basis AND s.segment = $segment
ORDER BY s.year, s.share_pct DESC, s.vendor_id
