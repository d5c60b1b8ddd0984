-- Every chip of one vendor, newest first, for a vendor profile. Parameters: $vendor (vendor_id), $since (year or NULL).
SELECT c.chip_id, c.name AS chip, c.family, c.year, c.segment, c.deployment, c.form, c.bf16_tflops, c.fp8_tflops,
       c.int8_tops, c.memory_gb, c.memory_bandwidth_tbs, c.tdp_w, c.process_node
FROM chips c WHERE c.vendor_id = $vendor AND ($since IS NULL OR c.year >= $since)
ORDER BY c.year DESC NULLS LAST, c.name
