//! Invoices: what was billed, to whom, when it is due.

use chrono::{DateTime, Days, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::dates::parse_date_field;
use crate::error::{Error, Field, Result};
use crate::money::{parse_amount_field, to_plain};

/// The only currency the ledger accepts for now: the law engine computes in euros.
pub const CURRENCY: &str = "EUR";

/// An invoice as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invoice {
    /// Ledger identifier.
    pub id: i64,
    /// The creditor's invoice number (unique in the ledger).
    pub number: String,
    /// Debtor id.
    pub debtor_id: i64,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// Amount excl. VAT.
    pub amount_excl_vat: Decimal,
    /// VAT.
    pub vat: Decimal,
    /// Amount incl. VAT: what the debtor owes.
    pub amount_incl_vat: Decimal,
    /// ISO 4217 currency (always EUR for now).
    pub currency: String,
    /// What was sold.
    pub description: String,
    /// The original document, when one was attached.
    pub attachment: Option<AttachmentRef>,
    /// Lettrage date: the day payments and credit notes settled it in full, if they did.
    pub settled_on: Option<NaiveDate>,
    /// Delivery or completion date, when it differs from the issue date (prescription runs from it).
    pub delivered_on: Option<NaiveDate>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// A stored original document, known by the SHA-256 of its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentRef {
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    /// File name as given.
    pub file_name: String,
}

/// A document to attach: its name and its bytes (the shell reads the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// File name as given (kept for display and export).
    pub file_name: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Largest attachment accepted: an invoice PDF, not a video.
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;

/// A new invoice, typed. [`NewInvoice::check`] enforces every rule; the ledger calls it again
/// before storing, whoever built the value.
#[derive(Debug, Clone, PartialEq)]
pub struct NewInvoice {
    /// Debtor id.
    pub debtor_id: i64,
    /// Invoice number.
    pub number: String,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// Amount excl. VAT.
    pub amount_excl_vat: Decimal,
    /// VAT.
    pub vat: Decimal,
    /// Amount incl. VAT.
    pub amount_incl_vat: Decimal,
    /// Currency.
    pub currency: String,
    /// Description.
    pub description: String,
    /// Original document.
    pub attachment: Option<NewAttachment>,
    /// Delivery or completion date (default: the issue date).
    pub delivered_on: Option<NaiveDate>,
}

impl NewInvoice {
    /// Checks every rule on a typed invoice.
    pub fn check(&self) -> Result<()> {
        let number = self.number.trim();
        if number.is_empty() || number.chars().count() > 60 || number.chars().any(char::is_control) {
            return Err(Error::invalid(Field::InvoiceNumber, &self.number, "de 1 à 60 caractères imprimables"));
        }
        if self.currency != CURRENCY {
            return Err(Error::invalid(
                Field::Currency,
                &self.currency,
                "seul l'euro (EUR) est pris en charge pour l'instant : les pénalités de retard sont calculées en euros",
            ));
        }
        if self.amount_incl_vat <= Decimal::ZERO {
            return Err(Error::invalid(
                Field::Amount,
                to_plain(self.amount_incl_vat),
                "le montant TTC doit être supérieur à zéro",
            ));
        }
        if self.vat < Decimal::ZERO {
            return Err(Error::invalid(Field::Vat, to_plain(self.vat), "la TVA ne peut pas être négative"));
        }
        if self.amount_excl_vat <= Decimal::ZERO {
            return Err(Error::invalid(
                Field::AmountExclVat,
                to_plain(self.amount_excl_vat),
                "le montant HT doit être supérieur à zéro",
            ));
        }
        if self.amount_excl_vat + self.vat != self.amount_incl_vat {
            return Err(Error::invalid(
                Field::AmountExclVat,
                to_plain(self.amount_excl_vat),
                format!(
                    "HT + TVA ({} + {}) ne fait pas le TTC ({})",
                    to_plain(self.amount_excl_vat),
                    to_plain(self.vat),
                    to_plain(self.amount_incl_vat)
                ),
            ));
        }
        if self.due_date < self.issue_date {
            return Err(Error::invalid(
                Field::DueDate,
                self.due_date.to_string(),
                format!("l'échéance précède la date d'émission ({})", self.issue_date),
            ));
        }
        if let Some(a) = &self.attachment {
            if a.bytes.is_empty() {
                return Err(Error::invalid(Field::Attachment, &a.file_name, "le fichier est vide"));
            }
            if a.bytes.len() > MAX_ATTACHMENT_BYTES {
                return Err(Error::invalid(Field::Attachment, &a.file_name, "20 Mo au plus"));
            }
        }
        Ok(())
    }
}

/// An invoice as typed in the CLI or a form.
#[derive(Debug, Clone, Default)]
pub struct InvoiceForm {
    /// Debtor id.
    pub debtor_id: i64,
    /// Invoice number.
    pub number: String,
    /// Issue date (`2026-11-24` or `24/11/2026`).
    pub issue_date: String,
    /// Due date; when absent, the issue date plus the creditor's default payment term.
    pub due_date: Option<String>,
    /// Amount incl. VAT.
    pub amount_incl_vat: String,
    /// VAT; when absent, zero (VAT not applicable, e.g. art. 293 B of the CGI for micro-entrepreneurs).
    pub vat: Option<String>,
    /// Amount excl. VAT, if the user wants it checked against TTC − TVA.
    pub amount_excl_vat: Option<String>,
    /// Currency (default EUR).
    pub currency: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Original document.
    pub attachment: Option<NewAttachment>,
    /// Delivery or completion date.
    pub delivered_on: Option<String>,
}

impl InvoiceForm {
    /// Parses and checks the typed invoice; `payment_term_days` fills a missing due date.
    pub fn parse(self, payment_term_days: u32) -> Result<NewInvoice> {
        let (date, amount) = (parse_date_field, parse_amount_field);
        let issue_date = date(Field::IssueDate, &self.issue_date)?;
        let due_date = match &self.due_date {
            Some(text) => date(Field::DueDate, text)?,
            None => issue_date.checked_add_days(Days::new(payment_term_days.into())).unwrap_or(issue_date),
        };
        let amount_incl_vat = amount(Field::Amount, &self.amount_incl_vat)?;
        let vat = match &self.vat {
            Some(text) => amount(Field::Vat, text)?,
            None => Decimal::ZERO,
        };
        let amount_excl_vat = match &self.amount_excl_vat {
            Some(text) => amount(Field::AmountExclVat, text)?,
            None => amount_incl_vat - vat,
        };
        let invoice = NewInvoice {
            debtor_id: self.debtor_id,
            number: self.number.trim().to_owned(),
            issue_date,
            due_date,
            amount_excl_vat,
            vat,
            amount_incl_vat,
            currency: self.currency.map(|c| c.trim().to_uppercase()).unwrap_or_else(|| CURRENCY.to_owned()),
            description: self.description.unwrap_or_default().trim().to_owned(),
            attachment: self.attachment,
            delivered_on: self.delivered_on.as_deref().map(|d| date(Field::Date, d)).transpose()?,
        };
        // The TTC is what users type first: report a bad TTC before a HT derived from it.
        if invoice.amount_incl_vat <= Decimal::ZERO {
            return Err(Error::invalid(
                Field::Amount,
                &self.amount_incl_vat,
                "le montant TTC doit être supérieur à zéro",
            ));
        }
        if invoice.vat >= invoice.amount_incl_vat {
            return Err(Error::invalid(
                Field::Vat,
                self.vat.unwrap_or_default(),
                "la TVA doit être inférieure au montant TTC",
            ));
        }
        invoice.check()?;
        Ok(invoice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> InvoiceForm {
        InvoiceForm {
            debtor_id: 1,
            number: "F-2026-001".into(),
            issue_date: "01/10/2026".into(),
            due_date: Some("2026-10-31".into()),
            amount_incl_vat: "1 200,00".into(),
            vat: Some("200".into()),
            ..InvoiceForm::default()
        }
    }

    #[test]
    fn parses_a_typed_invoice() {
        let invoice = form().parse(30).unwrap();
        assert_eq!(invoice.amount_excl_vat, Decimal::from(1000));
        assert_eq!(invoice.due_date, NaiveDate::from_ymd_opt(2026, 10, 31).unwrap());
        let defaulted = InvoiceForm { due_date: None, ..form() }.parse(45).unwrap();
        assert_eq!(defaulted.due_date, NaiveDate::from_ymd_opt(2026, 11, 15).unwrap());
        let no_vat = InvoiceForm { vat: None, ..form() }.parse(30).unwrap();
        assert_eq!(no_vat.amount_excl_vat, no_vat.amount_incl_vat);
    }

    #[test]
    fn refuses_bad_invoices() {
        let cases: Vec<(InvoiceForm, Field)> = vec![
            (InvoiceForm { amount_incl_vat: "-5".into(), ..form() }, Field::Amount),
            (InvoiceForm { amount_incl_vat: "0".into(), ..form() }, Field::Amount),
            (InvoiceForm { amount_incl_vat: "12,34,5".into(), ..form() }, Field::Amount),
            (InvoiceForm { vat: Some("1300".into()), ..form() }, Field::Vat),
            (InvoiceForm { vat: Some("-1".into()), ..form() }, Field::Vat),
            (InvoiceForm { amount_excl_vat: Some("999".into()), ..form() }, Field::AmountExclVat),
            (InvoiceForm { due_date: Some("2026-09-30".into()), ..form() }, Field::DueDate),
            (InvoiceForm { due_date: Some("31/02/2026".into()), ..form() }, Field::DueDate),
            (InvoiceForm { issue_date: "hier".into(), ..form() }, Field::IssueDate),
            (InvoiceForm { currency: Some("usd".into()), ..form() }, Field::Currency),
            (InvoiceForm { number: " ".into(), ..form() }, Field::InvoiceNumber),
            (
                InvoiceForm { attachment: Some(NewAttachment { file_name: "a.pdf".into(), bytes: vec![] }), ..form() },
                Field::Attachment,
            ),
        ];
        for (typed, field) in cases {
            match typed.clone().parse(30) {
                Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field, "{typed:?}"),
                other => panic!("{typed:?} gave {other:?}"),
            }
        }
    }
}
