-- PostgreSQL twin of sqlite/0011_danish_table_names.sql (issue 13, one naming rule): the domain
-- tables take the specification's Danish nouns, as the code already names them; infrastructure keeps
-- English (audit, request_ids, rate_buckets, planner_intents, schema_migrations).
--
-- ALTER TABLE … RENAME keeps rows, foreign keys, CHECKs, triggers and indexes (they refer to the
-- table by its oid), but not the names made from the old table's name: the constraints (and the
-- indexes of the primary and unique keys), the identity sequences, the named indexes, the triggers
-- and their functions. Those are renamed here too, so a fresh database and an upgraded one have the
-- same names. Function bodies are text: the two that name a renamed table are made anew.

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

-- Constraints named after their table (citizens_pkey, bookings_cpr_fkey, bookings_check1, …): the
-- old table name as a prefix becomes the new one. Longest old names first, so planner_offers_… is
-- never taken for a constraint of planner_offer_caseworkers (each table's own constraints only).
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT c.conname, t.relname, m.old
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        JOIN (VALUES ('jobcentre', 'job_centres'), ('borgere', 'citizens'), ('tilmeldinger', 'enrolments'),
                     ('bookinger', 'bookings'), ('frister', 'deadlines'), ('fejlmeldinger', 'error_reports'),
                     ('planner_sagsbehandlere', 'planner_caseworkers'), ('planner_moedetilbud', 'planner_offers'),
                     ('planner_moedetilbud_sagsbehandlere', 'planner_offer_caseworkers'),
                     ('planner_faellesmoeder', 'planner_sessions'), ('planner_bookinger', 'planner_bookings'),
                     ('planner_fejlmeldinger', 'planner_error_reports'),
                     ('planner_moedetilbud_versions', 'planner_offer_versions'),
                     ('planner_sagsbehandler_versions', 'planner_caseworker_versions')) AS m (new, old)
          ON m.new = t.relname
        WHERE t.relnamespace = current_schema()::regnamespace
          AND left(c.conname, length(m.old) + 1) = m.old || '_'
    LOOP
        EXECUTE format('ALTER TABLE %I RENAME CONSTRAINT %I TO %I', r.relname, r.conname,
                       r.relname || substr(r.conname, length(r.old) + 1));
    END LOOP;
END;
$$;

-- Identity sequences (0002).
ALTER SEQUENCE planner_caseworkers_nummer_seq RENAME TO planner_sagsbehandlere_nummer_seq;
ALTER SEQUENCE planner_sessions_id_seq RENAME TO planner_faellesmoeder_id_seq;

-- Indexes (0001, 0002, 0005).
ALTER INDEX citizens_by_jobcenter RENAME TO borgere_by_jobcenter;
ALTER INDEX enrolments_by_cpr RENAME TO tilmeldinger_by_cpr;
ALTER INDEX bookings_by_cpr RENAME TO bookinger_by_cpr;
ALTER INDEX deadlines_by_cpr RENAME TO frister_by_cpr;
ALTER INDEX planner_caseworkers_by_jobcenter RENAME TO planner_sagsbehandlere_by_jobcenter;
ALTER INDEX planner_offers_by_jobcenter RENAME TO planner_moedetilbud_by_jobcenter;
ALTER INDEX planner_offer_caseworkers_by_nummer RENAME TO planner_moedetilbud_sagsbehandlere_by_nummer;
ALTER INDEX planner_bookings_one_per_time RENAME TO planner_bookinger_one_per_time;
ALTER INDEX planner_bookings_by_caseworker RENAME TO planner_bookinger_by_sagsbehandler;
ALTER INDEX planner_bookings_by_offer RENAME TO planner_bookinger_by_moedetilbud;
ALTER INDEX planner_bookings_by_session RENAME TO planner_bookinger_by_session;
ALTER INDEX planner_bookings_by_cpr RENAME TO planner_bookinger_by_cpr;
ALTER INDEX planner_bookings_live RENAME TO planner_bookinger_live;
ALTER INDEX planner_bookings_long RENAME TO planner_bookinger_long;

-- The planner's version functions and triggers (0006). The two bump functions name the versions
-- tables in their bodies: made anew under the new names; the trigger functions call them by name,
-- so they are made anew too, and the triggers with them.
DROP TRIGGER planner_offers_version ON planner_moedetilbud;
DROP TRIGGER planner_offer_caseworkers_version ON planner_moedetilbud_sagsbehandlere;
DROP TRIGGER planner_sessions_version ON planner_faellesmoeder;
DROP TRIGGER planner_caseworkers_version ON planner_sagsbehandlere;
DROP TRIGGER planner_bookings_version ON planner_bookinger;
DROP FUNCTION planner_offers_version();
DROP FUNCTION planner_offer_caseworkers_version();
DROP FUNCTION planner_sessions_version();
DROP FUNCTION planner_caseworkers_version();
DROP FUNCTION planner_bookings_version();
DROP FUNCTION bump_offer_version(text);
DROP FUNCTION bump_caseworker_version(integer);

CREATE FUNCTION bump_moedetilbud_version(id text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO planner_moedetilbud_versions (moedetilbud_id, version) VALUES (id, 1)
    ON CONFLICT (moedetilbud_id) DO UPDATE SET version = planner_moedetilbud_versions.version + 1
$$;
CREATE FUNCTION bump_sagsbehandler_version(n integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO planner_sagsbehandler_versions (nummer, version) VALUES (n, 1)
    ON CONFLICT (nummer) DO UPDATE SET version = planner_sagsbehandler_versions.version + 1
$$;

-- planner_moedetilbud, planner_moedetilbud_sagsbehandlere and planner_faellesmoeder → planner_moedetilbud_versions:
-- one trigger function for the three, each row names its offer
CREATE FUNCTION moedetilbud_row_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_moedetilbud_version(OLD.moedetilbud_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_moedetilbud_version(NEW.moedetilbud_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER planner_moedetilbud_version AFTER INSERT OR UPDATE OR DELETE ON planner_moedetilbud
    FOR EACH ROW EXECUTE FUNCTION moedetilbud_row_version();
CREATE TRIGGER planner_moedetilbud_sagsbehandlere_version AFTER INSERT OR UPDATE OR DELETE
    ON planner_moedetilbud_sagsbehandlere FOR EACH ROW EXECUTE FUNCTION moedetilbud_row_version();
CREATE TRIGGER planner_faellesmoeder_version AFTER INSERT OR UPDATE OR DELETE ON planner_faellesmoeder
    FOR EACH ROW EXECUTE FUNCTION moedetilbud_row_version();

-- planner_sagsbehandlere → planner_sagsbehandler_versions
CREATE FUNCTION planner_sagsbehandlere_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_sagsbehandler_version(OLD.nummer);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_sagsbehandler_version(NEW.nummer);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER planner_sagsbehandlere_version AFTER INSERT OR UPDATE OR DELETE ON planner_sagsbehandlere
    FOR EACH ROW EXECUTE FUNCTION planner_sagsbehandlere_version();

-- planner_bookinger → planner_sagsbehandler_versions
CREATE FUNCTION planner_bookinger_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_sagsbehandler_version(OLD.sagsbehandler_nummer);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_sagsbehandler_version(NEW.sagsbehandler_nummer);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER planner_bookinger_version AFTER INSERT OR UPDATE OR DELETE ON planner_bookinger
    FOR EACH ROW EXECUTE FUNCTION planner_bookinger_version();
