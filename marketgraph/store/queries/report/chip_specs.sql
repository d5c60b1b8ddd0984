-- Data-centre parts with a dense FP16-equivalent peak and a memory bandwidth, for the spec chart.
-- Parameters: $segment (training | inference | NULL), $since (year or NULL), $vendor (vendor_id or NULL).
SELECT DISTINCT c.chip_id, v.name AS vendor, c.name AS chip, c.year, c.segment,
       coalesce(c.bf16_tflops, c.fp16_tflops, c.fp8_tflops / 2, c.int8_tops / 2) AS fp16e_tflops,
       c.memory_bandwidth_tbs, c.memory_gb
FROM chips c JOIN chip_segments s USING (chip_id) JOIN vendors v ON v.vendor_id = c.vendor_id
WHERE c.deployment = 'datacenter' AND c.form <> 'system' AND c.memory_bandwidth_tbs IS NOT NULL
  AND coalesce(c.bf16_tflops, c.fp16_tflops, c.fp8_tflops, c.int8_tops) IS NOT NULL
  AND ($segment IS NULL OR s.segment = $segment) AND ($since IS NULL OR c.year >= $since)
  AND ($vendor IS NULL OR c.vendor_id = $vendor)
ORDER BY c.year, c.chip_id
