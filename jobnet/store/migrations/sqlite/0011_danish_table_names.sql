-- Issue 13 (one naming rule): the domain tables take the specification's Danish nouns, as the code
-- already names them (tx.borgere, tx.frister, tx.bookinger, tx.tilmeldinger, tx.fejlmeldinger).
-- Infrastructure keeps English: audit, request_ids, rate_buckets, planner_intents, schema_migrations.
--
-- ALTER TABLE … RENAME TO (SQLite ≥ 3.26, legacy_alter_table off) rewrites the foreign keys of the
-- other tables, the triggers' bodies and the tables' own autoindexes; rows stay where they are. The
-- named indexes and the planner's version triggers are made anew under the new names, with the same
-- definitions as 0001, 0002, 0005 and 0006.

ALTER TABLE job_centres RENAME TO jobcentre;
ALTER TABLE citizens RENAME TO borgere;
ALTER TABLE enrolments RENAME TO tilmeldinger;
ALTER TABLE bookings RENAME TO bookinger;
ALTER TABLE deadlines RENAME TO frister;
ALTER TABLE error_reports RENAME TO fejlmeldinger;

ALTER TABLE planner_caseworkers RENAME TO planner_sagsbehandlere;
ALTER TABLE planner_offers RENAME TO planner_moedetilbud;
ALTER TABLE planner_offer_caseworkers RENAME TO planner_moedetilbud_sagsbehandlere;
ALTER TABLE planner_sessions RENAME TO planner_faellesmoeder;  -- a joint meeting (fællesmøde) and its seats
ALTER TABLE planner_bookings RENAME TO planner_bookinger;
ALTER TABLE planner_error_reports RENAME TO planner_fejlmeldinger;
ALTER TABLE planner_offer_versions RENAME TO planner_moedetilbud_versions;
ALTER TABLE planner_caseworker_versions RENAME TO planner_sagsbehandler_versions;

-- Indexes (0001, 0002, 0005).
DROP INDEX citizens_by_jobcenter;
CREATE INDEX borgere_by_jobcenter ON borgere (jobcenter_kode);
DROP INDEX enrolments_by_cpr;
CREATE INDEX tilmeldinger_by_cpr ON tilmeldinger (cpr);
DROP INDEX bookings_by_cpr;
CREATE INDEX bookinger_by_cpr ON bookinger (cpr, moede_start);
DROP INDEX deadlines_by_cpr;
CREATE INDEX frister_by_cpr ON frister (cpr);

DROP INDEX planner_caseworkers_by_jobcenter;
CREATE INDEX planner_sagsbehandlere_by_jobcenter ON planner_sagsbehandlere (jobcenter_kode);
DROP INDEX planner_offers_by_jobcenter;
CREATE INDEX planner_moedetilbud_by_jobcenter ON planner_moedetilbud (jobcenter_kode, samtaletype);
DROP INDEX planner_offer_caseworkers_by_nummer;
CREATE INDEX planner_moedetilbud_sagsbehandlere_by_nummer ON planner_moedetilbud_sagsbehandlere (nummer);
-- The database's own guard against a double-booked caseworker (individual meetings).
DROP INDEX planner_bookings_one_per_time;
CREATE UNIQUE INDEX planner_bookinger_one_per_time ON planner_bookinger (sagsbehandler_nummer, start)
    WHERE state != 'cancelled' AND session_id IS NULL;
DROP INDEX planner_bookings_by_caseworker;
CREATE INDEX planner_bookinger_by_sagsbehandler ON planner_bookinger (sagsbehandler_nummer, start);
DROP INDEX planner_bookings_by_offer;
CREATE INDEX planner_bookinger_by_moedetilbud ON planner_bookinger (moedetilbud_id);
DROP INDEX planner_bookings_by_session;
CREATE INDEX planner_bookinger_by_session ON planner_bookinger (session_id);
DROP INDEX planner_bookings_by_cpr;
CREATE INDEX planner_bookinger_by_cpr ON planner_bookinger (cpr);
DROP INDEX planner_bookings_live;
CREATE INDEX planner_bookinger_live
    ON planner_bookinger (sagsbehandler_nummer, start, slut, session_id, indkaldelse_id, state)
    WHERE state != 'cancelled';
DROP INDEX planner_bookings_long;
CREATE INDEX planner_bookinger_long ON planner_bookinger (sagsbehandler_nummer, start)
    WHERE state != 'cancelled' AND julianday(slut) - julianday(start) > 0.5;

-- The planner's version triggers (0006) under their tables' names; the renames above already
-- rewrote their bodies, so only the names change (SQLite has no RENAME TRIGGER).
DROP TRIGGER planner_offers_version_insert;
DROP TRIGGER planner_offers_version_update;
DROP TRIGGER planner_offers_version_delete;
DROP TRIGGER planner_offer_caseworkers_version_insert;
DROP TRIGGER planner_offer_caseworkers_version_update;
DROP TRIGGER planner_offer_caseworkers_version_delete;
DROP TRIGGER planner_sessions_version_insert;
DROP TRIGGER planner_sessions_version_update;
DROP TRIGGER planner_sessions_version_delete;
DROP TRIGGER planner_caseworkers_version_insert;
DROP TRIGGER planner_caseworkers_version_update;
DROP TRIGGER planner_caseworkers_version_delete;
DROP TRIGGER planner_bookings_version_insert;
DROP TRIGGER planner_bookings_version_update;
DROP TRIGGER planner_bookings_version_delete;

-- planner_moedetilbud → planner_moedetilbud_versions
CREATE TRIGGER planner_moedetilbud_version_insert AFTER INSERT ON planner_moedetilbud
BEGIN
    INSERT INTO planner_moedetilbud_versions (moedetilbud_id, version) VALUES (NEW.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_moedetilbud_version_update AFTER UPDATE ON planner_moedetilbud
BEGIN
    INSERT INTO planner_moedetilbud_versions (moedetilbud_id, version) VALUES (OLD.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
    INSERT INTO planner_moedetilbud_versions (moedetilbud_id, version) VALUES (NEW.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_moedetilbud_version_delete AFTER DELETE ON planner_moedetilbud
BEGIN
    INSERT INTO planner_moedetilbud_versions (moedetilbud_id, version) VALUES (OLD.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;

-- planner_moedetilbud_sagsbehandlere → planner_moedetilbud_versions
CREATE TRIGGER planner_moedetilbud_sagsbehandlere_version_insert AFTER INSERT ON planner_moedetilbud_sagsbehandlere
BEGIN
    INSERT INTO planner_moedetilbud_versions (moedetilbud_id, version) VALUES (NEW.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_moedetilbud_sagsbehandlere_version_update AFTER UPDATE ON planner_moedetilbud_sagsbehandlere
BEGIN
    INSERT INTO planner_moedetilbud_versions (moedetilbud_id, version) VALUES (OLD.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
    INSERT INTO planner_moedetilbud_versions (moedetilbud_id, version) VALUES (NEW.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_moedetilbud_sagsbehandlere_version_delete AFTER DELETE ON planner_moedetilbud_sagsbehandlere
BEGIN
    INSERT INTO planner_moedetilbud_versions (moedetilbud_id, version) VALUES (OLD.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;

-- planner_faellesmoeder → planner_moedetilbud_versions
CREATE TRIGGER planner_faellesmoeder_version_insert AFTER INSERT ON planner_faellesmoeder
BEGIN
    INSERT INTO planner_moedetilbud_versions (moedetilbud_id, version) VALUES (NEW.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_faellesmoeder_version_update AFTER UPDATE ON planner_faellesmoeder
BEGIN
    INSERT INTO planner_moedetilbud_versions (moedetilbud_id, version) VALUES (OLD.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
    INSERT INTO planner_moedetilbud_versions (moedetilbud_id, version) VALUES (NEW.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_faellesmoeder_version_delete AFTER DELETE ON planner_faellesmoeder
BEGIN
    INSERT INTO planner_moedetilbud_versions (moedetilbud_id, version) VALUES (OLD.moedetilbud_id, 1) ON CONFLICT (moedetilbud_id) DO UPDATE SET version = version + 1;
END;

-- planner_sagsbehandlere → planner_sagsbehandler_versions
CREATE TRIGGER planner_sagsbehandlere_version_insert AFTER INSERT ON planner_sagsbehandlere
BEGIN
    INSERT INTO planner_sagsbehandler_versions (nummer, version) VALUES (NEW.nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_sagsbehandlere_version_update AFTER UPDATE ON planner_sagsbehandlere
BEGIN
    INSERT INTO planner_sagsbehandler_versions (nummer, version) VALUES (OLD.nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
    INSERT INTO planner_sagsbehandler_versions (nummer, version) VALUES (NEW.nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_sagsbehandlere_version_delete AFTER DELETE ON planner_sagsbehandlere
BEGIN
    INSERT INTO planner_sagsbehandler_versions (nummer, version) VALUES (OLD.nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
END;

-- planner_bookinger → planner_sagsbehandler_versions
CREATE TRIGGER planner_bookinger_version_insert AFTER INSERT ON planner_bookinger
BEGIN
    INSERT INTO planner_sagsbehandler_versions (nummer, version) VALUES (NEW.sagsbehandler_nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_bookinger_version_update AFTER UPDATE ON planner_bookinger
BEGIN
    INSERT INTO planner_sagsbehandler_versions (nummer, version) VALUES (OLD.sagsbehandler_nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
    INSERT INTO planner_sagsbehandler_versions (nummer, version) VALUES (NEW.sagsbehandler_nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER planner_bookinger_version_delete AFTER DELETE ON planner_bookinger
BEGIN
    INSERT INTO planner_sagsbehandler_versions (nummer, version) VALUES (OLD.sagsbehandler_nummer, 1) ON CONFLICT (nummer) DO UPDATE SET version = version + 1;
END;
