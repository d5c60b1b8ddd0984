-- The share bases segment_shares has rows for (the choices of `graph export --basis`).
SELECT DISTINCT basis FROM segment_shares ORDER BY basis
