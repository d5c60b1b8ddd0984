-- The events marked on the concentration chart's time axis: market-structure events (export controls,
-- acquisitions, IPOs) and launches of the segments' leading parts are what explain a change in concentration.
SELECT CASE e.date_precision WHEN 'year' THEN strftime(e.event_date, '%Y')
                             WHEN 'month' THEN strftime(e.event_date, '%Y-%m')
                             ELSE strftime(e.event_date, '%Y-%m-%d') END AS date,
       e.year, e.title, e.kind, e.event_id
FROM events e
WHERE e.kind IN ('export_control', 'acquisition', 'ipo') AND e.origin = 'curated'
ORDER BY e.event_date
