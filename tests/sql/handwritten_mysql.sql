-- The kitchen sink as a DBA might write it by hand for MariaDB: display widths, BOOLEAN,
-- KEY/UNIQUE KEY clauses with other names, unnamed constraints, upper-case column
-- names, MySQL-style escapes and defaults spelled differently.
CREATE TABLE ks_accounts (
    ID BIGINT(20) NOT NULL AUTO_INCREMENT PRIMARY KEY,
    Name VARCHAR(100) NOT NULL COMMENT 'Shown in the UI',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    UNIQUE KEY uq_account_name (Name)
) ENGINE=InnoDB COMMENT 'Tenants of the app';

CREATE TABLE ks_teams (
    id BIGINT AUTO_INCREMENT,
    Title VARCHAR(80) NOT NULL,
    lead_user_id INT(11) NULL,
    PRIMARY KEY (id)
);

CREATE TABLE ks_users (
    id INT(11) NOT NULL AUTO_INCREMENT,
    account_id BIGINT NOT NULL,
    team_id BIGINT DEFAULT NULL,
    email VARCHAR(255) NOT NULL CHECK (email LIKE '%@%'),
    display_name LONGTEXT,
    score SMALLINT(6) NOT NULL DEFAULT '0',
    age SMALLINT NOT NULL,
    ratio FLOAT NOT NULL DEFAULT 1.50,
    weight DOUBLE NULL,
    motto LONGTEXT NOT NULL DEFAULT 'it\'s "quoted" \\ ok',
    avatar LONGBLOB,
    created_on DATE NOT NULL,
    wake_up TIME(6),
    last_login DATETIME(6),
    external_id BINARY(16) NOT NULL,
    balance DECIMAL(12,2) NOT NULL DEFAULT 0.00,
    prefs JSON,
    tags JSON,
    ip VARCHAR(45),
    PRIMARY KEY (id),
    UNIQUE KEY (account_id, email),
    KEY team_idx (team_id),
    KEY users_recent (account_id, created_on),
    INDEX (last_login),
    FOREIGN KEY (account_id) REFERENCES ks_accounts (id) ON DELETE CASCADE,
    CONSTRAINT FOREIGN KEY (team_id) REFERENCES ks_teams (id) ON DELETE SET NULL,
    CHECK (score >= 0),
    CONSTRAINT CHECK (`age` >= 0)
);

ALTER TABLE ks_teams ADD FOREIGN KEY (lead_user_id) REFERENCES ks_users (ID) ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE ks_memberships (
    account_id BIGINT NOT NULL,
    user_id INT NOT NULL,
    role VARCHAR(20) NOT NULL DEFAULT 'member',
    state ENUM('open', 'closed') NOT NULL DEFAULT 'open',
    role_len INT AS (LENGTH(role)) PERSISTENT,
    PRIMARY KEY (account_id, user_id),
    FOREIGN KEY (account_id) REFERENCES ks_accounts (id) ON DELETE NO ACTION,
    FOREIGN KEY (user_id) REFERENCES ks_users (id) ON DELETE CASCADE
);

CREATE TABLE ks_membership_notes (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    user_id INT NOT NULL,
    body LONGTEXT NOT NULL CHECK (LENGTH(body) > 0),
    FOREIGN KEY (account_id, user_id) REFERENCES ks_memberships (account_id, user_id) ON DELETE CASCADE
);

CREATE TABLE ks_events (
    id BINARY(16) NOT NULL PRIMARY KEY,
    STARTSAT DATETIME(6) NOT NULL,
    localAt DATETIME(6) NULL,
    day DATE NOT NULL,
    at TIME(6) NOT NULL,
    kind VARCHAR(40) NOT NULL DEFAULT 'created' CHECK (`kind` IN ('created','updated','deleted')),

    amount DECIMAL(6,0),
    raw JSON,
    UNIQUE INDEX ev_day (day, at)
);
