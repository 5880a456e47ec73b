//! Credit notes (avoirs): a document that cancels all or part of an invoice. French invoices are
//! never deleted; a cancelled invoice is one fully covered by credit notes.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::dates::parse_date_field;
use crate::error::{Error, Field, Result};
use crate::money::{parse_amount_field, to_plain};

/// A credit note as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreditNote {
    /// Ledger identifier.
    pub id: i64,
    /// Credit-note number (unique in the ledger).
    pub number: String,
    /// The invoice it reduces.
    pub invoice_id: i64,
    /// That invoice's number.
    pub invoice_number: String,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Amount incl. VAT.
    pub amount_incl_vat: Decimal,
    /// VAT part of it.
    pub vat: Decimal,
    /// Why.
    pub reason: String,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// A new credit note, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCreditNote {
    /// Number.
    pub number: String,
    /// Number of the invoice it reduces.
    pub invoice_number: String,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Amount incl. VAT.
    pub amount_incl_vat: Decimal,
    /// VAT part.
    pub vat: Decimal,
    /// Why.
    pub reason: String,
}

impl NewCreditNote {
    /// Rules on the credit note itself (its fit with the invoice is checked against the ledger).
    pub fn check(&self) -> Result<()> {
        let number = self.number.trim();
        if number.is_empty() || number.chars().count() > 60 || number.chars().any(char::is_control) {
            return Err(Error::invalid(Field::CreditNoteNumber, &self.number, "de 1 à 60 caractères imprimables"));
        }
        if self.amount_incl_vat <= Decimal::ZERO {
            return Err(Error::invalid(
                Field::Amount,
                to_plain(self.amount_incl_vat),
                "un avoir est d'un montant supérieur à zéro",
            ));
        }
        if self.vat < Decimal::ZERO || self.vat >= self.amount_incl_vat {
            return Err(Error::invalid(
                Field::Vat,
                to_plain(self.vat),
                "la TVA est positive et inférieure au montant TTC",
            ));
        }
        Ok(())
    }
}

/// A credit note as typed.
#[derive(Debug, Clone, Default)]
pub struct CreditNoteForm {
    /// Number.
    pub number: String,
    /// Invoice number.
    pub invoice_number: String,
    /// Issue date.
    pub date: String,
    /// Amount incl. VAT.
    pub amount: String,
    /// VAT part (default 0).
    pub vat: Option<String>,
    /// Why.
    pub reason: Option<String>,
}

impl CreditNoteForm {
    /// Parses and checks.
    pub fn parse(self) -> Result<NewCreditNote> {
        let issue_date = parse_date_field(Field::Date, &self.date)?;
        let amount_incl_vat = parse_amount_field(Field::Amount, &self.amount)?;
        let vat = match &self.vat {
            Some(v) => parse_amount_field(Field::Vat, v)?,
            None => Decimal::ZERO,
        };
        let note = NewCreditNote {
            number: self.number.trim().to_owned(),
            invoice_number: self.invoice_number.trim().to_owned(),
            issue_date,
            amount_incl_vat,
            vat,
            reason: self.reason.unwrap_or_default().trim().to_owned(),
        };
        note.check()?;
        Ok(note)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_credit_notes() {
        let base = CreditNoteForm {
            number: "AV-1".into(),
            invoice_number: "F-1".into(),
            date: "2026-11-02".into(),
            amount: "120".into(),
            vat: Some("20".into()),
            reason: Some("remise commerciale".into()),
        };
        assert_eq!(base.clone().parse().unwrap().amount_incl_vat, Decimal::from(120));
        for bad in [
            CreditNoteForm { amount: "-1".into(), ..base.clone() },
            CreditNoteForm { vat: Some("130".into()), ..base.clone() },
            CreditNoteForm { date: "2026-02-30".into(), ..base.clone() },
            CreditNoteForm { number: "".into(), ..base.clone() },
        ] {
            assert_eq!(bad.clone().parse().unwrap_err().code(), "invalid_input", "{bad:?}");
        }
    }
}
