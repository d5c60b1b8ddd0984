-- Events in date order with the vendors they concern; `date` is written at the precision it is known
-- (2015, 2006-11, 2012-09-30). Parameters: $kind (event kind or NULL), $vendor (vendor_id or NULL).
SELECT CASE e.date_precision WHEN 'year' THEN strftime(e.event_date, '%Y')
                             WHEN 'month' THEN strftime(e.event_date, '%Y-%m')
                             ELSE strftime(e.event_date, '%Y-%m-%d') END AS date,
       e.title, e.kind, e.origin,
       string_agg(DISTINCT v.name, ', ' ORDER BY v.name) AS vendors, e.description, e.event_id
FROM events e
LEFT JOIN event_entities x ON x.event_id = e.event_id AND x.entity_kind = 'vendor'
LEFT JOIN vendors v ON v.vendor_id = x.entity_id
WHERE ($kind IS NULL OR e.kind = $kind)
  AND ($vendor IS NULL OR EXISTS (SELECT 1 FROM event_entities y WHERE y.event_id = e.event_id
                                   AND y.entity_kind = 'vendor' AND y.entity_id = $vendor))
GROUP BY e.event_date, e.date_precision, e.title, e.kind, e.origin, e.description, e.event_id
ORDER BY e.event_date, e.title
