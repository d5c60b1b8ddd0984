-- severity: error
-- why: every chip row must name at least one source (its datasheet or equivalent).
SELECT 'chips' AS subject_table, c.chip_id AS subject_id, NULL AS field,
       'chip has no citation in citations.csv' AS message
FROM chips c
WHERE NOT EXISTS (SELECT 1 FROM citations x WHERE x.subject_table = 'chips' AND x.subject_id = c.chip_id)
