//! Conversions between database rows and domain types: the only place that knows money is stored
//! as integer cents and enums as their stable keys.

use rust_decimal::Decimal;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::error::{Error, Field, Result};
use crate::money;
use crate::parties::{Debtor, DebtorKind, PostalAddress, Segment};
use crate::receivables::invoice::{AttachmentRef, Invoice};

/// Cents for storage. Amounts reach the ledger validated; a fraction of a cent is still refused
/// rather than rounded, because rounding money silently is how ledgers drift.
pub(super) fn cents(field: Field, amount: Decimal) -> Result<i64> {
    money::to_cents(amount).ok_or_else(|| Error::invalid(field, amount.to_string(), "montant au centime près attendu"))
}

/// A stored enum key that does not parse means the file was edited by hand or by a newer version.
pub(super) fn corrupt(what: &str, value: &str) -> Error {
    Error::Storage(sqlx::Error::Decode(format!("valeur inattendue dans le registre pour {what} : « {value} »").into()))
}

/// A rate stored as decimal text.
pub(super) fn rate(row: &SqliteRow, column: &str) -> Result<Option<Decimal>> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|t| t.parse::<Decimal>().map_err(|_| corrupt(column, &t))).transpose()
}

/// The postal address columns shared by `debtors` and `creditor_profile`.
pub(super) fn address(row: &SqliteRow) -> Result<PostalAddress> {
    let lines: String = row.try_get("address_lines")?;
    Ok(PostalAddress {
        lines: PostalAddress::split_lines(&lines),
        postcode: row.try_get("postcode")?,
        city: row.try_get("city")?,
        country: row.try_get("country")?,
    })
}

pub(super) const DEBTOR_COLUMNS: &str = "id, kind, name, siren, contact_name, address_lines, postcode, city, country, \
     email, phone, segment, notes, contract_penalty_rate, created_at, updated_at";

pub(super) fn debtor(row: &SqliteRow) -> Result<Debtor> {
    let kind: String = row.try_get("kind")?;
    let segment: String = row.try_get("segment")?;
    Ok(Debtor {
        id: row.try_get("id")?,
        kind: DebtorKind::parse(&kind).map_err(|_| corrupt("debtors.kind", &kind))?,
        name: row.try_get("name")?,
        siren: row.try_get("siren")?,
        contact_name: row.try_get("contact_name")?,
        address: address(row)?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        segment: Segment::parse(&segment).map_err(|_| corrupt("debtors.segment", &segment))?,
        notes: row.try_get("notes")?,
        contract_penalty_rate: rate(row, "contract_penalty_rate")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

pub(super) const INVOICE_COLUMNS: &str = "i.id, i.number, i.debtor_id, i.issue_date, i.due_date, \
     i.amount_excl_vat_cents, i.vat_cents, i.amount_incl_vat_cents, i.currency, i.description, \
     i.attachment_sha256, i.attachment_name, i.settled_on, i.delivered_on, i.created_at";

pub(super) fn invoice(row: &SqliteRow) -> Result<Invoice> {
    let sha256: Option<String> = row.try_get("attachment_sha256")?;
    let file_name: Option<String> = row.try_get("attachment_name")?;
    Ok(Invoice {
        id: row.try_get("id")?,
        number: row.try_get("number")?,
        debtor_id: row.try_get("debtor_id")?,
        issue_date: row.try_get("issue_date")?,
        due_date: row.try_get("due_date")?,
        amount_excl_vat: money::from_cents(row.try_get("amount_excl_vat_cents")?),
        vat: money::from_cents(row.try_get("vat_cents")?),
        amount_incl_vat: money::from_cents(row.try_get("amount_incl_vat_cents")?),
        currency: row.try_get("currency")?,
        description: row.try_get("description")?,
        attachment: sha256.zip(file_name).map(|(sha256, file_name)| AttachmentRef { sha256, file_name }),
        settled_on: row.try_get("settled_on")?,
        delivered_on: row.try_get("delivered_on")?,
        created_at: row.try_get("created_at")?,
    })
}
