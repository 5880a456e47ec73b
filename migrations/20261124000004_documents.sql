-- Recouvre ledger, schema 4: documents — the user's wording of each letter, every document
-- produced (stored by content hash in attachments, linked to the interaction that sent it), and the
-- registered letters with their acknowledgement of receipt.

-- The user's own wording of a document; without a row, the wording shipped with Recouvre is used.
CREATE TABLE letter_templates (
    kind        TEXT NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('fr', 'en')),
    subject     TEXT NOT NULL CHECK (subject <> ''),
    body        TEXT NOT NULL CHECK (body <> ''),
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (kind, lang)
);

-- Every document produced: the PDF itself is in attachments (by SHA-256), so that the ledger file
-- holds the proof of what was sent.
CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    sha256          TEXT NOT NULL REFERENCES attachments (sha256),
    debtor_id       INTEGER NOT NULL REFERENCES debtors (id),
    kind            TEXT NOT NULL,
    lang            TEXT NOT NULL CHECK (lang IN ('fr', 'en')),
    -- Which wording: 'shipped' or 'custom', and the SHA-256 of its text (what exactly was used).
    template        TEXT NOT NULL CHECK (template IN ('shipped', 'custom')),
    wording_sha256  TEXT NOT NULL CHECK (length(wording_sha256) = 64),
    dated           TEXT NOT NULL,
    total_cents     INTEGER,
    file_name       TEXT NOT NULL CHECK (file_name <> ''),
    interaction_id  INTEGER REFERENCES interactions (id),
    created_at      TEXT NOT NULL
);
CREATE INDEX documents_debtor ON documents (debtor_id, dated);

-- Registered letters (lettres recommandées avec accusé de réception): the number on the label,
-- when it was posted, first presented and received, and the scan of the signed card.
CREATE TABLE registered_letters (
    id              INTEGER PRIMARY KEY,
    debtor_id       INTEGER NOT NULL REFERENCES debtors (id),
    number          TEXT NOT NULL UNIQUE CHECK (number <> ''),
    sent_on         TEXT NOT NULL,
    presented_on    TEXT CHECK (presented_on IS NULL OR presented_on >= sent_on),
    received_on     TEXT CHECK (received_on IS NULL OR received_on >= sent_on),
    ack_sha256      TEXT REFERENCES attachments (sha256),
    ack_file_name   TEXT,
    document_id     INTEGER REFERENCES documents (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX registered_letters_debtor ON registered_letters (debtor_id, sent_on);

-- The SMTP server reminders may be sent through (optional). The password is NOT here: it lives in
-- the operating system's keyring only.
CREATE TABLE smtp_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    host        TEXT NOT NULL CHECK (host <> ''),
    port        INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    username    TEXT NOT NULL CHECK (username <> ''),
    security    TEXT NOT NULL CHECK (security IN ('starttls', 'tls', 'none')),
    updated_at  TEXT NOT NULL
);

-- The creditor's logo (a PNG kept in attachments), printed top left on every letter.
ALTER TABLE creditor_profile ADD COLUMN logo_sha256 TEXT REFERENCES attachments (sha256);
