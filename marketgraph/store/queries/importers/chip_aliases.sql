-- Chip aliases an importer may use: its own scope and the unscoped ones (scope = $scope wins on a clash).
SELECT alias, entity_id AS chip_id, scope, note
FROM aliases
WHERE entity_kind = 'chip' AND (scope IS NULL OR scope = $scope)
ORDER BY scope NULLS FIRST, alias
