-- The first whole-row source of every cited row: the provenance of the facts the row states.
SELECT subject_table, subject_id, min(source_id) AS source_id FROM citations WHERE field IS NULL GROUP BY ALL
