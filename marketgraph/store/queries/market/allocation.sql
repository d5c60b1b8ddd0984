-- The inference share of both-positioned parts, per designer (NULL: the default) and span of years.
SELECT allocation_id, vendor_id, year_from, year_to, inference_pct, inference_pct_low, inference_pct_high,
       source_id
FROM segment_allocation ORDER BY vendor_id NULLS LAST, year_from
