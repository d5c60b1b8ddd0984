-- Sources by id, for the sources behind a finding.
SELECT source_id, publisher, title, url, accessed, via FROM sources WHERE list_contains($ids, source_id)
ORDER BY source_id
