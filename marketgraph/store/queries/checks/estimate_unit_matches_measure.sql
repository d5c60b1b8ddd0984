-- severity: error
-- why: a measure fixes its unit; a mismatch means the figure was typed into the wrong row.
SELECT 'market_estimates' AS subject_table, estimate_id AS subject_id, 'unit' AS field,
       'measure ' || measure || ' needs unit ' ||
       CASE WHEN measure LIKE '%_pct' THEN 'pct' WHEN measure LIKE '%_usd' THEN 'usd' ELSE 'units' END AS message
FROM market_estimates
WHERE unit <> CASE WHEN measure LIKE '%_pct' THEN 'pct' WHEN measure LIKE '%_usd' THEN 'usd' ELSE 'units' END
