-- Our chips with every figure the Epoch AI hardware table also publishes, in our units, for `compare epoch-hardware`.
SELECT c.chip_id, c.name, v.name AS vendor, c.variant_of, c.announced, c.announced_precision, c.available,
       c.available_precision, c.foundry, c.fp64_tflops, c.fp32_tflops, c.tf32_tflops, c.fp16_tflops,
       c.bf16_tflops, c.fp8_tflops, c.fp4_tflops, c.int8_tops, c.int4_tops, c.memory_gb,
       c.memory_bandwidth_tbs, c.interconnect_gbs, c.scale_out_gbs, c.tdp_w, c.die_size_mm2, c.transistors_b,
       c.launch_price_usd, x.tpp
FROM chips c
JOIN vendors v USING (vendor_id)
LEFT JOIN chip_export_class x USING (chip_id)
ORDER BY c.chip_id
