-- Who supplies what for a chip, each link with its source: the graph's typed supply edges.
SELECT chip_id, role, supplier_id, detail, source_id, notes FROM supply_links ORDER BY chip_id, role, supplier_id
