-- Web search results listed by cards.
SELECT topic_id, position, title, publisher FROM topic_sources
