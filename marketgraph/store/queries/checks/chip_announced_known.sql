-- severity: warning
-- why: a chip with no announcement date is kept (unknown stays empty) but drops out of every per-year
-- measure, so the build lists them for curators to date.
SELECT 'chips' AS subject_table, chip_id AS subject_id, 'announced' AS field,
       'no announcement date: this chip is left out of per-year concentration measures' AS message
FROM chips WHERE announced IS NULL
