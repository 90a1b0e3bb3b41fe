-- Issue 5 (performance): a caseworker's busy times and booking count without reading history.
--
-- A caseworker's live bookings by time, covering what a timeslot search and a booking read
-- (start, end, seat, id): planner_repo.busy_many scans only the start times near the searched
-- window, and planner_repo.live_counts counts the future bookings; both from the index alone
-- (state is a column too, so SQLite 3.40 sees the index as covering).
CREATE INDEX planner_bookings_live
    ON planner_bookings (sagsbehandler_nummer, start, slut, session_id, indkaldelse_id, state)
    WHERE state != 'cancelled';
-- The rare live booking that lasts more than half a day (an individual meeting lasts at most an
-- offer's 1440 minutes, but a loaded booking may carry its own moede_slut). The window scan above
-- starts one day before the window; these are read separately so none is ever missed.
CREATE INDEX planner_bookings_long ON planner_bookings (sagsbehandler_nummer, start)
    WHERE state != 'cancelled' AND julianday(slut) - julianday(start) > 0.5;
