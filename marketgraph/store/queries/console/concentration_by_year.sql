-- title: Concentration per segment and year, one basis
SELECT segment, year, basis, top_vendor_id, round(cr1, 1) AS cr1, round(hhi) AS hhi, coverage_pct
FROM segment_concentration
WHERE basis = 'products_announced_3y'
ORDER BY segment, year
