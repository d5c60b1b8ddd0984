-- The vendor shares behind one concentration row, with their p5–p95 intervals, largest first.
SELECT vendor_id, share_pct, share_low_pct, share_high_pct FROM segment_shares
WHERE segment = $segment AND year = $year AND basis = $basis
ORDER BY share_pct DESC, vendor_id
