-- PostgreSQL twin of sqlite/0006_planner_versions.sql (issue 5): versions of the embedded planner's
-- data a timeslot search reads, moved by triggers in the same transaction as the change. Shared by
-- every instance on the database, so an answer kept by one instance is never reused after a change
-- made through another (jobnet/planner/embedded/memo.py reads the versions on every call).
CREATE TABLE planner_offer_versions (
    moedetilbud_id TEXT PRIMARY KEY,
    version        INTEGER NOT NULL
);
CREATE TABLE planner_caseworker_versions (
    nummer  INTEGER PRIMARY KEY,
    version INTEGER NOT NULL
);

CREATE FUNCTION bump_offer_version(id text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO planner_offer_versions (moedetilbud_id, version) VALUES (id, 1)
    ON CONFLICT (moedetilbud_id) DO UPDATE SET version = planner_offer_versions.version + 1
$$;
CREATE FUNCTION bump_caseworker_version(n integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO planner_caseworker_versions (nummer, version) VALUES (n, 1)
    ON CONFLICT (nummer) DO UPDATE SET version = planner_caseworker_versions.version + 1
$$;

-- planner_offers → planner_offer_versions
CREATE FUNCTION planner_offers_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_offer_version(OLD.moedetilbud_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_offer_version(NEW.moedetilbud_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER planner_offers_version AFTER INSERT OR UPDATE OR DELETE ON planner_offers
    FOR EACH ROW EXECUTE FUNCTION planner_offers_version();

-- planner_offer_caseworkers → planner_offer_versions
CREATE FUNCTION planner_offer_caseworkers_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_offer_version(OLD.moedetilbud_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_offer_version(NEW.moedetilbud_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER planner_offer_caseworkers_version AFTER INSERT OR UPDATE OR DELETE ON planner_offer_caseworkers
    FOR EACH ROW EXECUTE FUNCTION planner_offer_caseworkers_version();

-- planner_sessions → planner_offer_versions
CREATE FUNCTION planner_sessions_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_offer_version(OLD.moedetilbud_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_offer_version(NEW.moedetilbud_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER planner_sessions_version AFTER INSERT OR UPDATE OR DELETE ON planner_sessions
    FOR EACH ROW EXECUTE FUNCTION planner_sessions_version();

-- planner_caseworkers → planner_caseworker_versions
CREATE FUNCTION planner_caseworkers_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_caseworker_version(OLD.nummer);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_caseworker_version(NEW.nummer);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER planner_caseworkers_version AFTER INSERT OR UPDATE OR DELETE ON planner_caseworkers
    FOR EACH ROW EXECUTE FUNCTION planner_caseworkers_version();

-- planner_bookings → planner_caseworker_versions
CREATE FUNCTION planner_bookings_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM bump_caseworker_version(OLD.sagsbehandler_nummer);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM bump_caseworker_version(NEW.sagsbehandler_nummer);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER planner_bookings_version AFTER INSERT OR UPDATE OR DELETE ON planner_bookings
    FOR EACH ROW EXECUTE FUNCTION planner_bookings_version();
