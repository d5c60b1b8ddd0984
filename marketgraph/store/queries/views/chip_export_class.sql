-- Export-control class of each chip, computed from its dense figures against the thresholds of the rule in
-- force (the latest effective date in export_control_thresholds), so a chip gets exactly one class.
-- TPP uses dense rates only: the thresholds are stated for the rate without structured sparsity.
WITH rule_in_force AS (
    SELECT * FROM export_control_thresholds
    WHERE rule_effective = (SELECT max(rule_effective) FROM export_control_thresholds)
),
perf AS (
    SELECT chip_id, deployment, form,
           greatest(fp64_tflops * 64, fp32_tflops * 32, tf32_tflops * 32, fp16_tflops * 16, bf16_tflops * 16,
                    fp8_tflops * 8, int8_tops * 8, fp4_tflops * 4, int4_tops * 4) AS tpp,
           die_size_mm2
    FROM chips
),
scored AS (
    SELECT chip_id, deployment, form, tpp, tpp / nullif(die_size_mm2, 0) AS performance_density FROM perf
),
hits AS (
    SELECT s.chip_id, r.export_class, r.paragraph || ' (' || r.threshold_id || ')' AS rule,
           row_number() OVER (PARTITION BY s.chip_id ORDER BY r.severity, r.paragraph) AS pick
    FROM scored s
    JOIN rule_in_force r
      ON s.tpp >= r.tpp_min AND (r.tpp_below IS NULL OR s.tpp < r.tpp_below)
     AND (r.density_min IS NULL OR s.performance_density >= r.density_min)
     AND (r.density_below IS NULL OR s.performance_density < r.density_below)
     AND (r.deployment IS NULL OR r.deployment = s.deployment)
    WHERE s.form <> 'system'
),
-- A chip with no die area could still meet a density-based row when its TPP reaches that row's floor.
open_density AS (
    SELECT s.chip_id, bool_or(r.threshold_id IS NOT NULL) AS could_apply
    FROM scored s
    LEFT JOIN rule_in_force r
      ON r.density_min IS NOT NULL AND s.tpp >= r.tpp_min AND (r.tpp_below IS NULL OR s.tpp < r.tpp_below)
     AND (r.deployment IS NULL OR r.deployment = s.deployment)
    WHERE s.performance_density IS NULL
    GROUP BY s.chip_id
),
rule_name AS (SELECT '3A090 as effective ' || strftime(max(rule_effective), '%Y-%m-%d') AS rule FROM rule_in_force)
SELECT s.chip_id, s.tpp, s.performance_density,
       CASE WHEN s.tpp IS NULL THEN NULL
            WHEN s.form = 'system' THEN 'not assessed'
            WHEN h.export_class IS NOT NULL THEN h.export_class
            WHEN coalesce(o.could_apply, false) THEN 'undetermined'
            ELSE 'below thresholds' END AS export_class,
       CASE WHEN s.tpp IS NULL THEN NULL
            WHEN h.rule IS NOT NULL THEN h.rule
            ELSE (SELECT rule FROM rule_name) END AS rule
FROM scored s
LEFT JOIN hits h ON h.chip_id = s.chip_id AND h.pick = 1
LEFT JOIN open_density o ON o.chip_id = s.chip_id
