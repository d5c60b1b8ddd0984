-- The share bases that have concentration rows, for the methodology section.
SELECT b.basis, b.kind, b.is_market_share, b.measure, b.scope, b.geography, b.source_id, b.coverage_meaning,
       b.draws, b.description
FROM concentration_bases b WHERE EXISTS (SELECT 1 FROM segment_concentration c WHERE c.basis = b.basis)
ORDER BY b.kind, b.basis
