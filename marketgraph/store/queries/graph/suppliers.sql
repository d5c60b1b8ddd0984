-- Upstream suppliers (foundries, memory makers, packaging houses) as graph nodes.
SELECT supplier_id, name, country, kind FROM suppliers ORDER BY supplier_id
