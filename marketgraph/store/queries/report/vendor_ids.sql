-- Every vendor id with its name, for validating --vendor and for pickers.
SELECT vendor_id, name FROM vendors ORDER BY name, vendor_id
