-- A chip positioned for both training and inference serves each segment.
SELECT c.chip_id, s.segment
FROM chips c,
     unnest(CASE WHEN c.segment = 'both' THEN ['training', 'inference'] ELSE [c.segment] END) AS s(segment)
