-- One dense peak per chip: BF16, else FP16, else FP8 / 2, else INT8 / 2 (8-bit formats usually run at twice the
-- 16-bit rate).
SELECT chip_id,
       coalesce(bf16_tflops, fp16_tflops, fp8_tflops / 2, int8_tops / 2) AS fp16e_tflops,
       CASE WHEN bf16_tflops IS NOT NULL THEN 'bf16' WHEN fp16_tflops IS NOT NULL THEN 'fp16'
            WHEN fp8_tflops IS NOT NULL THEN 'fp8/2' ELSE 'int8/2' END AS peak_basis
FROM chips
WHERE coalesce(bf16_tflops, fp16_tflops, fp8_tflops, int8_tops) IS NOT NULL
