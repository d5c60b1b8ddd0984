-- Every citation (row- and figure-level).
SELECT subject_table, subject_id, field, source_id FROM citations
