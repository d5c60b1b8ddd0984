-- Events a topic's card created (removed when the card is replaced).
SELECT event_id FROM events WHERE origin = 'card' AND topic_id = $topic_id
