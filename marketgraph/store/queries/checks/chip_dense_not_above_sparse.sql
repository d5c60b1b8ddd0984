-- severity: error
-- why: a sparse headline is at most 2x the dense figure and never below it; dense above sparse means the two
-- columns were swapped or a sparse number went into a dense column. No tolerance.
SELECT 'chips' AS subject_table, chip_id AS subject_id, f.field,
       'dense ' || f.dense || ' exceeds sparse ' || f.sparse AS message
FROM chips,
     LATERAL (VALUES ('fp16_tflops', fp16_tflops, fp16_sparse_tflops),
                     ('fp8_tflops', fp8_tflops, fp8_sparse_tflops),
                     ('int8_tops', int8_tops, int8_sparse_tops)) AS f(field, dense, sparse)
WHERE f.dense IS NOT NULL AND f.sparse IS NOT NULL AND f.dense > f.sparse
