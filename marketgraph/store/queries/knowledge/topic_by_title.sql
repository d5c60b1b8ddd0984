-- The topic a card title already has (titles are identities, compared case-insensitively).
SELECT topic_id FROM topics WHERE lower(title) = lower($title)
