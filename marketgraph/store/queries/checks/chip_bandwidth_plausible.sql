-- severity: error
-- why: a single DRAM-attached package spans roughly 0.005 TB/s (LPDDR edge modules) to 50 TB/s (a whole
-- HBM4 package is ~20 TB/s); a value outside that is far likelier a GB/s-vs-TB/s slip than a real part.
-- Systems (DGX, CS-3) add up many packages and are exempt.
SELECT 'chips' AS subject_table, chip_id AS subject_id, 'memory_bandwidth_tbs' AS field,
       'memory bandwidth ' || memory_bandwidth_tbs || ' TB/s is outside the plausible 0.005–50 TB/s' AS message
FROM chips
WHERE memory_bandwidth_tbs IS NOT NULL AND form <> 'system'
  AND (memory_bandwidth_tbs < 0.005 OR memory_bandwidth_tbs > 50)
