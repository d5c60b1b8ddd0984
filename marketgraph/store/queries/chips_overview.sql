-- The accelerator table the dashboard and reports show: one row per chip, vendor name joined, optional filters.
-- Parameters: $segment (training | inference | NULL for all; 'both' chips match either), $vendor (vendor_id or
-- NULL), $deployment (datacenter | edge | client | NULL).
SELECT v.name AS vendor, c.name AS chip, c.family, c.year, c.segment, c.deployment, c.form,
       c.bf16_tflops, c.fp16_tflops, c.fp8_tflops, c.int8_tops, c.memory_gb, c.memory_type,
       c.memory_bandwidth_tbs, c.tdp_w, c.process_node, c.chip_id, c.vendor_id
FROM chips c JOIN vendors v USING (vendor_id)
WHERE ($segment IS NULL OR c.segment = $segment OR c.segment = 'both')
  AND ($vendor IS NULL OR c.vendor_id = $vendor)
  AND ($deployment IS NULL OR c.deployment = $deployment)
ORDER BY c.year DESC NULLS LAST, v.name, c.name
