-- Per year with announcements in a segment: vendors whose first data-centre product in it is that year.
WITH first AS (
  SELECT vendor_id, min(year) AS year FROM product_announcements WHERE segment = $segment GROUP BY vendor_id)
SELECT y.year,
       list(f.vendor_id ORDER BY f.vendor_id) FILTER (WHERE f.vendor_id IS NOT NULL) AS new_vendors,
       count(f.vendor_id) AS new_vendor_count
FROM (SELECT DISTINCT year FROM product_announcements WHERE segment = $segment) y
LEFT JOIN first f USING (year)
GROUP BY y.year ORDER BY y.year
