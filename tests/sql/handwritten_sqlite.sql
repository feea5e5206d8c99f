-- The kitchen sink as one might write it by hand for SQLite: rowid keys without
-- AUTOINCREMENT, other integer and float spellings (same affinity), REFERENCES without
-- columns, column-level UNIQUE and CHECK, other index names, defaults spelled differently.
CREATE TABLE ks_accounts (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL UNIQUE,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT (CURRENT_TIMESTAMP)
);

CREATE TABLE ks_teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title VARCHAR(80) NOT NULL,
    lead_user_id INT REFERENCES ks_users (id) ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE TABLE ks_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES ks_accounts ON DELETE CASCADE,
    team_id INTEGER REFERENCES ks_teams (id) ON DELETE SET NULL,
    email VARCHAR(255) NOT NULL CHECK (email LIKE '%@%'),
    display_name TEXT,
    score SMALLINT NOT NULL DEFAULT 0 CHECK (score >= 0),
    age SMALLINT NOT NULL,
    ratio FLOAT NOT NULL DEFAULT 1.50,
    weight DOUBLE PRECISION,
    motto TEXT NOT NULL DEFAULT 'it''s "quoted" \ ok',
    avatar BLOB,
    created_on DATE NOT NULL,
    wake_up TIME,
    last_login TIMESTAMP,
    external_id UUID NOT NULL,
    balance NUMERIC(12,2) NOT NULL DEFAULT 0.0,
    prefs JSON,
    tags JSON,
    ip TEXT,
    UNIQUE (account_id, email),
    CONSTRAINT age_ok CHECK (age >= 0)
);
CREATE INDEX users_team ON ks_users (team_id);
CREATE INDEX users_recent ON ks_users (account_id, created_on);
CREATE INDEX users_login ON ks_users (last_login) WHERE last_login IS NOT NULL;

CREATE TABLE ks_memberships (
    account_id BIGINT NOT NULL REFERENCES ks_accounts (id),
    user_id INTEGER NOT NULL REFERENCES ks_users (id) ON DELETE CASCADE,
    role VARCHAR(20) NOT NULL DEFAULT 'member',
    state VARCHAR(6) NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    role_len INTEGER GENERATED ALWAYS AS (length(role)) STORED,
    PRIMARY KEY (account_id, user_id)
);

CREATE TABLE ks_membership_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL,
    user_id INTEGER NOT NULL,
    body TEXT NOT NULL CHECK (length(body) > 0),
    FOREIGN KEY (account_id, user_id) REFERENCES ks_memberships ON DELETE CASCADE
);

CREATE TABLE ks_events (
    id UUID NOT NULL PRIMARY KEY,
    "startsAt" TIMESTAMPTZ NOT NULL,
    "localAt" DATETIME,
    day DATE NOT NULL,
    at TIME NOT NULL,
    kind VARCHAR(40) NOT NULL DEFAULT ('created') CHECK (kind in ('created','updated','deleted')),

    amount NUMERIC(6),
    raw JSON
);
CREATE UNIQUE INDEX ev_day ON ks_events (day, at);
