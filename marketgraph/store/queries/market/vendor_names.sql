-- Display name of every vendor.
SELECT vendor_id, name FROM vendors
