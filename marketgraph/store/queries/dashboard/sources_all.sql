-- Every source, for the download that resolves the source ids in other downloads.
SELECT source_id, publisher, title, url, source_type, strftime(accessed, '%Y-%m-%d') AS accessed,
       strftime(published, '%Y-%m-%d') AS published, via, licence
FROM sources ORDER BY source_id
