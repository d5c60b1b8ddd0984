-- Entities each card mentions, by section.
SELECT topic_id, entity_kind, entity_id, section, matched_text FROM topic_mentions
