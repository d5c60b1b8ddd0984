-- Aliases from data/aliases.csv that apply to text everywhere (scoped ones are for one importer only).
SELECT alias, entity_kind, entity_id FROM aliases WHERE scope IS NULL
