-- Year of every event (an event alias in a card matches only its own year).
SELECT event_id, year FROM events
