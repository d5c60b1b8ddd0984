-- title: Events per year and kind
SELECT year, kind, count(*) AS events FROM events GROUP BY ALL ORDER BY year, kind
