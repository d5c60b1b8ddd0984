-- Curated events for the timeline, written at the precision their date is known, with the vendors they concern.
-- Parameters: $since (year or NULL), $vendor (vendor_id or NULL), $segment (training | inference | NULL: events
-- tagged with that segment or with no segment at all).
SELECT CASE e.date_precision WHEN 'year' THEN strftime(e.event_date, '%Y')
                             WHEN 'month' THEN strftime(e.event_date, '%Y-%m')
                             ELSE strftime(e.event_date, '%Y-%m-%d') END AS date,
       e.event_id, e.title, e.kind,
       (SELECT string_agg(v.name, ', ' ORDER BY v.name) FROM event_entities x JOIN vendors v ON v.vendor_id = x.entity_id
        WHERE x.event_id = e.event_id AND x.entity_kind = 'vendor') AS vendors,
       e.description
FROM events e
WHERE e.origin = 'curated' AND ($since IS NULL OR e.year >= $since)
  AND ($vendor IS NULL OR EXISTS (SELECT 1 FROM event_entities y WHERE y.event_id = e.event_id
                                  AND y.entity_kind = 'vendor' AND y.entity_id = $vendor))
  AND ($segment IS NULL OR EXISTS (SELECT 1 FROM event_entities y WHERE y.event_id = e.event_id
                                   AND y.entity_kind = 'segment' AND y.entity_id = $segment)
       OR NOT EXISTS (SELECT 1 FROM event_entities y WHERE y.event_id = e.event_id AND y.entity_kind = 'segment'))
ORDER BY e.event_date, e.event_id
