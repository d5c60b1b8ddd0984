-- The sources behind one calendar year of shipments.
SELECT DISTINCT source_id FROM shipments WHERE year(period_start) = $year ORDER BY source_id
