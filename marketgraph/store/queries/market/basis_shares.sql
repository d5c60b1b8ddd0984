-- The vendor shares behind one segment_concentration row, largest first.
SELECT vendor_id, share_pct FROM segment_shares
WHERE segment = $segment AND year = $year AND basis = $basis
ORDER BY share_pct DESC, vendor_id
