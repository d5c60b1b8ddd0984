-- Every topic with how many rows each part of it has: a re-ingest compares these with the new card's, so a
-- card cut short cannot silently replace a full topic. One query for the whole run, not one per card.
SELECT t.topic_id, t.title,
       (SELECT count(*) FROM topic_attributes a WHERE a.topic_id = t.topic_id) AS attributes,
       (SELECT count(*) FROM topic_timeline l WHERE l.topic_id = t.topic_id) AS timeline,
       (SELECT count(*) FROM topic_sources s WHERE s.topic_id = t.topic_id) AS sources,
       (SELECT count(*) FROM topic_sections c WHERE c.topic_id = t.topic_id) AS sections
FROM topics t
