-- severity: error
-- why: a part positioned for both training and inference can only be split between them with an allocation row
--      for its designer (or the default) that covers the shipment's year; without one the split is a guess.
SELECT DISTINCT 'shipments' AS subject_table, s.shipment_id AS subject_id, 'period_start' AS field,
       'no segment_allocation row covers ' || o.owner_id || ' in ' || year(s.period_start) ||
       ' (add one for the designer or a default row without vendor_id)' AS message
FROM shipments s
JOIN chips c USING (chip_id)
JOIN vendor_ownership o ON o.vendor_id = c.vendor_id AND year(s.period_start) BETWEEN o.year_from AND o.year_to
WHERE c.segment = 'both'
  AND NOT EXISTS (SELECT 1 FROM segment_allocation a
                  WHERE (a.vendor_id = o.owner_id OR a.vendor_id IS NULL)
                    AND year(s.period_start) BETWEEN a.year_from AND a.year_to)
