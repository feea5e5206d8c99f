-- The kitchen sink as a DBA might write it by hand: serial instead of BY DEFAULT identity,
-- GENERATED ALWAYS where the model says always, unnamed constraints, other index names, upper-case keywords and
-- unquoted upper-case names, and defaults spelled differently.
CREATE SCHEMA ks_audit;

CREATE TABLE KS_ACCOUNTS (
    ID BIGSERIAL PRIMARY KEY,
    NAME CHARACTER VARYING(100) NOT NULL UNIQUE,
    ACTIVE BOOL NOT NULL DEFAULT 't',
    CREATED_AT TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
COMMENT ON TABLE ks_accounts IS 'Tenants of the app';
COMMENT ON COLUMN ks_accounts.name IS 'Shown in the UI';

CREATE TABLE ks_teams (
    id BIGSERIAL PRIMARY KEY,
    title VARCHAR(80) NOT NULL,
    lead_user_id INT4
);

CREATE TABLE ks_users (
    id SERIAL PRIMARY KEY,
    account_id INT8 NOT NULL REFERENCES ks_accounts ON DELETE CASCADE,
    team_id INT8 REFERENCES ks_teams (id) ON DELETE SET NULL,
    email VARCHAR(255) NOT NULL CHECK (email LIKE '%@%'),
    display_name TEXT,
    score INT2 NOT NULL DEFAULT '0' CHECK (score >= 0),
    age SMALLINT NOT NULL,
    ratio FLOAT4 NOT NULL DEFAULT 1.50,
    weight FLOAT8,
    motto TEXT NOT NULL DEFAULT E'it\'s "quoted" \\ ok',
    avatar BYTEA,
    created_on DATE NOT NULL,
    wake_up TIME WITHOUT TIME ZONE,
    last_login TIMESTAMP(6),
    external_id UUID NOT NULL,
    balance DECIMAL(12, 2) NOT NULL DEFAULT 0.00,
    prefs JSONB,
    tags JSONB,
    ip INET,
    UNIQUE (account_id, email),
    CHECK ((age >= 0))
);
CREATE INDEX idx_users_team ON ks_users USING btree (team_id);
CREATE INDEX users_recent ON ks_users (account_id, created_on);
CREATE INDEX users_login ON ks_users (last_login) WHERE (last_login IS NOT NULL);

ALTER TABLE ks_teams ADD FOREIGN KEY (lead_user_id) REFERENCES ks_users (id) ON UPDATE CASCADE ON DELETE SET NULL;

CREATE TYPE public.ks_team_state AS ENUM ('open', 'closed');

CREATE TABLE ks_memberships (
    account_id BIGINT NOT NULL REFERENCES ks_accounts (id),
    user_id INTEGER NOT NULL REFERENCES ks_users (id) ON DELETE CASCADE,
    role VARCHAR(20) NOT NULL DEFAULT 'member'::CHARACTER VARYING,
    state public.ks_team_state DEFAULT 'open'::public.ks_team_state NOT NULL,
    role_len INTEGER GENERATED ALWAYS AS (LENGTH((role)::TEXT)) STORED,
    PRIMARY KEY (account_id, user_id)
);

CREATE TABLE ks_membership_notes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT NOT NULL,
    user_id INTEGER NOT NULL,
    body TEXT NOT NULL CHECK (LENGTH(body) > 0),
    FOREIGN KEY (account_id, user_id) REFERENCES ks_memberships ON DELETE CASCADE
);

CREATE TABLE ks_audit.ks_events (
    id UUID PRIMARY KEY,
    "startsAt" TIMESTAMPTZ NOT NULL,
    "localAt" TIMESTAMP WITHOUT TIME ZONE,
    day DATE NOT NULL,
    at TIME NOT NULL,
    kind VARCHAR(40) NOT NULL DEFAULT ('created') CHECK (kind IN ('created', 'updated', 'deleted')),

    amount NUMERIC(6),
    raw JSONB
);
CREATE UNIQUE INDEX events_by_day ON ks_audit.ks_events (day, at);
