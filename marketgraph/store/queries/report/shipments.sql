-- Shipments with the chip and its vendor, for the report tables. Parameters: $vendor (vendor_id or NULL), $since (year or NULL).
SELECT s.shipment_id, v.name AS vendor, c.name AS chip, s.chip_id, s.period_start, s.period_end, s.units,
       s.units_low, s.units_high, s.h100e, s.h100e_low, s.h100e_high, s.interval, s.method, s.is_partial,
       s.source_id
FROM shipments s JOIN chips c USING (chip_id) JOIN vendors v ON v.vendor_id = c.vendor_id
WHERE ($vendor IS NULL OR c.vendor_id = $vendor) AND ($since IS NULL OR year(s.period_end) >= $since)
ORDER BY s.period_start, s.chip_id, s.shipment_id
