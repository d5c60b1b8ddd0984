-- Every shipments row with what the market model needs: the chip's positioning, its designer rolled up to the
-- owner in the shipment's year, its dense peak, and the calendar year of the period.
SELECT s.shipment_id, s.chip_id, s.period_start, s.period_end, year(s.period_start) AS year,
       s.units, s.units_low, s.units_high, s.h100e, s.h100e_low, s.h100e_high, s.interval, s.method,
       s.is_partial, s.source_id, c.segment AS chip_segment, c.name AS chip_name, o.owner_id AS designer,
       k.fp16e_tflops, k.peak_basis, src.publisher
FROM shipments s
JOIN chips c USING (chip_id)
JOIN vendor_ownership o ON o.vendor_id = c.vendor_id AND year(s.period_start) BETWEEN o.year_from AND o.year_to
JOIN sources src ON src.source_id = s.source_id
LEFT JOIN chip_compute k USING (chip_id)
ORDER BY s.chip_id, s.period_start, s.source_id
