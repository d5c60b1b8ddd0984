-- Every source of the database, for the sources of an exported datapackage.json.
SELECT source_id, publisher, title, url, accessed, licence FROM sources ORDER BY source_id
