-- The sources the training/inference allocation rests on.
SELECT DISTINCT source_id FROM segment_allocation ORDER BY source_id
