-- Data-centre products by announcement year and segment; the FP16-equivalent fallback halves FP8/INT8 because
-- most accelerators run 8-bit formats at twice their 16-bit rate.
SELECT c.chip_id, c.year, s.segment,
       CASE WHEN v.parent_vendor_id IS NOT NULL AND coalesce(v.parent_since_year, 0) <= c.year
            THEN v.parent_vendor_id ELSE c.vendor_id END AS vendor_id,
       coalesce(c.bf16_tflops, c.fp16_tflops, c.fp8_tflops / 2, c.int8_tops / 2) AS fp16e_tflops
FROM chips c
JOIN vendors v USING (vendor_id)
JOIN chip_segments s USING (chip_id)
WHERE c.deployment = 'datacenter' AND c.form <> 'system' AND c.variant_of IS NULL AND c.year IS NOT NULL
