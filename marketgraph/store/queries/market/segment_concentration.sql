-- The whole concentration table (small: one row per segment, year and basis); filtered by the caller.
SELECT * FROM segment_concentration ORDER BY segment, basis, year
