//! What an import did, or would do in a dry run: each record created, updated, left unchanged or
//! refused, with its origin; and the rejected-lines file a user fixes and imports again.

use serde::Serialize;

use super::{Origin, Rejection};

/// What to do when some lines are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Import nothing (the default): the user fixes the file and imports it whole.
    #[default]
    AllOrNothing,
    /// Import the valid lines, list the refused ones in a file to fix and import again.
    ValidOnly,
}

/// What became of one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// New in the ledger.
    Created,
    /// Already there, with facts the file changes (an amount, a due date).
    Updated,
    /// Already there as the file says: importing twice changes nothing.
    Unchanged,
}

impl Outcome {
    /// French label: what was done, or, when nothing was written (a dry run, a refused file), what
    /// would be.
    pub fn label(self, written: bool) -> &'static str {
        match (self, written) {
            (Outcome::Created, true) => "créé",
            (Outcome::Created, false) => "à créer",
            (Outcome::Updated, true) => "mis à jour",
            (Outcome::Updated, false) => "à mettre à jour",
            (Outcome::Unchanged, _) => "inchangé",
        }
    }
}

/// One record applied (or that would be).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordReport {
    /// Where it was read.
    pub origin: Origin,
    /// `facture FA-2026-001`, `paiement du 03/01/2026`, `débiteur Dupont SARL`.
    pub what: String,
    /// Created, updated or unchanged.
    pub outcome: Outcome,
    /// Details: the debtor matched, what changed, how a payment was allocated.
    pub detail: String,
}

/// Counts per kind of record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Created.
    pub created: usize,
    /// Updated.
    pub updated: usize,
    /// Unchanged.
    pub unchanged: usize,
}

/// What an import did, or would do.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Whether it was a dry run (nothing written whatever the outcome).
    pub dry_run: bool,
    /// Whether the ledger was changed.
    pub committed: bool,
    /// Debtors.
    pub debtors: Counts,
    /// Invoices.
    pub invoices: Counts,
    /// Credit notes.
    pub credit_notes: Counts,
    /// Payments.
    pub payments: Counts,
    /// Every record, in file order.
    pub records: Vec<RecordReport>,
    /// Lines or documents refused.
    pub rejected: Vec<Rejection>,
    /// Remarks (opening balances, bank debits skipped, FEC lines left unmatched).
    pub notices: Vec<Notice>,
}

/// A remark with its origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// Where.
    pub origin: Origin,
    /// What.
    pub message: String,
}

impl ImportReport {
    /// Records a record's fate and counts it.
    pub fn record(&mut self, kind: RecordKind, origin: &Origin, what: String, outcome: Outcome, detail: String) {
        let counts = match kind {
            RecordKind::Debtor => &mut self.debtors,
            RecordKind::Invoice => &mut self.invoices,
            RecordKind::CreditNote => &mut self.credit_notes,
            RecordKind::Payment => &mut self.payments,
        };
        match outcome {
            Outcome::Created => counts.created += 1,
            Outcome::Updated => counts.updated += 1,
            Outcome::Unchanged => counts.unchanged += 1,
        }
        // The raw line stays with the reader: a report of 100 000 lines need not copy each one.
        let origin = Origin { file: origin.file.clone(), line: origin.line, path: origin.path.clone(), raw: None };
        self.records.push(RecordReport { origin, what, outcome, detail });
    }

    /// The rejected-lines file: the header of the source file, then each refused line as it was with
    /// the reason in a last column, so the user fixes them in a spreadsheet and imports the file again
    /// (the extra column is ignored). Refusals without a line of text (an e-invoice) are listed one
    /// per line. `None` when nothing was refused.
    pub fn rejected_file(&self, header: Option<&str>, delimiter: char) -> Option<String> {
        if self.rejected.is_empty() {
            return None;
        }
        let mut out = String::new();
        if let Some(header) = header {
            out.push_str(header);
            out.push(delimiter);
            out.push_str("Erreur\n");
        }
        for rejection in &self.rejected {
            let reason = format!("{rejection}").replace(['"', '\n'], "'");
            match &rejection.raw {
                Some(raw) => out.push_str(&format!("{raw}{delimiter}\"{reason}\"\n")),
                None => out.push_str(&format!("# {reason}\n")),
            }
        }
        Some(out)
    }

    /// A one-line summary: `12 factures créées, 3 inchangées, 2 lignes refusées` — or, when nothing
    /// was written, `12 factures à créer…`.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        let plural = |n: usize| if n > 1 { "s" } else { "" };
        for (name, counts) in [
            ("débiteur", self.debtors),
            ("facture", self.invoices),
            ("avoir", self.credit_notes),
            ("paiement", self.payments),
        ] {
            let feminine = if name == "facture" { "e" } else { "" };
            for (n, outcome) in [
                (counts.created, Outcome::Created),
                (counts.updated, Outcome::Updated),
                (counts.unchanged, Outcome::Unchanged),
            ] {
                if n == 0 {
                    continue;
                }
                let label = outcome.label(self.committed);
                // "créé" and "inchangé" agree with the noun; "mis à jour" and the "à …" forms do not.
                let label =
                    if label.ends_with('é') { format!("{label}{feminine}{}", plural(n)) } else { label.to_owned() };
                parts.push(format!("{n} {name}{} {label}", plural(n)));
            }
        }
        if !self.rejected.is_empty() {
            let n = self.rejected.len();
            parts.push(format!("{n} ligne{} refusée{}", if n > 1 { "s" } else { "" }, if n > 1 { "s" } else { "" }));
        }
        if parts.is_empty() { "rien à importer".into() } else { parts.join(", ") }
    }
}

/// Which kind of record a report line is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// A debtor.
    Debtor,
    /// An invoice.
    Invoice,
    /// A credit note.
    CreditNote,
    /// A payment.
    Payment,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_says_what_was_done_or_would_be() {
        let origin = Origin::line("f.csv", 2);
        let mut report = ImportReport::default();
        report.record(RecordKind::Invoice, &origin, "facture A".into(), Outcome::Created, String::new());
        report.record(RecordKind::Invoice, &origin, "facture B".into(), Outcome::Created, String::new());
        report.record(RecordKind::Payment, &origin, "paiement".into(), Outcome::Unchanged, String::new());
        assert_eq!(report.summary(), "2 factures à créer, 1 paiement inchangé");
        report.committed = true;
        assert_eq!(report.summary(), "2 factures créées, 1 paiement inchangé");
        report.rejected.push(Rejection {
            origin,
            field: "date".into(),
            value: "31/02/2026".into(),
            reason: "ce jour n'existe pas".into(),
            raw: Some("B;31/02/2026".into()),
        });
        assert_eq!(report.summary(), "2 factures créées, 1 paiement inchangé, 1 ligne refusée");
        let file = report.rejected_file(Some("Numéro;Date"), ';').unwrap();
        assert_eq!(
            file,
            "Numéro;Date;Erreur\nB;31/02/2026;\"« f.csv », ligne 2, champ date « 31/02/2026 » : ce jour n'existe pas\"\n"
        );
    }
}
