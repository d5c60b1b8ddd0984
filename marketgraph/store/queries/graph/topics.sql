-- Knowledge-card topics.
SELECT topic_id, title, description, source_file FROM topics
