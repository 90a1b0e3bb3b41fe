-- PostgreSQL twin of sqlite/0005_planner_busy_indexes.sql (issue 5): a caseworker's live bookings by
-- time, covering what a timeslot search and a booking read, and the rare live booking that lasts
-- more than half a day (the predicate is PgConnection.long_booking, word for word).
CREATE INDEX planner_bookings_live
    ON planner_bookings (sagsbehandler_nummer, start, slut, session_id, indkaldelse_id, state)
    WHERE state != 'cancelled';
CREATE INDEX planner_bookings_long ON planner_bookings (sagsbehandler_nummer, start)
    WHERE state != 'cancelled' AND utc_instant(slut) - utc_instant(start) > interval '12 hours';
