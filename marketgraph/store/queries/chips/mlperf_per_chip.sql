-- Measured against peak: MLPerf throughput per accelerator and per dense peak PFLOP, per chip, round,
-- division, benchmark, scenario and precision, for the /chips page and the compare view.
-- Parameters (NULL for all): $chip_id, $round (v4.1), $division (closed | open).
-- Throughput per chip = result / (accelerators_per_node × nodes); latency results (SingleStream/MultiStream,
-- in ms) are not throughputs and are left out. The peak is the chip's dense figure at the precision the
-- submitter reports for the weights (int8 → int8_tops, fp8 → fp8_tflops, fp16 → fp16 else bf16, bf16 → bf16
-- else fp16, fp32 → fp32, fp4/int4 → fp4/int4), in PFLOPS; NULL when we have no dense figure at that precision.
-- Because that precision is self-reported (NVIDIA's v4.1 LLM entries report fp16 weights), a second peak on
-- one basis for every chip is given too: the dense FP16-equivalent (BF16, else FP16, else FP8 / 2, else
-- INT8 / 2), as in the product_announcements view.
WITH runs AS (
    SELECT m.chip_id, m.round, m.division, m.benchmark, m.scenario, m.result_units, m.system,
           CASE lower(m.weight_data_types)
                WHEN 'float8' THEN 'fp8' WHEN 'float16' THEN 'fp16' WHEN 'bfloat16' THEN 'bf16'
                ELSE lower(m.weight_data_types) END AS precision,
           m.result / (m.accelerators_per_node * m.nodes) AS per_chip
    FROM mlperf_results m
    WHERE m.chip_id IS NOT NULL AND m.result_units <> 'Latency (ms)'
      AND m.accelerators_per_node > 0 AND m.nodes > 0
      AND ($chip_id IS NULL OR m.chip_id = $chip_id)
      AND ($round IS NULL OR m.round = $round)
      AND ($division IS NULL OR m.division = $division)
),
grouped AS (
    SELECT chip_id, round, division, benchmark, scenario, result_units, precision,
           count(*) AS results, count(DISTINCT system) AS systems,
           max(per_chip) AS best_per_chip, median(per_chip) AS median_per_chip
    FROM runs
    GROUP BY ALL
)
SELECT g.chip_id, c.name AS chip, v.name AS vendor, g.round, g.division, g.benchmark, g.scenario,
       g.result_units, g.precision, g.results, g.systems, g.best_per_chip, g.median_per_chip,
       CASE g.precision
            WHEN 'int8' THEN c.int8_tops WHEN 'fp8' THEN c.fp8_tflops
            WHEN 'fp16' THEN coalesce(c.fp16_tflops, c.bf16_tflops)
            WHEN 'bf16' THEN coalesce(c.bf16_tflops, c.fp16_tflops)
            WHEN 'fp32' THEN c.fp32_tflops WHEN 'fp4' THEN c.fp4_tflops WHEN 'int4' THEN c.int4_tops
       END / 1000 AS peak_dense_pflops,
       g.best_per_chip / nullif(peak_dense_pflops, 0) AS best_per_peak_pflop,
       g.median_per_chip / nullif(peak_dense_pflops, 0) AS median_per_peak_pflop,
       coalesce(c.bf16_tflops, c.fp16_tflops, c.fp8_tflops / 2, c.int8_tops / 2) / 1000 AS peak_fp16e_pflops,
       g.best_per_chip / nullif(peak_fp16e_pflops, 0) AS best_per_fp16e_pflop
FROM grouped g
JOIN chips c USING (chip_id)
JOIN vendors v USING (vendor_id)
ORDER BY g.round, g.benchmark, g.scenario, g.division, best_per_peak_pflop DESC NULLS LAST, g.chip_id
