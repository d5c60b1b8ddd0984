-- Related-topic sections of cards.
SELECT topic_id, position, heading FROM topic_sections
