-- Each chip's TPP, performance density and indicative US export-control class (view chip_export_class), with
-- its name and vendor, for the /chips page. Indicative only, not legal advice.
SELECT x.chip_id, c.name, v.name AS vendor, c.deployment, c.form, x.tpp, x.performance_density,
       x.export_class, x.rule
FROM chip_export_class x
JOIN chips c USING (chip_id)
JOIN vendors v USING (vendor_id)
ORDER BY x.tpp DESC NULLS LAST, x.chip_id
