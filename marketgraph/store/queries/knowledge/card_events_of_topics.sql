-- Events the cards of these topics created (removed when the cards are replaced).
SELECT event_id FROM events WHERE origin = 'card' AND list_contains($topic_ids, topic_id)
