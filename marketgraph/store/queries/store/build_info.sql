-- The build that produced this database (one row).
SELECT * FROM build_info
