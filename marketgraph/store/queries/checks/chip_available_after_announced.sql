-- severity: error
-- why: availability cannot precede announcement. Dates are compared at the coarser of the two precisions,
-- because a year-precision date is stored as 1 January of that year.
WITH d AS (
  SELECT chip_id, announced, available,
         CASE WHEN 'year' IN (announced_precision, available_precision) THEN 'year'
              WHEN 'month' IN (announced_precision, available_precision) THEN 'month'
              ELSE 'day' END AS grain
  FROM chips WHERE available IS NOT NULL
)
SELECT 'chips' AS subject_table, chip_id AS subject_id, 'available' AS field,
       'available ' || available || ' is before announced ' || announced AS message
FROM d
WHERE date_trunc(grain, available) < date_trunc(grain, announced)
