-- Export-control class per chip (the chip_export_class view; run only when relation_exists says it exists).
SELECT chip_id, tpp, performance_density, export_class, rule FROM chip_export_class
