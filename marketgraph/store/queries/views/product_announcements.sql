-- Data-centre products by announcement year and segment, vendors rolled up to the owner of that year.
SELECT c.chip_id, c.year, s.segment, o.owner_id AS vendor_id, k.fp16e_tflops
FROM chips c
JOIN vendor_ownership o ON o.vendor_id = c.vendor_id AND c.year BETWEEN o.year_from AND o.year_to
JOIN chip_segments s USING (chip_id)
LEFT JOIN chip_compute k USING (chip_id)
WHERE c.deployment = 'datacenter' AND c.form <> 'system' AND c.variant_of IS NULL AND c.year IS NOT NULL
