-- severity: error
-- why: a single package (chip, card or module) draws between 1 W (edge NPUs) and 2,000 W (the densest
-- accelerator packages announced so far are ~1,400 W); systems such as a wafer-scale CS-3 are exempt.
SELECT 'chips' AS subject_table, chip_id AS subject_id, 'tdp_w' AS field,
       'TDP ' || tdp_w || ' W is outside 1–2,000 W for a ' || form AS message
FROM chips
WHERE tdp_w IS NOT NULL AND form <> 'system' AND (tdp_w < 1 OR tdp_w > 2000)
