-- Recouvre ledger, schema 3: dunning — scenarios, the action log, interactions, promises, disputes,
-- payment plans, case stages.

-- Reminder scenarios. The shipped ones are inserted by the ledger at open when missing; users may
-- edit them or add their own.
CREATE TABLE scenarios (
    key         TEXT PRIMARY KEY CHECK (key <> ''),
    name        TEXT NOT NULL CHECK (name <> ''),
    updated_at  TEXT NOT NULL
);

CREATE TABLE scenario_steps (
    scenario_key    TEXT NOT NULL REFERENCES scenarios (key) ON DELETE CASCADE,
    position        INTEGER NOT NULL CHECK (position >= 0),
    offset_days     INTEGER NOT NULL,
    channels        TEXT NOT NULL CHECK (channels <> ''),
    template        TEXT NOT NULL,
    tone            TEXT NOT NULL,
    deadline_days   INTEGER,
    PRIMARY KEY (scenario_key, position)
);

-- Which scenario a segment gets, and per-debtor overrides.
CREATE TABLE segment_scenarios (
    segment         TEXT PRIMARY KEY CHECK (segment IN ('nouveau', 'regulier', 'strategique')),
    scenario_key    TEXT NOT NULL REFERENCES scenarios (key)
);
ALTER TABLE debtors ADD COLUMN scenario_key TEXT REFERENCES scenarios (key);

-- Contacts with debtors, both ways: the traceability the court dossier relies on.
CREATE TABLE interactions (
    id              INTEGER PRIMARY KEY,
    debtor_id       INTEGER NOT NULL REFERENCES debtors (id),
    occurred_at     TEXT NOT NULL,
    channel         TEXT NOT NULL
        CHECK (channel IN ('email', 'letter', 'registered_letter', 'phone', 'sms', 'meeting', 'other')),
    direction       TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    summary         TEXT NOT NULL CHECK (summary <> ''),
    outcome         TEXT NOT NULL DEFAULT '',
    document_sha256 TEXT REFERENCES attachments (sha256),
    created_at      TEXT NOT NULL
);
CREATE INDEX interactions_debtor ON interactions (debtor_id, occurred_at);

CREATE TABLE interaction_files (
    interaction_id  INTEGER NOT NULL REFERENCES interactions (id),
    sha256          TEXT NOT NULL REFERENCES attachments (sha256),
    file_name       TEXT NOT NULL,
    PRIMARY KEY (interaction_id, sha256)
);

-- What was done with each proposed action: the agenda reads its progress from here.
CREATE TABLE dunning_actions (
    id              INTEGER PRIMARY KEY,
    debtor_id       INTEGER NOT NULL REFERENCES debtors (id),
    action_key      TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('step', 'declaration', 'plan', 'promise')),
    scenario_key    TEXT,
    step_index      INTEGER,
    outcome         TEXT NOT NULL CHECK (outcome IN ('done', 'skipped', 'postponed')),
    acted_on        TEXT NOT NULL,
    postponed_until TEXT,
    reason          TEXT NOT NULL DEFAULT '',
    invoices        TEXT NOT NULL DEFAULT '',
    interaction_id  INTEGER REFERENCES interactions (id),
    created_at      TEXT NOT NULL,
    CHECK ((outcome = 'postponed') = (postponed_until IS NOT NULL))
);
CREATE INDEX dunning_actions_debtor ON dunning_actions (debtor_id, acted_on);

CREATE TABLE promises (
    id              INTEGER PRIMARY KEY,
    debtor_id       INTEGER NOT NULL REFERENCES debtors (id),
    made_on         TEXT NOT NULL,
    due_on          TEXT NOT NULL CHECK (due_on >= made_on),
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    note            TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
);
CREATE INDEX promises_debtor ON promises (debtor_id, made_on);

CREATE TABLE disputes (
    id                  INTEGER PRIMARY KEY,
    invoice_id          INTEGER NOT NULL REFERENCES invoices (id),
    opened_on           TEXT NOT NULL,
    reason              TEXT NOT NULL
        CHECK (reason IN ('quality', 'quantity', 'price', 'not_delivered', 'already_paid', 'other')),
    note                TEXT NOT NULL DEFAULT '',
    resolved_on         TEXT CHECK (resolved_on IS NULL OR resolved_on >= opened_on),
    resolution          TEXT CHECK (resolution IN ('credit_note', 'rejected', 'agreement')),
    resolution_note     TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    CHECK ((resolved_on IS NULL) = (resolution IS NULL))
);
CREATE INDEX disputes_invoice ON disputes (invoice_id);

CREATE TABLE payment_plans (
    id                  INTEGER PRIMARY KEY,
    debtor_id           INTEGER NOT NULL REFERENCES debtors (id),
    created_on          TEXT NOT NULL,
    total_cents         INTEGER NOT NULL CHECK (total_cents > 0),
    includes_penalties  INTEGER NOT NULL DEFAULT 0 CHECK (includes_penalties IN (0, 1)),
    frequency           TEXT NOT NULL,
    signed_on           TEXT,
    defaulted_on        TEXT,
    note                TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL
);
CREATE INDEX payment_plans_debtor ON payment_plans (debtor_id, created_on);

CREATE TABLE plan_instalments (
    plan_id         INTEGER NOT NULL REFERENCES payment_plans (id),
    position        INTEGER NOT NULL,
    due_on          TEXT NOT NULL,
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    PRIMARY KEY (plan_id, position)
);

-- The collection case's stages, as a timeline.
CREATE TABLE case_transitions (
    id          INTEGER PRIMARY KEY,
    debtor_id   INTEGER NOT NULL REFERENCES debtors (id),
    stage       TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX case_transitions_debtor ON case_transitions (debtor_id, on_date, id);

-- Limits of the harassment guard.
CREATE TABLE dunning_settings (
    id                          INTEGER PRIMARY KEY CHECK (id = 1),
    min_days_between_contacts   INTEGER NOT NULL CHECK (min_days_between_contacts BETWEEN 1 AND 60),
    max_contacts_per_week       INTEGER NOT NULL CHECK (max_contacts_per_week BETWEEN 1 AND 7)
);
