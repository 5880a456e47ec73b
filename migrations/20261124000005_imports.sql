-- Imports: the CSV column mappings a user saved under a name ("Export Henrri", "Relevé Qonto"),
-- re-used for next month's file.
CREATE TABLE import_presets (
    name        TEXT PRIMARY KEY COLLATE NOCASE CHECK (length(trim(name)) BETWEEN 1 AND 60),
    mapping     TEXT NOT NULL,          -- JSON: {"kind": "invoices", "columns": {"invoice_number": "N° Facture", …}}
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
