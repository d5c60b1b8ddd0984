-- How much of what shipped served inference, per year, for one shipped basis.
SELECT * FROM segment_split WHERE basis = $basis ORDER BY year
