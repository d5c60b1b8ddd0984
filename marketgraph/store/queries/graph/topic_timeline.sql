-- Card timeline rows linked to events, in card order.
SELECT topic_id, position, date_text, event_id FROM topic_timeline WHERE event_id IS NOT NULL
ORDER BY topic_id, position
