-- severity: error
-- why: a curated event that names no vendor, chip or segment cannot appear in the graph, and one without a
-- source cannot be checked.
SELECT 'events' AS subject_table, e.event_id AS subject_id, NULL AS field,
       'event is linked to no vendor, chip or segment in event_entities.csv' AS message
FROM events e
WHERE e.origin = 'curated' AND NOT EXISTS (SELECT 1 FROM event_entities x WHERE x.event_id = e.event_id)
UNION ALL
SELECT 'events', e.event_id, NULL, 'event has no citation in citations.csv'
FROM events e
WHERE e.origin = 'curated'
  AND NOT EXISTS (SELECT 1 FROM citations x WHERE x.subject_table = 'events' AND x.subject_id = e.event_id)
