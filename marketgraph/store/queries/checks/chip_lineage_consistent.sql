-- severity: error
-- why: a chip cannot be its own variant or predecessor, and a predecessor announced after its successor
-- means the link points the wrong way (compared by year, the coarsest precision we store).
SELECT 'chips' AS subject_table, c.chip_id AS subject_id, 'predecessor_id' AS field,
       'predecessor ' || p.chip_id || ' (' || p.year || ') is newer than this chip (' || c.year || ')' AS message
FROM chips c JOIN chips p ON p.chip_id = c.predecessor_id
WHERE p.year > c.year OR p.chip_id = c.chip_id
UNION ALL
SELECT 'chips', chip_id, 'variant_of', 'chip is listed as a variant of itself'
FROM chips WHERE variant_of = chip_id
