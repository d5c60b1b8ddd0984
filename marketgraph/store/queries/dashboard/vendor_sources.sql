-- The sources behind a vendor: its own row, its chips, its events and its published shares, each counted.
-- Parameters: $vendor_id.
WITH cited AS (
    SELECT source_id, 'vendor' AS what FROM citations WHERE subject_table = 'vendors' AND subject_id = $vendor_id
    UNION ALL
    SELECT x.source_id, 'chips' FROM citations x JOIN chips c ON x.subject_table = 'chips' AND x.subject_id = c.chip_id
    WHERE c.vendor_id = $vendor_id
    UNION ALL
    SELECT x.source_id, 'events' FROM citations x JOIN event_entities e
        ON x.subject_table = 'events' AND x.subject_id = e.event_id
    WHERE e.entity_kind = 'vendor' AND e.entity_id = $vendor_id
    UNION ALL
    SELECT source_id, 'market estimates' FROM market_estimates WHERE vendor_id = $vendor_id
)
SELECT s.source_id, s.publisher, s.title, s.url, s.source_type, strftime(s.accessed, '%Y-%m-%d') AS accessed,
       string_agg(DISTINCT c.what, ', ' ORDER BY c.what) AS backs, count(*) AS citations
FROM cited c JOIN sources s USING (source_id)
GROUP BY ALL
ORDER BY citations DESC, s.publisher, s.title
