-- The vendor landscape: each vendor with its chips by positioning and the span of its launches.
-- Parameters: $since (year or NULL: count chips announced from then on, and vendors with one), $vendor (vendor_id or NULL).
SELECT v.vendor_id, v.name, v.country, v.kind, v.founded_year, p.name AS parent,
       count(c.chip_id) AS chips,
       count(c.chip_id) FILTER (WHERE c.segment = 'training') AS training_chips,
       count(c.chip_id) FILTER (WHERE c.segment = 'inference') AS inference_chips,
       count(c.chip_id) FILTER (WHERE c.segment = 'both') AS both_chips,
       min(c.year) AS first_year, max(c.year) AS latest_year
FROM vendors v
LEFT JOIN vendors p ON p.vendor_id = v.parent_vendor_id
LEFT JOIN chips c ON c.vendor_id = v.vendor_id AND ($since IS NULL OR c.year >= $since)
WHERE ($vendor IS NULL OR v.vendor_id = $vendor)
GROUP BY ALL
HAVING $vendor IS NOT NULL OR count(c.chip_id) > 0
ORDER BY chips DESC, v.name
