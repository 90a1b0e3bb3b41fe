-- Issue 5 (performance): versions of the embedded planner's data a timeslot search reads, so a
-- process may keep a search's answer and reuse it until something it was computed from changes
-- (jobnet/planner/embedded/memo.py). The triggers move the versions in the same transaction as the change:
-- no code path can change planner data without it. A version only ever grows.
CREATE TABLE planner_offer_versions (
    moedetilbud_id TEXT PRIMARY KEY,
    version        INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE planner_caseworker_versions (
    nummer  INTEGER PRIMARY KEY,
    version INTEGER NOT NULL
);

-- planner_offers → planner_offer_versions
CREATE TRIGGER planner_offers_version_insert AFTER INSERT ON planner_offers
BEGIN
    INSERT INTO planner_offer_versions (moedetilbud_id, version) VALUES (NEW.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_offers_version_update AFTER UPDATE ON planner_offers
BEGIN
    INSERT INTO planner_offer_versions (moedetilbud_id, version) VALUES (OLD.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
    INSERT INTO planner_offer_versions (moedetilbud_id, version) VALUES (NEW.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_offers_version_delete AFTER DELETE ON planner_offers
BEGIN
    INSERT INTO planner_offer_versions (moedetilbud_id, version) VALUES (OLD.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;

-- planner_offer_caseworkers → planner_offer_versions
CREATE TRIGGER planner_offer_caseworkers_version_insert AFTER INSERT ON planner_offer_caseworkers
BEGIN
    INSERT INTO planner_offer_versions (moedetilbud_id, version) VALUES (NEW.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_offer_caseworkers_version_update AFTER UPDATE ON planner_offer_caseworkers
BEGIN
    INSERT INTO planner_offer_versions (moedetilbud_id, version) VALUES (OLD.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
    INSERT INTO planner_offer_versions (moedetilbud_id, version) VALUES (NEW.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_offer_caseworkers_version_delete AFTER DELETE ON planner_offer_caseworkers
BEGIN
    INSERT INTO planner_offer_versions (moedetilbud_id, version) VALUES (OLD.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;

-- planner_sessions → planner_offer_versions
CREATE TRIGGER planner_sessions_version_insert AFTER INSERT ON planner_sessions
BEGIN
    INSERT INTO planner_offer_versions (moedetilbud_id, version) VALUES (NEW.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_sessions_version_update AFTER UPDATE ON planner_sessions
BEGIN
    INSERT INTO planner_offer_versions (moedetilbud_id, version) VALUES (OLD.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
    INSERT INTO planner_offer_versions (moedetilbud_id, version) VALUES (NEW.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_sessions_version_delete AFTER DELETE ON planner_sessions
BEGIN
    INSERT INTO planner_offer_versions (moedetilbud_id, version) VALUES (OLD.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;

-- planner_caseworkers → planner_caseworker_versions
CREATE TRIGGER planner_caseworkers_version_insert AFTER INSERT ON planner_caseworkers
BEGIN
    INSERT INTO planner_caseworker_versions (nummer, version) VALUES (NEW.nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_caseworkers_version_update AFTER UPDATE ON planner_caseworkers
BEGIN
    INSERT INTO planner_caseworker_versions (nummer, version) VALUES (OLD.nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
    INSERT INTO planner_caseworker_versions (nummer, version) VALUES (NEW.nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_caseworkers_version_delete AFTER DELETE ON planner_caseworkers
BEGIN
    INSERT INTO planner_caseworker_versions (nummer, version) VALUES (OLD.nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
END;

-- planner_bookings → planner_caseworker_versions
CREATE TRIGGER planner_bookings_version_insert AFTER INSERT ON planner_bookings
BEGIN
    INSERT INTO planner_caseworker_versions (nummer, version) VALUES (NEW.sagsbehandler_nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_bookings_version_update AFTER UPDATE ON planner_bookings
BEGIN
    INSERT INTO planner_caseworker_versions (nummer, version) VALUES (OLD.sagsbehandler_nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
    INSERT INTO planner_caseworker_versions (nummer, version) VALUES (NEW.sagsbehandler_nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_bookings_version_delete AFTER DELETE ON planner_bookings
BEGIN
    INSERT INTO planner_caseworker_versions (nummer, version) VALUES (OLD.sagsbehandler_nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
END;
