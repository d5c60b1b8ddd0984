-- Events that concern a vendor, newest first, with the event's source. Parameters: $vendor_id.
SELECT CASE e.date_precision WHEN 'year' THEN strftime(e.event_date, '%Y')
                             WHEN 'month' THEN strftime(e.event_date, '%Y-%m')
                             ELSE strftime(e.event_date, '%Y-%m-%d') END AS date,
       e.title, e.kind, e.origin,
       (SELECT min(s.url) FROM citations c JOIN sources s USING (source_id)
        WHERE c.subject_table = 'events' AND c.subject_id = e.event_id) AS source_url,
       e.event_id
FROM events e JOIN event_entities x USING (event_id)
WHERE x.entity_kind = 'vendor' AND x.entity_id = $vendor_id
ORDER BY e.event_date DESC, e.title
