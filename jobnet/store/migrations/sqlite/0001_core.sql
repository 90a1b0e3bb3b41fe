-- DFDG's own data: job centres (planner routing), citizens, enrolments, deadlines,
-- the register of bookings (indkaldelser), error reports, request ids and the audit trail.
-- Instants are UTC ISO-8601 text ending in +00:00, dates are ISO text, booleans 0/1.

CREATE TABLE job_centres (
    kode              TEXT PRIMARY KEY CHECK (kode GLOB '[0-9][0-9][0-9][0-9][0-9]'),
    navn              TEXT NOT NULL CHECK (length(navn) BETWEEN 1 AND 200),
    planner           TEXT CHECK (planner IN ('embedded', 'soap')),  -- NULL: not configured (9018)
    soap_url          TEXT,
    connect_timeout   REAL NOT NULL DEFAULT 3.0 CHECK (connect_timeout > 0),
    read_timeout      REAL NOT NULL DEFAULT 10.0 CHECK (read_timeout > 0),
    telefon           TEXT,
    fax               TEXT,
    kvitteringstekst  TEXT,
    organisationskode INTEGER NOT NULL CHECK (organisationskode BETWEEN 0 AND 99999999)
);

CREATE TABLE citizens (
    cpr                            TEXT PRIMARY KEY CHECK (cpr GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    jobcenter_kode                 TEXT REFERENCES job_centres (kode),
    kontaktgruppe                  INTEGER CHECK (kontaktgruppe >= 0),
    klientkategori                 INTEGER CHECK (klientkategori >= 0),
    levende                        INTEGER NOT NULL CHECK (levende IN (0, 1)),
    har_jobnet_cv                  INTEGER NOT NULL CHECK (har_jobnet_cv IN (0, 1)),
    udlandet                       INTEGER NOT NULL CHECK (udlandet IN (0, 1)),
    midlertidig_udenlandsk_adresse INTEGER NOT NULL CHECK (midlertidig_udenlandsk_adresse IN (0, 1)),
    fravaer                        TEXT NOT NULL
        CHECK (fravaer IN ('none', 'conflicts_with_contact_group', 'blocks_enrollment')),
    kan_selvbooke                  INTEGER NOT NULL CHECK (kan_selvbooke IN (0, 1)),
    straksbooking_paakraevet       INTEGER NOT NULL CHECK (straksbooking_paakraevet IN (0, 1)),
    profil_komplet                 INTEGER NOT NULL CHECK (profil_komplet IN (0, 1))
);
CREATE INDEX citizens_by_jobcenter ON citizens (jobcenter_kode);

CREATE TABLE enrolments (
    id             TEXT PRIMARY KEY,
    cpr            TEXT NOT NULL REFERENCES citizens (cpr),
    startdato      TEXT NOT NULL CHECK (startdato GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    slutdato       TEXT CHECK (slutdato GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    klientkategori INTEGER NOT NULL CHECK (klientkategori >= 0),
    ledighedsgrad  INTEGER NOT NULL CHECK (ledighedsgrad >= 0),
    CHECK (slutdato IS NULL OR slutdato >= startdato)
);
CREATE INDEX enrolments_by_cpr ON enrolments (cpr);

CREATE TABLE bookings (
    indkaldelse_id          TEXT PRIMARY KEY,
    cpr                     TEXT NOT NULL REFERENCES citizens (cpr),
    moedetilbud_id          TEXT,
    jobcenter_kode          TEXT NOT NULL REFERENCES job_centres (kode),
    samtaletype             INTEGER NOT NULL CHECK (samtaletype >= 0),
    moedeform               INTEGER NOT NULL CHECK (moedeform >= 0),
    moede_start             TEXT NOT NULL CHECK (moede_start LIKE '%+00:00'),
    moede_slut              TEXT CHECK (moede_slut LIKE '%+00:00'),
    moedetitel              TEXT NOT NULL CHECK (length(moedetitel) BETWEEN 1 AND 100),
    moedebeskrivelse        TEXT CHECK (length(moedebeskrivelse) <= 500),
    sagsbehandler_eksternt_id TEXT NOT NULL CHECK (length(sagsbehandler_eksternt_id) BETWEEN 1 AND 255),
    sagsbehandler_fornavn   TEXT NOT NULL,
    sagsbehandler_mellemnavn TEXT,
    sagsbehandler_efternavn TEXT NOT NULL,
    samtaleform             INTEGER NOT NULL CHECK (samtaleform >= 0),
    digitalt_moedelink      TEXT,
    telefonnummer           TEXT,
    borger_ringer_op        INTEGER CHECK (borger_ringer_op IN (0, 1)),
    organisationskode       INTEGER NOT NULL CHECK (organisationskode BETWEEN 0 AND 99999999),
    organisationstype       INTEGER NOT NULL CHECK (organisationstype >= 0),
    moedested               TEXT CHECK (moedested IS NULL OR json_valid(moedested)),
    state                   TEXT NOT NULL CHECK (state IN ('active', 'rescheduled', 'cancelled')),
    selvbooket              INTEGER NOT NULL CHECK (selvbooket IN (0, 1)),
    straksbooking           INTEGER NOT NULL CHECK (straksbooking IN (0, 1)),
    borger_skal_acceptere   INTEGER NOT NULL CHECK (borger_skal_acceptere IN (0, 1)),
    accepteret              INTEGER NOT NULL CHECK (accepteret IN (0, 1)),
    ombooking_mulig         INTEGER NOT NULL CHECK (ombooking_mulig IN (0, 1)),
    ombookingsfrist         TEXT CHECK (ombookingsfrist LIKE '%+00:00'),
    aflysning_mulig         INTEGER NOT NULL CHECK (aflysning_mulig IN (0, 1)),
    aflysningsfrist         TEXT CHECK (aflysningsfrist LIKE '%+00:00'),
    moedepligt              INTEGER NOT NULL CHECK (moedepligt IN (0, 1)),
    vis_sagsbehandlernavn   INTEGER NOT NULL CHECK (vis_sagsbehandlernavn IN (0, 1)),
    print_kommentar         TEXT,
    oprettet_af             TEXT NOT NULL,
    oprettet                TEXT NOT NULL CHECK (oprettet LIKE '%+00:00'),
    CHECK (moede_slut IS NULL OR moede_slut >= moede_start),                 -- 4792
    CHECK (ombooking_mulig = 0 OR ombookingsfrist IS NOT NULL),              -- 8126
    CHECK (aflysning_mulig = 0 OR aflysningsfrist IS NOT NULL),              -- 8128
    CHECK (aflysning_mulig = 1 OR aflysningsfrist IS NULL),                  -- 8127
    CHECK (samtaletype NOT IN (17, 18) OR ombooking_mulig = 0)               -- 8270
);
CREATE INDEX bookings_by_cpr ON bookings (cpr, moede_start);

CREATE TABLE deadlines (
    id                     TEXT PRIMARY KEY,
    cpr                    TEXT NOT NULL REFERENCES citizens (cpr),
    samtaletype            INTEGER NOT NULL CHECK (samtaletype >= 0),
    fristdato              TEXT NOT NULL CHECK (fristdato GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    sidste_afholdelsesdato TEXT NOT NULL
        CHECK (sidste_afholdelsesdato GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    status                 INTEGER NOT NULL CHECK (status >= 0),
    straks                 INTEGER NOT NULL CHECK (straks IN (0, 1)),
    indfriet_af            TEXT REFERENCES bookings (indkaldelse_id),
    CHECK (fristdato <= sidste_afholdelsesdato)
);
CREATE INDEX deadlines_by_cpr ON deadlines (cpr);

CREATE TABLE error_reports (
    id             TEXT PRIMARY KEY,
    fejlkode       INTEGER NOT NULL CHECK (fejlkode >= 0),
    fejl_ophav     INTEGER NOT NULL CHECK (fejl_ophav >= 0),
    fejl_tidspunkt TEXT NOT NULL CHECK (fejl_tidspunkt LIKE '%+00:00'),
    moedetilbud_id TEXT,
    indkaldelse_id TEXT,
    fejltekst      TEXT CHECK (length(fejltekst) <= 500),
    cpr            TEXT,
    modtaget       TEXT NOT NULL
);

CREATE TABLE request_ids (
    request_id TEXT PRIMARY KEY,
    operation  TEXT NOT NULL,
    claimed_at TEXT NOT NULL CHECK (claimed_at LIKE '%+00:00')
);
CREATE INDEX request_ids_by_time ON request_ids (claimed_at);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    actor     TEXT NOT NULL,
    detail    TEXT NOT NULL CHECK (json_valid(detail))
);
CREATE INDEX audit_by_entity ON audit (entity, entity_id);

-- The audit trail is append-only.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
