-- One vendor with its parent's name and how many chips it has. Parameters: $vendor_id.
SELECT v.vendor_id, v.name, v.country, v.kind, v.founded_year, v.parent_vendor_id, p.name AS parent,
       v.parent_since_year, v.website, v.notes,
       (SELECT count(*) FROM chips c WHERE c.vendor_id = v.vendor_id) AS chips
FROM vendors v LEFT JOIN vendors p ON p.vendor_id = v.parent_vendor_id
WHERE v.vendor_id = $vendor_id
