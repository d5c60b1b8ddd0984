-- Published vendor shares with their central value: the point estimate, else the midpoint of the range.
-- $measures: the share measures to read (market.shares.SHARE_MEASURES).
SELECT m.estimate_id, m.segment, m.year, m.measure, m.scope, m.geography, m.source_id, m.is_forecast,
       m.vendor_id, m.value, m.low, m.high, m.period_note,
       coalesce(m.value, (m.low + m.high) / 2) AS share,
       s.publisher, s.via
FROM market_estimates m
JOIN sources s USING (source_id)
WHERE list_contains($measures, m.measure) AND m.vendor_id IS NOT NULL
  AND coalesce(m.value, (m.low + m.high) / 2) IS NOT NULL
ORDER BY m.segment, m.year, m.measure, m.scope, m.geography, m.source_id, m.is_forecast, m.vendor_id
