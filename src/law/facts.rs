//! The facts the law engine needs beyond invoices and payments: formal notices, collective
//! procedures, recovery costs, and the events that interrupt or suspend prescription.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::dates::parse_date_field;
use crate::error::{Error, Field, Result};
use crate::money::{parse_amount_field, to_plain};

fn optional_text(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// A formal notice (mise en demeure) sent to a debtor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormalNotice {
    /// Ledger id.
    pub id: i64,
    /// Debtor.
    pub debtor_id: i64,
    /// Day it was sent (legal interest on a consumer's debt runs from it).
    pub sent_on: NaiveDate,
    /// Registered-letter number (lettre recommandée avec accusé de réception).
    pub registered_number: Option<String>,
    /// Day the acknowledgement of receipt was signed.
    pub received_on: Option<NaiveDate>,
}

/// A formal notice as typed.
#[derive(Debug, Clone, Default)]
pub struct FormalNoticeForm {
    /// Debtor.
    pub debtor_id: i64,
    /// Day sent.
    pub sent_on: String,
    /// LRAR number.
    pub registered_number: Option<String>,
    /// Day received.
    pub received_on: Option<String>,
}

impl FormalNoticeForm {
    /// Parses and checks.
    pub fn parse(self) -> Result<(i64, NaiveDate, Option<String>, Option<NaiveDate>)> {
        let sent_on = parse_date_field(Field::Date, &self.sent_on)?;
        let received_on = self.received_on.as_deref().map(|d| parse_date_field(Field::Date, d)).transpose()?;
        if let Some(received) = received_on.filter(|r| *r < sent_on) {
            return Err(Error::invalid(
                Field::Date,
                received.to_string(),
                "l'accusé de réception ne peut précéder l'envoi",
            ));
        }
        Ok((self.debtor_id, sent_on, optional_text(self.registered_number), received_on))
    }
}

/// The three collective procedures of the Code de commerce's book VI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureKind {
    /// Sauvegarde.
    Sauvegarde,
    /// Redressement judiciaire.
    Redressement,
    /// Liquidation judiciaire.
    Liquidation,
}

impl ProcedureKind {
    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            ProcedureKind::Sauvegarde => "sauvegarde",
            ProcedureKind::Redressement => "redressement",
            ProcedureKind::Liquidation => "liquidation",
        }
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            ProcedureKind::Sauvegarde => "procédure de sauvegarde",
            ProcedureKind::Redressement => "redressement judiciaire",
            ProcedureKind::Liquidation => "liquidation judiciaire",
        }
    }

    /// Reads a key.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_lowercase().as_str() {
            "sauvegarde" => Ok(ProcedureKind::Sauvegarde),
            "redressement" | "redressement-judiciaire" | "rj" => Ok(ProcedureKind::Redressement),
            "liquidation" | "liquidation-judiciaire" | "lj" => Ok(ProcedureKind::Liquidation),
            _ => Err(Error::invalid(Field::Status, text, "valeurs possibles : sauvegarde, redressement, liquidation")),
        }
    }
}

/// A collective procedure opened against a debtor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectiveProcedure {
    /// Debtor.
    pub debtor_id: i64,
    /// Which procedure.
    pub kind: ProcedureKind,
    /// Opening judgment: interest and individual collection stop (C. com. L622-21, L622-28).
    pub judgment_date: NaiveDate,
    /// Publication in the BODACC: the two months to declare the claim run from it.
    pub bodacc_published_on: Option<NaiveDate>,
    /// Mandataire (or liquidateur) judiciaire.
    pub mandataire_name: Option<String>,
    /// Their address.
    pub mandataire_address: Option<String>,
}

impl CollectiveProcedure {
    /// Last day to declare the claim to the mandataire: two months after the BODACC publication
    /// (C. com. L622-24, R622-24). Unknown until the publication is recorded.
    pub fn declaration_deadline(&self) -> Option<NaiveDate> {
        self.bodacc_published_on.and_then(|p| p.checked_add_months(Months::new(2)))
    }
}

/// A collective procedure as typed.
#[derive(Debug, Clone, Default)]
pub struct ProcedureForm {
    /// Debtor.
    pub debtor_id: i64,
    /// sauvegarde, redressement, liquidation.
    pub kind: String,
    /// Judgment date.
    pub judgment_date: String,
    /// BODACC publication date.
    pub bodacc_published_on: Option<String>,
    /// Mandataire's name.
    pub mandataire_name: Option<String>,
    /// Mandataire's address.
    pub mandataire_address: Option<String>,
}

impl ProcedureForm {
    /// Parses and checks.
    pub fn parse(self) -> Result<CollectiveProcedure> {
        let judgment_date = parse_date_field(Field::Date, &self.judgment_date)?;
        let bodacc_published_on =
            self.bodacc_published_on.as_deref().map(|d| parse_date_field(Field::Date, d)).transpose()?;
        if let Some(p) = bodacc_published_on.filter(|p| *p < judgment_date) {
            return Err(Error::invalid(
                Field::Date,
                p.to_string(),
                "la publication au BODACC suit le jugement d'ouverture",
            ));
        }
        Ok(CollectiveProcedure {
            debtor_id: self.debtor_id,
            kind: ProcedureKind::parse(&self.kind)?,
            judgment_date,
            bodacc_published_on,
            mandataire_name: optional_text(self.mandataire_name),
            mandataire_address: optional_text(self.mandataire_address),
        })
    }
}

/// A recovery cost beyond the 40 € indemnity, claimable from a business on proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecoveryCost {
    /// Ledger id.
    pub id: i64,
    /// Debtor.
    pub debtor_id: i64,
    /// The invoice it concerns, if one.
    pub invoice_number: Option<String>,
    /// Day incurred.
    pub incurred_on: NaiveDate,
    /// Amount.
    pub amount: Decimal,
    /// What it was (registered letter, commissaire de justice's fee…).
    pub description: String,
    /// SHA-256 of the receipt kept in the ledger.
    pub receipt_sha256: Option<String>,
}

/// A recovery cost as typed.
#[derive(Debug, Clone, Default)]
pub struct RecoveryCostForm {
    /// Debtor.
    pub debtor_id: i64,
    /// Invoice number, if it concerns one.
    pub invoice_number: Option<String>,
    /// Day incurred.
    pub date: String,
    /// Amount.
    pub amount: String,
    /// What it was.
    pub description: String,
}

impl RecoveryCostForm {
    /// Parses and checks: `(debtor, invoice number, day, amount, description)`.
    pub fn parse(self) -> Result<(i64, Option<String>, NaiveDate, Decimal, String)> {
        let day = parse_date_field(Field::Date, &self.date)?;
        let amount = parse_amount_field(Field::Amount, &self.amount)?;
        if amount <= Decimal::ZERO {
            return Err(Error::invalid(Field::Amount, to_plain(amount), "un frais est d'un montant supérieur à zéro"));
        }
        let description = self.description.trim().to_owned();
        if description.is_empty() {
            return Err(Error::invalid(
                Field::Name,
                "",
                "décrivez le frais (par exemple « frais de lettre recommandée »)",
            ));
        }
        Ok((self.debtor_id, optional_text(self.invoice_number), day, amount, description))
    }
}

/// What happened to the limitation period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PrescriptionEventKind {
    /// The debtor acknowledged the debt in writing (C. civ. 2240). Partial payments and signed
    /// payment plans are acknowledgements too; payments are taken from the ledger directly.
    Acknowledgement,
    /// An injonction de payer order (or another court claim) was served (C. civ. 2241).
    CourtClaimServed,
    /// An enforcement act (C. civ. 2244).
    Enforcement,
    /// Mediation or conciliation: suspends the period while it lasts (C. civ. 2238).
    Mediation,
}

impl PrescriptionEventKind {
    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            PrescriptionEventKind::Acknowledgement => "acknowledgement",
            PrescriptionEventKind::CourtClaimServed => "court_claim_served",
            PrescriptionEventKind::Enforcement => "enforcement",
            PrescriptionEventKind::Mediation => "mediation",
        }
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            PrescriptionEventKind::Acknowledgement => "reconnaissance de dette (C. civ. 2240)",
            PrescriptionEventKind::CourtClaimServed => {
                "signification d'une ordonnance ou demande en justice (C. civ. 2241)"
            }
            PrescriptionEventKind::Enforcement => "acte d'exécution forcée (C. civ. 2244)",
            PrescriptionEventKind::Mediation => "médiation ou conciliation (C. civ. 2238)",
        }
    }

    /// Reads a key (dashes or underscores).
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().replace('-', "_").as_str() {
            "acknowledgement" => Ok(PrescriptionEventKind::Acknowledgement),
            "court_claim_served" => Ok(PrescriptionEventKind::CourtClaimServed),
            "enforcement" => Ok(PrescriptionEventKind::Enforcement),
            "mediation" => Ok(PrescriptionEventKind::Mediation),
            _ => Err(Error::invalid(
                Field::Status,
                text,
                "valeurs possibles : acknowledgement, court-claim-served, enforcement, mediation (une mise en demeure n'interrompt pas la prescription)",
            )),
        }
    }
}

/// An event on the limitation period of one invoice, or of all a debtor's invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrescriptionEvent {
    /// Ledger id.
    pub id: i64,
    /// Debtor.
    pub debtor_id: i64,
    /// The invoice, or `None` for all the debtor's invoices.
    pub invoice_number: Option<String>,
    /// What happened.
    pub kind: PrescriptionEventKind,
    /// When (for a mediation: its start).
    pub occurred_on: NaiveDate,
    /// End of a mediation.
    pub ended_on: Option<NaiveDate>,
    /// Note.
    pub note: String,
}

/// A prescription event as typed.
#[derive(Debug, Clone, Default)]
pub struct PrescriptionEventForm {
    /// Debtor.
    pub debtor_id: i64,
    /// Invoice number, or all the debtor's invoices.
    pub invoice_number: Option<String>,
    /// Kind.
    pub kind: String,
    /// Day.
    pub date: String,
    /// End of a mediation.
    pub until: Option<String>,
    /// Note.
    pub note: Option<String>,
}

impl PrescriptionEventForm {
    /// Parses and checks (the invoice number is resolved by the ledger).
    pub fn parse(self) -> Result<PrescriptionEvent> {
        let kind = PrescriptionEventKind::parse(&self.kind)?;
        let occurred_on = parse_date_field(Field::Date, &self.date)?;
        let ended_on = self.until.as_deref().map(|d| parse_date_field(Field::Date, d)).transpose()?;
        if ended_on.is_some() && kind != PrescriptionEventKind::Mediation {
            return Err(Error::invalid(
                Field::Date,
                self.until.unwrap_or_default(),
                "seule une médiation a une date de fin",
            ));
        }
        if let Some(end) = ended_on.filter(|e| *e < occurred_on) {
            return Err(Error::invalid(Field::Date, end.to_string(), "la fin précède le début"));
        }
        Ok(PrescriptionEvent {
            id: 0,
            debtor_id: self.debtor_id,
            invoice_number: optional_text(self.invoice_number),
            kind,
            occurred_on,
            ended_on,
            note: self.note.unwrap_or_default().trim().to_owned(),
        })
    }
}
