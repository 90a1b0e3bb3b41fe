-- Issue 9 (hardening): which planner client made a booking of the embedded planner over SOAP
-- (jobnet/planner/soap/server.py). NULL: this installation's own DFDG. A planner client sees and
-- changes only the bookings it made itself.
ALTER TABLE planner_bookings ADD COLUMN made_by TEXT CHECK (made_by IS NULL OR length(made_by) BETWEEN 1 AND 255);
