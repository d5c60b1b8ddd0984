-- Who supplies a chip (foundry, memory, packaging), with the source. Parameters: $chip_id.
SELECT l.role, p.name AS supplier, l.detail, l.notes, s.publisher, s.url
FROM supply_links l JOIN suppliers p USING (supplier_id) JOIN sources s USING (source_id)
WHERE l.chip_id = $chip_id
ORDER BY l.role, p.name
