-- Vendors, with the group that owns them.
SELECT vendor_id, name, country, kind, founded_year, parent_vendor_id, parent_since_year FROM vendors
