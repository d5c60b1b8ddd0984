-- severity: error
-- why: a range must bracket its point estimate, and percentages live in 0–100.
SELECT 'market_estimates' AS subject_table, estimate_id AS subject_id, 'value' AS field,
       'value ' || coalesce(value::VARCHAR, 'NULL') || ' is outside its range ' || coalesce(low::VARCHAR, '') || '–'
       || coalesce(high::VARCHAR, '') AS message
FROM market_estimates
WHERE (low IS NOT NULL AND high IS NOT NULL AND low > high)
   OR (value IS NOT NULL AND low IS NOT NULL AND value < low)
   OR (value IS NOT NULL AND high IS NOT NULL AND value > high)
UNION ALL
SELECT 'market_estimates', estimate_id, 'value', 'a ' || unit || ' figure of ' || coalesce(value, low, high)
       || ' is outside 0–100'
FROM market_estimates
WHERE unit = 'pct' AND (least(value, low, high) < 0 OR greatest(value, low, high) > 100)
UNION ALL
SELECT 'market_estimates', estimate_id, 'value', 'no value, low or high given'
FROM market_estimates WHERE value IS NULL AND low IS NULL AND high IS NULL
