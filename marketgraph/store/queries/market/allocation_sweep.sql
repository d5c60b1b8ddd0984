-- The allocation sensitivity sweep for one year and basis.
SELECT * FROM allocation_sweep WHERE year = $year AND basis = $basis ORDER BY segment, setting
