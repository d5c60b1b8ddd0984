-- The catalogue of share bases.
SELECT * FROM concentration_bases ORDER BY basis
