-- The report's as-of date: the last day a source was read to confirm its figures (data, not the clock).
SELECT max(accessed) AS as_of FROM sources
