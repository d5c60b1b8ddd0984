-- How many published vendor-share rows each segment has.
SELECT segment, count(*) AS n FROM market_estimates
WHERE list_contains($measures, measure) AND vendor_id IS NOT NULL
GROUP BY segment
