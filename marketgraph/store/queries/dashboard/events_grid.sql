-- Every event with what the timeline filters on and shows: the date at its known precision, vendors (ids and
-- names), segments, chips, the card (topic) whose timeline describes it with the whole card title, and the
-- event's own source. Newest first.
WITH ent AS (
    SELECT x.event_id,
           list(DISTINCT x.entity_id ORDER BY x.entity_id) FILTER (WHERE x.entity_kind = 'vendor') AS vendor_ids,
           string_agg(DISTINCT v.name, ', ' ORDER BY v.name) FILTER (WHERE x.entity_kind = 'vendor') AS vendors,
           string_agg(DISTINCT x.entity_id, ', ' ORDER BY x.entity_id) FILTER (WHERE x.entity_kind = 'segment')
               AS segments,
           string_agg(DISTINCT x.entity_id, ', ' ORDER BY x.entity_id) FILTER (WHERE x.entity_kind = 'chip') AS chips
    FROM event_entities x LEFT JOIN vendors v ON x.entity_kind = 'vendor' AND v.vendor_id = x.entity_id
    GROUP BY x.event_id
), cards AS (
    SELECT t.event_id, list(DISTINCT t.topic_id ORDER BY t.topic_id) AS topic_ids,
           string_agg(DISTINCT p.title, ' | ' ORDER BY p.title) AS cards
    FROM topic_timeline t JOIN topics p USING (topic_id)
    WHERE t.event_id IS NOT NULL
    GROUP BY t.event_id
), src AS (
    SELECT x.subject_id AS event_id, min(s.url) AS source_url, min(s.publisher) AS source
    FROM citations x JOIN sources s USING (source_id)
    WHERE x.subject_table = 'events'
    GROUP BY x.subject_id
)
SELECT CASE e.date_precision WHEN 'year' THEN strftime(e.event_date, '%Y')
                             WHEN 'month' THEN strftime(e.event_date, '%Y-%m')
                             ELSE strftime(e.event_date, '%Y-%m-%d') END AS date,
       e.event_date, e.year, e.title, e.kind, e.origin, ent.vendors, ent.segments, ent.chips,
       coalesce(cards.cards, p.title) AS cards, e.description, src.source, src.source_url,
       coalesce(ent.vendor_ids, []) AS vendor_ids,
       list_distinct(coalesce(cards.topic_ids, []) || CASE WHEN e.topic_id IS NULL THEN [] ELSE [e.topic_id] END)
           AS topic_ids,
       e.event_id
FROM events e
LEFT JOIN ent USING (event_id)
LEFT JOIN cards USING (event_id)
LEFT JOIN src USING (event_id)
LEFT JOIN topics p ON p.topic_id = e.topic_id
ORDER BY e.event_date DESC, e.title
