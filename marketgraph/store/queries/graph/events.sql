-- Events, as graph nodes.
SELECT event_id, title, event_date, date_precision, year, kind, origin FROM events
