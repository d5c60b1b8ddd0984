-- Curated events with the vendors, chips and product lines they involve, for matching card timeline rows.
SELECT e.event_id, e.event_date, e.date_precision, e.year, e.kind,
       list(DISTINCT x.entity_id) FILTER (WHERE x.entity_kind = 'vendor') AS vendors,
       list(DISTINCT x.entity_id) FILTER (WHERE x.entity_kind = 'chip') AS chips,
       list(DISTINCT c.family) FILTER (WHERE c.family IS NOT NULL) AS families
FROM events e
JOIN event_entities x USING (event_id)
LEFT JOIN chips c ON x.entity_kind = 'chip' AND c.chip_id = x.entity_id
WHERE e.origin = 'curated'
GROUP BY ALL
