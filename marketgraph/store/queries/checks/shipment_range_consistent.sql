-- severity: error
-- why: a range must contain its central value, and a period must not end before it starts; "point" rows carry
--      no range (or low = value = high).
SELECT 'shipments' AS subject_table, shipment_id AS subject_id, f.field,
       f.field || ' ' || f.low || ' – ' || f.value || ' – ' || f.high || ' is not low <= value <= high' AS message
FROM shipments,
     (VALUES ('units'), ('h100e')) AS f0(field),
     LATERAL (SELECT f0.field AS field,
                     CASE f0.field WHEN 'units' THEN units_low ELSE h100e_low END AS low,
                     CASE f0.field WHEN 'units' THEN units ELSE h100e END AS value,
                     CASE f0.field WHEN 'units' THEN units_high ELSE h100e_high END AS high) AS f
WHERE (f.low IS NOT NULL AND f.value IS NOT NULL AND f.low > f.value)
   OR (f.high IS NOT NULL AND f.value IS NOT NULL AND f.value > f.high)
   OR (f.low IS NOT NULL AND f.high IS NOT NULL AND f.low > f.high)
UNION ALL
SELECT 'shipments', shipment_id, 'period_end', 'period ends (' || period_end || ') before it starts (' ||
       period_start || ')'
FROM shipments WHERE period_end < period_start
UNION ALL
SELECT 'shipments', shipment_id, 'units', 'a row needs units or h100e'
FROM shipments WHERE units IS NULL AND h100e IS NULL
