-- Events that concern a chip, newest first. Parameters: $chip_id.
SELECT strftime(e.event_date, '%Y-%m-%d') AS date, e.title, e.kind, e.event_id
FROM events e JOIN event_entities x USING (event_id)
WHERE x.entity_kind = 'chip' AND x.entity_id = $chip_id
ORDER BY e.event_date DESC
