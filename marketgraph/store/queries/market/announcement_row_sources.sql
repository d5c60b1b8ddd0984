-- The whole-row source of each product announced in a segment over a span of years.
SELECT p.chip_id, min(x.source_id) AS source_id
FROM product_announcements p
LEFT JOIN citations x ON x.subject_table = 'chips' AND x.subject_id = p.chip_id AND x.field IS NULL
WHERE p.segment = $segment AND p.year BETWEEN $year_from AND $year_to
GROUP BY p.chip_id
