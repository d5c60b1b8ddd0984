-- The bibliography: sources by id with what a reference needs. Parameters: $ids (list of source_id).
SELECT source_id, publisher, title, url, accessed, published, published_precision, source_type, licence, via
FROM sources WHERE list_contains($ids, source_id) ORDER BY source_id
