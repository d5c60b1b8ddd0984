-- What each event involves, with the event's provenance (curated row or card).
SELECT x.event_id, x.entity_kind, x.entity_id, e.origin, e.topic_id
FROM event_entities x JOIN events e USING (event_id)
