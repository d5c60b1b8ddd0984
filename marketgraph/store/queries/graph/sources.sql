-- Curated sources, as graph nodes.
SELECT source_id, publisher, title, url, source_type, accessed FROM sources
