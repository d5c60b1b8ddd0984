-- How one MLPerf round's accelerator strings were mapped: per result row, the string, its chip and why not.
SELECT result_id, division, category, accelerator, chip_id, notes
FROM mlperf_results
WHERE round = $round
ORDER BY result_id
