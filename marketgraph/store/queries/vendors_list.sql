-- Vendors with how many chips each has, for pickers and summaries.
SELECT v.vendor_id, v.name, v.country, v.kind, count(c.chip_id) AS chips
FROM vendors v LEFT JOIN chips c USING (vendor_id)
GROUP BY ALL
ORDER BY chips DESC, v.name
