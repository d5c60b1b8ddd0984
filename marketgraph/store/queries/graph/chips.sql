-- Chips with what links them to vendors, segments, families and each other.
SELECT chip_id, vendor_id, name, family, year, segment, deployment, form, predecessor_id, variant_of FROM chips
