-- Every chip with every figure, its vendor's name and its row-level sources (the /chips grid, the compare
-- view and the CSV download read this once per database).
SELECT c.chip_id, c.vendor_id, v.name AS vendor, c.name AS chip, c.family, c.variant_of, c.predecessor_id,
       strftime(c.announced, '%Y-%m-%d') AS announced, c.announced_precision, c.year,
       strftime(c.available, '%Y-%m-%d') AS available, c.segment, c.deployment, c.form, c.sales_model,
       c.process_node, c.foundry, c.die_size_mm2, c.transistors_b,
       c.fp64_tflops, c.fp32_tflops, c.tf32_tflops, c.fp16_tflops, c.bf16_tflops, c.fp8_tflops, c.fp4_tflops,
       c.int8_tops, c.int4_tops, c.fp16_sparse_tflops, c.fp8_sparse_tflops, c.int8_sparse_tops,
       c.memory_gb, c.memory_type, c.memory_bandwidth_tbs, c.onchip_sram_mb,
       c.tdp_w, c.bf16_tflops / nullif(c.tdp_w, 0) AS bf16_tflops_per_w,
       c.launch_price_usd, c.launch_price_kind,
       c.interconnect, c.interconnect_gbs, c.scale_out_interconnect, c.scale_out_gbs, c.notes,
       (SELECT string_agg(DISTINCT x.source_id, ' ' ORDER BY x.source_id) FROM citations x
        WHERE x.subject_table = 'chips' AND x.subject_id = c.chip_id) AS source_ids,
       (SELECT string_agg(DISTINCT s.url, ' ' ORDER BY s.url) FROM citations x JOIN sources s USING (source_id)
        WHERE x.subject_table = 'chips' AND x.subject_id = c.chip_id AND x.field IS NULL) AS source_urls
FROM chips c JOIN vendors v USING (vendor_id)
ORDER BY c.year DESC NULLS LAST, v.name, c.name
