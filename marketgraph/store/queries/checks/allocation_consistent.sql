-- severity: error
-- why: the sweep runs from low to high through the central value; for one designer (or the default) a year
--      may fall under one row only, or the split would be ambiguous.
SELECT 'segment_allocation' AS subject_table, allocation_id AS subject_id, 'inference_pct' AS field,
       'range ' || inference_pct_low || ' – ' || inference_pct || ' – ' || inference_pct_high ||
       ' is not low <= central <= high' AS message
FROM segment_allocation
WHERE NOT (inference_pct_low <= inference_pct AND inference_pct <= inference_pct_high)
UNION ALL
SELECT 'segment_allocation', allocation_id, 'year_to', 'year_to ' || year_to || ' is before year_from ' || year_from
FROM segment_allocation WHERE year_to < year_from
UNION ALL
SELECT 'segment_allocation', b.allocation_id, 'year_from',
       'years ' || b.year_from || '–' || b.year_to || ' overlap ' || a.allocation_id || ' (' || a.year_from || '–' ||
       a.year_to || ') for ' || coalesce(a.vendor_id, 'the default')
FROM segment_allocation a JOIN segment_allocation b
  ON a.vendor_id IS NOT DISTINCT FROM b.vendor_id AND a.allocation_id < b.allocation_id
 AND a.year_from <= b.year_to AND b.year_from <= a.year_to
