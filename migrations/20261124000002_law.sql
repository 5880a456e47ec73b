-- Recouvre ledger, schema 2: what the late-payment law engine needs.

-- The legal figures (ECB rates, legal interest rates, 40 € indemnity…), each with its source.
-- Shipped rows are refreshed from the app's data file at every open; imported rows (a newer file
-- the user brought) win over shipped ones and are never overwritten by them.
CREATE TABLE rate_entries (
    kind        TEXT NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT,
    source      TEXT NOT NULL CHECK (source <> ''),
    origin      TEXT NOT NULL CHECK (origin IN ('shipped', 'imported')),
    loaded_at   TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);

-- Delivery or completion date: prescription runs from it (NULL: the issue date).
ALTER TABLE invoices ADD COLUMN delivered_on TEXT;

-- A penalty rate stipulated in this debtor's contract (percent a year), overriding the terms of sale.
ALTER TABLE debtors ADD COLUMN contract_penalty_rate TEXT;

-- How the creditor wants interest computed (printed on every statement).
ALTER TABLE creditor_profile ADD COLUMN day_basis TEXT NOT NULL DEFAULT '365'
    CHECK (day_basis IN ('365', 'actual'));
ALTER TABLE creditor_profile ADD COLUMN imputation TEXT NOT NULL DEFAULT 'interest-first'
    CHECK (imputation IN ('interest-first', 'principal-first'));

-- Formal notices (mises en demeure) sent: legal interest on a consumer's debt runs from them.
CREATE TABLE formal_notices (
    id                  INTEGER PRIMARY KEY,
    debtor_id           INTEGER NOT NULL REFERENCES debtors (id),
    sent_on             TEXT NOT NULL,
    registered_number   TEXT,
    received_on         TEXT,
    created_at          TEXT NOT NULL,
    CHECK (received_on IS NULL OR received_on >= sent_on)
);
CREATE INDEX formal_notices_debtor ON formal_notices (debtor_id, sent_on);

-- Sauvegarde, redressement or liquidation judiciaire opened against a debtor.
CREATE TABLE collective_procedures (
    debtor_id               INTEGER PRIMARY KEY REFERENCES debtors (id),
    kind                    TEXT NOT NULL CHECK (kind IN ('sauvegarde', 'redressement', 'liquidation')),
    judgment_date           TEXT NOT NULL,
    bodacc_published_on     TEXT CHECK (bodacc_published_on IS NULL OR bodacc_published_on >= judgment_date),
    mandataire_name         TEXT,
    mandataire_address      TEXT,
    created_at              TEXT NOT NULL
);

-- Recovery costs beyond the 40 € indemnity, claimable on proof (C. com. L441-10 II).
CREATE TABLE recovery_costs (
    id                  INTEGER PRIMARY KEY,
    debtor_id           INTEGER NOT NULL REFERENCES debtors (id),
    invoice_id          INTEGER REFERENCES invoices (id),
    incurred_on         TEXT NOT NULL,
    amount_cents        INTEGER NOT NULL CHECK (amount_cents > 0),
    description         TEXT NOT NULL CHECK (description <> ''),
    receipt_sha256      TEXT REFERENCES attachments (sha256),
    created_at          TEXT NOT NULL
);
CREATE INDEX recovery_costs_debtor ON recovery_costs (debtor_id, incurred_on);

-- Events that interrupt or suspend prescription (a formal notice does neither).
CREATE TABLE prescription_events (
    id              INTEGER PRIMARY KEY,
    debtor_id       INTEGER NOT NULL REFERENCES debtors (id),
    invoice_id      INTEGER REFERENCES invoices (id),
    kind            TEXT NOT NULL CHECK (kind IN ('acknowledgement', 'court_claim_served', 'enforcement', 'mediation')),
    occurred_on     TEXT NOT NULL,
    ended_on        TEXT CHECK (ended_on IS NULL OR ended_on >= occurred_on),
    note            TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
);
CREATE INDEX prescription_events_debtor ON prescription_events (debtor_id, occurred_on);

-- Small facts about the ledger file itself (e.g. which shipped rate file it was last synced with).
CREATE TABLE ledger_meta (
    key     TEXT PRIMARY KEY,
    value   TEXT NOT NULL
);
