-- Recouvre ledger, schema 1: the creditor, its debtors, invoices, payments and their allocations,
-- credit notes and original documents.
--
-- Rules that hold for the whole schema:
-- * Money is INTEGER cents (never REAL). Rates are decimal TEXT.
-- * Days are TEXT 'YYYY-MM-DD' (ISO 8601, sortable), instants are TEXT RFC 3339 in UTC.
-- * Only facts are stored. Outstanding amounts, statuses and aging are derived at a date by the core.
--   The one exception, invoices.settled_on, is an index (see there), never read as an amount.
-- * Everything a user types is validated by the core first; the CHECKs are the last line of defence.

-- Marks the file as a Recouvre ledger ("RCVR"), so that another SQLite database is never migrated.
PRAGMA application_id = 1380144722;

-- The creditor: one ledger is one business's books (hence invoice numbers unique in the ledger).
CREATE TABLE creditor_profile (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    legal_name          TEXT NOT NULL CHECK (legal_name <> ''),
    legal_form          TEXT,
    siren               TEXT CHECK (siren IS NULL OR length(siren) = 9),
    siret               TEXT CHECK (siret IS NULL OR length(siret) = 14),
    vat_number          TEXT,
    rcs_city            TEXT,
    address_lines       TEXT NOT NULL DEFAULT '',
    postcode            TEXT NOT NULL DEFAULT '',
    city                TEXT NOT NULL DEFAULT '',
    country             TEXT NOT NULL DEFAULT 'FR' CHECK (length(country) = 2),
    email               TEXT,
    phone               TEXT,
    iban                TEXT,
    bic                 TEXT,
    signatory_name      TEXT,
    signatory_title     TEXT,
    -- Yearly late-payment penalty rate of the terms of sale, in percent; NULL = legal default.
    late_penalty_rate   TEXT,
    payment_term_days   INTEGER NOT NULL DEFAULT 30 CHECK (payment_term_days BETWEEN 0 AND 60),
    updated_at          TEXT NOT NULL
);

CREATE TABLE debtors (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('professionnel', 'consommateur')),
    name            TEXT NOT NULL CHECK (name <> ''),
    siren           TEXT CHECK (siren IS NULL OR length(siren) = 9),
    contact_name    TEXT,
    address_lines   TEXT NOT NULL DEFAULT '',
    postcode        TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    country         TEXT NOT NULL DEFAULT 'FR' CHECK (length(country) = 2),
    email           TEXT,
    phone           TEXT,
    segment         TEXT NOT NULL DEFAULT 'nouveau' CHECK (segment IN ('nouveau', 'regulier', 'strategique')),
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX debtors_siren ON debtors (siren) WHERE siren IS NOT NULL;
CREATE INDEX debtors_name ON debtors (name);

-- Original documents (invoice PDFs…), stored once by content hash inside the ledger so that a
-- single file holds the whole evidence and a backup is one copy.
CREATE TABLE attachments (
    sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size_bytes  INTEGER NOT NULL CHECK (size_bytes > 0),
    content     BLOB NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE invoices (
    id                      INTEGER PRIMARY KEY,
    number                  TEXT NOT NULL UNIQUE CHECK (number <> ''),
    debtor_id               INTEGER NOT NULL REFERENCES debtors (id),
    issue_date              TEXT NOT NULL,
    due_date                TEXT NOT NULL CHECK (due_date >= issue_date),
    amount_excl_vat_cents   INTEGER NOT NULL CHECK (amount_excl_vat_cents > 0),
    vat_cents               INTEGER NOT NULL CHECK (vat_cents >= 0),
    amount_incl_vat_cents   INTEGER NOT NULL
        CHECK (amount_incl_vat_cents = amount_excl_vat_cents + vat_cents),
    currency                TEXT NOT NULL DEFAULT 'EUR' CHECK (currency = 'EUR'),
    description             TEXT NOT NULL DEFAULT '',
    attachment_sha256       TEXT REFERENCES attachments (sha256),
    attachment_name         TEXT,
    -- Lettrage date: the day the allocations (payments and credit notes) reached the total; NULL
    -- while anything is owed. Set by the ledger in the transaction that records the allocation, so
    -- that reports at a date can skip invoices settled before it; amounts and statuses are always
    -- recomputed from the allocations.
    settled_on              TEXT CHECK (settled_on IS NULL OR settled_on >= issue_date),
    created_at              TEXT NOT NULL,
    CHECK ((attachment_sha256 IS NULL) = (attachment_name IS NULL))
);
CREATE INDEX invoices_debtor ON invoices (debtor_id, issue_date);
-- Covering indexes of the reports at a date: the invoices still open (in id order, the order in
-- which their allocations are probed), and those settled (open at any earlier date).
CREATE INDEX invoices_open ON invoices (id, debtor_id, due_date, amount_incl_vat_cents, issue_date, settled_on, number)
    WHERE settled_on IS NULL;
-- Payment history per debtor (the agenda's risk score), read in debtor order.
CREATE INDEX invoices_history ON invoices (debtor_id, settled_on, due_date) WHERE settled_on IS NOT NULL;
CREATE INDEX invoices_settled ON invoices (settled_on, issue_date, debtor_id, due_date, amount_incl_vat_cents)
    WHERE settled_on IS NOT NULL;

CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    debtor_id       INTEGER NOT NULL REFERENCES debtors (id),
    received_on     TEXT NOT NULL,
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    method          TEXT NOT NULL
        CHECK (method IN ('virement', 'cheque', 'cb', 'especes', 'prelevement', 'autre')),
    reference       TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX payments_debtor ON payments (debtor_id, received_on);

CREATE TABLE credit_notes (
    id                      INTEGER PRIMARY KEY,
    number                  TEXT NOT NULL UNIQUE CHECK (number <> ''),
    invoice_id              INTEGER NOT NULL REFERENCES invoices (id),
    issue_date              TEXT NOT NULL,
    amount_incl_vat_cents   INTEGER NOT NULL CHECK (amount_incl_vat_cents > 0),
    vat_cents               INTEGER NOT NULL CHECK (vat_cents >= 0 AND vat_cents < amount_incl_vat_cents),
    reason                  TEXT NOT NULL DEFAULT '',
    created_at              TEXT NOT NULL
);
CREATE INDEX credit_notes_invoice ON credit_notes (invoice_id, issue_date, amount_incl_vat_cents);

-- Lettrage: which part of which payment or credit note settles which invoice, and from which day.
CREATE TABLE allocations (
    id              INTEGER PRIMARY KEY,
    payment_id      INTEGER REFERENCES payments (id),
    credit_note_id  INTEGER REFERENCES credit_notes (id),
    invoice_id      INTEGER NOT NULL REFERENCES invoices (id),
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    allocated_on    TEXT NOT NULL,
    CHECK ((payment_id IS NULL) <> (credit_note_id IS NULL))
);
-- Covering indexes: what settles an invoice at a date (one probe per invoice), and per payment.
CREATE INDEX allocations_invoice ON allocations (invoice_id, allocated_on, amount_cents, payment_id);
CREATE INDEX allocations_payment ON allocations (payment_id, allocated_on, amount_cents) WHERE payment_id IS NOT NULL;
CREATE INDEX allocations_credit_note ON allocations (credit_note_id) WHERE credit_note_id IS NOT NULL;
