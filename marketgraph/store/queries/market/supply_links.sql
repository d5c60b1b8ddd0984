-- Who supplies what for each chip (foundry, memory, packaging), with supplier names.
SELECT l.chip_id, l.role, l.supplier_id, s.name AS supplier, l.detail, l.source_id
FROM supply_links l JOIN suppliers s USING (supplier_id)
ORDER BY l.chip_id, l.role, l.supplier_id
