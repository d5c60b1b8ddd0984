-- The sources behind a set of chips, field by field (field NULL: the whole row). Parameters: $chip_ids (list).
SELECT x.subject_id AS chip_id, x.field, x.source_id, s.publisher, s.title, s.url, s.source_type,
       strftime(s.accessed, '%Y-%m-%d') AS accessed, x.note
FROM citations x JOIN sources s USING (source_id)
WHERE x.subject_table = 'chips' AND list_contains($chip_ids, x.subject_id)
ORDER BY x.subject_id, x.field NULLS FIRST, s.source_type, x.source_id
