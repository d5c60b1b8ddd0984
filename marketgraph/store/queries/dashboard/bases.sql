-- The share bases with the source of each published one and how many rows each has, for pickers and source
-- lines. Bases without rows are left out (a basis the model has not produced yet is no choice).
SELECT b.basis, b.kind, b.is_market_share, b.coverage_meaning, b.description, b.scope, b.measure,
       s.publisher, s.title, s.url,
       count(c.year) AS rows, list(DISTINCT c.segment ORDER BY c.segment) AS segments
FROM concentration_bases b
LEFT JOIN sources s USING (source_id)
JOIN segment_concentration c USING (basis)
GROUP BY ALL
ORDER BY b.basis
