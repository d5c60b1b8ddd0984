-- Published market figures with the vendor's name, for the report tables.
-- Parameters: $vendor (vendor_id or NULL), $since (year or NULL), $segment (training | inference | NULL: that
-- segment and 'all').
SELECT e.estimate_id, e.year, e.segment, e.scope, e.measure, v.name AS vendor, e.value, e.low, e.high, e.unit,
       e.geography, e.is_forecast, e.source_id
FROM market_estimates e LEFT JOIN vendors v ON v.vendor_id = e.vendor_id
WHERE ($vendor IS NULL OR e.vendor_id = $vendor) AND ($since IS NULL OR e.year >= $since)
  AND ($segment IS NULL OR e.segment IN ($segment, 'all'))
ORDER BY e.year, e.segment, e.scope, e.measure, e.vendor_id NULLS FIRST, e.estimate_id
