-- Year-by-year vendor shares of one basis, per segment, for the vendor nodes of the graph export.
SELECT vendor_id, segment, year, share_pct FROM segment_shares WHERE basis = $basis ORDER BY vendor_id, segment, year
