-- How 'both' parts are split between training and inference, per designer and span of years (the default row
-- has no vendor), for the methodology section.
SELECT coalesce(v.name, 'default (designers without a row)') AS vendor, a.year_from, a.year_to, a.inference_pct,
       a.inference_pct_low, a.inference_pct_high, a.source_id
FROM segment_allocation a LEFT JOIN vendors v ON v.vendor_id = a.vendor_id
ORDER BY a.vendor_id NULLS LAST, a.year_from
