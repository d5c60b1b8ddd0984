-- Designers of data-centre accelerators and the first year one of their parts was on the market (available, or
-- announced when no availability date is known), with the ownership needed to roll them up by year.
SELECT c.vendor_id, v.name, v.parent_vendor_id, v.parent_since_year,
       min(coalesce(year(c.available), c.year)) AS first_year
FROM chips c JOIN vendors v USING (vendor_id)
WHERE c.deployment = 'datacenter' AND coalesce(year(c.available), c.year) IS NOT NULL
GROUP BY ALL
