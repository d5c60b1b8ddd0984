-- Every topic id (to pick a new unique one).
SELECT topic_id FROM topics
