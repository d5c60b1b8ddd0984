-- Every implicit name of an entity for the card resolver: ids' own names, "<vendor> <chip>", families, segments.
SELECT name AS alias, 'vendor' AS entity_kind, vendor_id AS entity_id FROM vendors
UNION ALL SELECT name, 'chip', chip_id FROM chips
UNION ALL SELECT v.name || ' ' || c.name, 'chip', c.chip_id FROM chips c JOIN vendors v USING (vendor_id)
UNION ALL SELECT DISTINCT family, 'family', family FROM chips
UNION ALL SELECT name, 'segment', segment_id FROM segments
