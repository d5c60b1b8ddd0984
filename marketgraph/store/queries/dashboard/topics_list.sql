-- Knowledge cards (topics) for the timeline's card filter.
SELECT topic_id, title FROM topics ORDER BY title
