-- Issue 12 (fidelity): the required boolean of JobnetBookingDetailsType that STAR's table leaves unnamed,
-- proposed as erGruppemoede (IsGroupMeeting, domain.md §8 Q9): whether the meeting is a group (joint)
-- meeting. The planner gives it; for the bookings registered before, it follows the meeting form
-- (MoedeGruppeType 2 "Fælles", as planner_offers.moedeform).
ALTER TABLE bookings ADD COLUMN gruppemoede INTEGER NOT NULL DEFAULT 0 CHECK (gruppemoede IN (0, 1));
UPDATE bookings SET gruppemoede = 1 WHERE moedeform = 2;
