-- severity: error
-- why: vendor shares from one source for one year, segment, scope and measure cannot add up to more than
-- 100 %. One point of tolerance for the source's own rounding (98 % + 1 % + 1.5 % published as rounded).
SELECT 'market_estimates' AS subject_table, min(estimate_id) AS subject_id, 'value' AS field,
       'shares for ' || year || ' ' || segment || ' "' || scope || '" from ' || source_id || ' add up to '
       || round(sum(value), 2) || ' %' AS message
FROM market_estimates
WHERE measure IN ('revenue_share_pct', 'unit_share_pct') AND vendor_id IS NOT NULL AND value IS NOT NULL
GROUP BY year, segment, scope, measure, geography, source_id
HAVING sum(value) > 101
