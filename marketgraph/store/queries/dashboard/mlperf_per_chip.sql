-- Measured MLPerf throughput per accelerator and per dense peak PFLOP (BF16, else FP16), closed division,
-- best result per chip, benchmark and scenario, per accelerator in the system.
WITH per_acc AS (
    SELECT r.chip_id, r.round, r.benchmark, r.scenario, r.result_units, r.source_id,
           r.result / nullif(r.accelerators_per_node * coalesce(r.nodes, 1), 0) AS per_accelerator
    FROM mlperf_results r
    WHERE r.chip_id IS NOT NULL AND r.division = 'closed' AND r.result_units NOT LIKE 'Latency%'
)
SELECT p.chip_id, p.benchmark, p.scenario, p.result_units, max(p.per_accelerator) AS per_accelerator,
       max(p.per_accelerator) / nullif(any_value(coalesce(c.bf16_tflops, c.fp16_tflops)) / 1000, 0)
           AS per_dense_pflop,
       string_agg(DISTINCT p.round, ', ' ORDER BY p.round) AS rounds, min(s.url) AS source_url
FROM per_acc p JOIN chips c USING (chip_id) JOIN sources s ON s.source_id = p.source_id
GROUP BY p.chip_id, p.benchmark, p.scenario, p.result_units
ORDER BY p.benchmark, p.scenario, per_accelerator DESC
