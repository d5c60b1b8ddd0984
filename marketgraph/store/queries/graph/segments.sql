-- Market segments, as graph nodes.
SELECT segment_id, name FROM segments
