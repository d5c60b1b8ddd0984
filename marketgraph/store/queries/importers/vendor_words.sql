-- Every name a vendor goes by (id, name, aliases), so an importer can strip it from the front of a product name.
SELECT vendor_id, name FROM vendors
UNION ALL SELECT vendor_id, vendor_id FROM vendors
UNION ALL SELECT entity_id, alias FROM aliases WHERE entity_kind = 'vendor' AND (scope IS NULL OR scope = $scope)
