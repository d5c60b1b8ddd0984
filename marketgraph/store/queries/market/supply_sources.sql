-- The sources of the supply links of chips shipped in a year.
SELECT DISTINCT l.source_id FROM supply_links l
WHERE l.chip_id IN (SELECT chip_id FROM shipments WHERE year(period_start) = $year)
ORDER BY 1
