-- The embedded planner's own tables (it owns calendars: caseworkers, offers, sessions, seats).
-- It shares the SQLite file with DFDG's tables but never reads them, and DFDG never reads these.

CREATE TABLE planner_caseworkers (
    nummer         INTEGER PRIMARY KEY,  -- CaseWorkerID in timeslot answers
    jobcenter_kode TEXT NOT NULL CHECK (jobcenter_kode GLOB '[0-9][0-9][0-9][0-9][0-9]'),
    eksternt_id    TEXT NOT NULL UNIQUE CHECK (length(eksternt_id) BETWEEN 1 AND 255),  -- RID
    fornavn        TEXT NOT NULL CHECK (length(fornavn) BETWEEN 1 AND 50),
    mellemnavn     TEXT CHECK (length(mellemnavn) BETWEEN 1 AND 40),
    efternavn      TEXT NOT NULL CHECK (length(efternavn) BETWEEN 1 AND 40),
    arbejdsdage    TEXT NOT NULL DEFAULT '[1, 2, 3, 4, 5]' CHECK (json_valid(arbejdsdage)),  -- ISO weekdays
    arbejdstid_fra TEXT NOT NULL DEFAULT '09:00' CHECK (arbejdstid_fra GLOB '[0-2][0-9]:[0-5][0-9]'),
    arbejdstid_til TEXT NOT NULL DEFAULT '15:00' CHECK (arbejdstid_til GLOB '[0-2][0-9]:[0-5][0-9]'),
    CHECK (arbejdstid_fra < arbejdstid_til)
);
CREATE INDEX planner_caseworkers_by_jobcenter ON planner_caseworkers (jobcenter_kode);

CREATE TABLE planner_offers (
    moedetilbud_id            TEXT PRIMARY KEY,
    jobcenter_kode            TEXT NOT NULL CHECK (jobcenter_kode GLOB '[0-9][0-9][0-9][0-9][0-9]'),
    samtaletype               INTEGER NOT NULL CHECK (samtaletype >= 0),
    moedeform                 INTEGER NOT NULL CHECK (moedeform IN (1, 2)),  -- 1 individual, 2 joint
    samtaleformer             TEXT NOT NULL CHECK (json_valid(samtaleformer) AND json_array_length(samtaleformer) > 0),
    varighed_minutter         INTEGER NOT NULL CHECK (varighed_minutter BETWEEN 1 AND 1440),
    foerste_moedetid          TEXT CHECK (foerste_moedetid LIKE '%+00:00'),
    sidste_moedetid           TEXT CHECK (sidste_moedetid LIKE '%+00:00'),
    sagsbehandler_kan_vaelges INTEGER NOT NULL CHECK (sagsbehandler_kan_vaelges IN (0, 1)),
    moedetitel                TEXT NOT NULL CHECK (length(moedetitel) BETWEEN 1 AND 100),
    moedebeskrivelse          TEXT CHECK (length(moedebeskrivelse) <= 500),
    moedested                 TEXT CHECK (moedested IS NULL OR json_valid(moedested)),
    aktiv                     INTEGER NOT NULL CHECK (aktiv IN (0, 1)),
    straks                    INTEGER NOT NULL CHECK (straks IN (0, 1)),  -- offered for immediate booking only
    ombooking_mulig           INTEGER NOT NULL CHECK (ombooking_mulig IN (0, 1)),
    ombooking_frist_timer     INTEGER NOT NULL CHECK (ombooking_frist_timer >= 0),
    aflysning_mulig           INTEGER NOT NULL CHECK (aflysning_mulig IN (0, 1)),
    aflysning_frist_timer     INTEGER NOT NULL CHECK (aflysning_frist_timer >= 0),
    moedepligt                INTEGER NOT NULL CHECK (moedepligt IN (0, 1)),
    borger_skal_acceptere     INTEGER NOT NULL CHECK (borger_skal_acceptere IN (0, 1)),
    telefonnummer             TEXT,
    digitalt_moedelink        TEXT,
    borger_ringer_op          INTEGER NOT NULL CHECK (borger_ringer_op IN (0, 1)),
    organisationskode         INTEGER NOT NULL CHECK (organisationskode BETWEEN 0 AND 99999999),
    organisationstype         INTEGER NOT NULL CHECK (organisationstype >= 0),
    kontaktgrupper            TEXT CHECK (kontaktgrupper IS NULL OR json_valid(kontaktgrupper)),  -- NULL: all
    CHECK (moedeform = 1 OR sagsbehandler_kan_vaelges = 0),       -- joint meetings: never a choice
    CHECK (moedeform = 1 OR sidste_moedetid IS NOT NULL),          -- joint meetings always end
    CHECK (foerste_moedetid IS NULL OR sidste_moedetid IS NULL OR foerste_moedetid <= sidste_moedetid),
    CHECK (samtaletype NOT IN (17, 18) OR ombooking_mulig = 0)     -- 8270
);
CREATE INDEX planner_offers_by_jobcenter ON planner_offers (jobcenter_kode, samtaletype);

CREATE TABLE planner_offer_caseworkers (
    moedetilbud_id TEXT NOT NULL REFERENCES planner_offers (moedetilbud_id),
    nummer         INTEGER NOT NULL REFERENCES planner_caseworkers (nummer),
    PRIMARY KEY (moedetilbud_id, nummer)
);
CREATE INDEX planner_offer_caseworkers_by_nummer ON planner_offer_caseworkers (nummer);

CREATE TABLE planner_sessions (
    id             INTEGER PRIMARY KEY,
    moedetilbud_id TEXT NOT NULL REFERENCES planner_offers (moedetilbud_id),
    start          TEXT NOT NULL CHECK (start LIKE '%+00:00'),
    antal_pladser  INTEGER NOT NULL CHECK (antal_pladser > 0),
    ledige_pladser INTEGER NOT NULL,
    CHECK (ledige_pladser BETWEEN 0 AND antal_pladser),
    UNIQUE (moedetilbud_id, start)
);

CREATE TABLE planner_bookings (
    indkaldelse_id        TEXT PRIMARY KEY,
    cpr                   TEXT NOT NULL,
    moedetilbud_id        TEXT NOT NULL REFERENCES planner_offers (moedetilbud_id),
    start                 TEXT NOT NULL CHECK (start LIKE '%+00:00'),
    slut                  TEXT NOT NULL CHECK (slut LIKE '%+00:00'),
    sagsbehandler_nummer  INTEGER NOT NULL REFERENCES planner_caseworkers (nummer),
    session_id            INTEGER REFERENCES planner_sessions (id),
    samtaleform           INTEGER NOT NULL,
    state                 TEXT NOT NULL CHECK (state IN ('active', 'rescheduled', 'cancelled')),
    accepteret            INTEGER NOT NULL CHECK (accepteret IN (0, 1)),
    straks                INTEGER NOT NULL CHECK (straks IN (0, 1)),
    selvbooket            INTEGER NOT NULL CHECK (selvbooket IN (0, 1)),
    borger_skal_acceptere INTEGER NOT NULL CHECK (borger_skal_acceptere IN (0, 1)),
    oprettet              TEXT NOT NULL,
    CHECK (slut > start)
);
-- The database's own guard against a double-booked caseworker (individual meetings).
CREATE UNIQUE INDEX planner_bookings_one_per_time ON planner_bookings (sagsbehandler_nummer, start)
    WHERE state != 'cancelled' AND session_id IS NULL;
CREATE INDEX planner_bookings_by_caseworker ON planner_bookings (sagsbehandler_nummer, start);
CREATE INDEX planner_bookings_by_offer ON planner_bookings (moedetilbud_id);
CREATE INDEX planner_bookings_by_session ON planner_bookings (session_id);
CREATE INDEX planner_bookings_by_cpr ON planner_bookings (cpr);

CREATE TABLE planner_error_reports (
    id             TEXT PRIMARY KEY,
    fejlkode       INTEGER NOT NULL,
    fejl_ophav     INTEGER NOT NULL,
    fejl_tidspunkt TEXT NOT NULL,
    moedetilbud_id TEXT,
    indkaldelse_id TEXT,
    fejltekst      TEXT CHECK (length(fejltekst) <= 500),
    cpr            TEXT,
    modtaget       TEXT NOT NULL
);
