-- title: Accelerators per vendor
SELECT v.name AS vendor, count(*) AS chips
FROM chips c JOIN vendors v USING (vendor_id)
GROUP BY 1 ORDER BY chips DESC
