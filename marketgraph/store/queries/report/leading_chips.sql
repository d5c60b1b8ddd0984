-- The leading data-centre parts per segment by dense FP16-equivalent peak (BF16, else FP16, else FP8 / 2,
-- else INT8 / 2, as product_announcements defines it); 'both' parts count for each segment.
-- Parameters: $segment (training | inference | NULL for both), $since (year or NULL), $vendor (vendor_id or
-- NULL), $per_segment (how many per segment).
WITH ranked AS (
  SELECT s.segment, c.chip_id, c.vendor_id, v.name AS vendor, c.name AS chip, c.year, c.segment AS positioned,
         c.form, coalesce(c.bf16_tflops, c.fp16_tflops, c.fp8_tflops / 2, c.int8_tops / 2) AS fp16e_tflops,
         c.bf16_tflops, c.fp8_tflops, c.memory_gb, c.memory_bandwidth_tbs, c.tdp_w,
         row_number() OVER (PARTITION BY s.segment ORDER BY
           coalesce(c.bf16_tflops, c.fp16_tflops, c.fp8_tflops / 2, c.int8_tops / 2) DESC NULLS LAST,
           c.chip_id) AS rank
  FROM chips c JOIN chip_segments s USING (chip_id) JOIN vendors v ON v.vendor_id = c.vendor_id
  WHERE c.deployment = 'datacenter' AND c.form <> 'system'
    AND coalesce(c.bf16_tflops, c.fp16_tflops, c.fp8_tflops, c.int8_tops) IS NOT NULL
    AND ($segment IS NULL OR s.segment = $segment) AND ($since IS NULL OR c.year >= $since)
    AND ($vendor IS NULL OR c.vendor_id = $vendor)
)
SELECT * FROM ranked WHERE rank <= $per_segment ORDER BY segment DESC, rank
