-- A vendor is its own owner until its parent took it over, and the parent's from then on.
SELECT vendor_id, vendor_id AS owner_id, 0 AS year_from,
       CASE WHEN parent_vendor_id IS NULL THEN 9999 ELSE coalesce(parent_since_year, 0) - 1 END AS year_to
FROM vendors
UNION ALL
SELECT vendor_id, parent_vendor_id, coalesce(parent_since_year, 0), 9999
FROM vendors WHERE parent_vendor_id IS NOT NULL
