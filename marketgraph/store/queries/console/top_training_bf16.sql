-- title: Fastest training parts by dense BF16
SELECT v.name AS vendor, c.name AS chip, c.year, c.bf16_tflops, c.memory_gb, c.memory_bandwidth_tbs
FROM chips c JOIN vendors v USING (vendor_id)
WHERE c.segment IN ('training', 'both') AND c.bf16_tflops IS NOT NULL
ORDER BY c.bf16_tflops DESC LIMIT 20
