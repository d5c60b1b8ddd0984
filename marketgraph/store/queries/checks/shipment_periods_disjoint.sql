-- severity: error
-- why: one source's rows for one chip must not cover the same days twice, or the chip's units would be counted
--      twice in a year.
SELECT 'shipments' AS subject_table, b.shipment_id AS subject_id, 'period_start' AS field,
       'overlaps ' || a.shipment_id || ' (' || a.period_start || ' – ' || a.period_end || ') for ' || a.chip_id ||
       ' from the same source' AS message
FROM shipments a JOIN shipments b
  ON a.chip_id = b.chip_id AND a.source_id = b.source_id AND a.shipment_id < b.shipment_id
 AND a.period_start <= b.period_end AND b.period_start <= a.period_end
