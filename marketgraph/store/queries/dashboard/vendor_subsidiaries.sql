-- Vendors whose parent is this vendor (Habana under Intel). Parameters: $vendor_id.
SELECT vendor_id, name, parent_since_year FROM vendors WHERE parent_vendor_id = $vendor_id ORDER BY name
