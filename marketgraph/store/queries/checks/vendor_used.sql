-- severity: warning
-- why: a vendor that no chip, event or estimate refers to is probably a typo or unfinished work; it is not
-- wrong, so this only warns.
SELECT 'vendors' AS subject_table, v.vendor_id AS subject_id, NULL AS field,
       'vendor is used by no chip, event or estimate' AS message
FROM vendors v
WHERE NOT EXISTS (SELECT 1 FROM chips c WHERE c.vendor_id = v.vendor_id)
  AND NOT EXISTS (SELECT 1 FROM event_entities x WHERE x.entity_kind = 'vendor' AND x.entity_id = v.vendor_id)
  AND NOT EXISTS (SELECT 1 FROM market_estimates m WHERE m.vendor_id = v.vendor_id)
  AND NOT EXISTS (SELECT 1 FROM vendors child WHERE child.parent_vendor_id = v.vendor_id)
