-- title: Published vendor shares with their sources
SELECT m.year, m.scope, m.measure, v.name AS vendor, m.value, m.low, m.high, s.publisher, s.via, s.url
FROM market_estimates m
JOIN sources s USING (source_id)
LEFT JOIN vendors v USING (vendor_id)
WHERE m.measure IN ('unit_share_pct', 'revenue_share_pct')
ORDER BY m.year DESC, m.scope, m.value DESC
