//! Invoices, their original documents and their credit notes.

use sha2::{Digest, Sha256};
use sqlx::{AssertSqlSafe, SqliteConnection};

use super::raw::{Statement, Value};
use super::rows::{self, INVOICE_COLUMNS, cents};
use super::{Ledger, WriteTx};
use crate::error::{Error, Field, Result};
use crate::money::to_plain;
use crate::receivables::Balance;
use crate::receivables::credit_note::{CreditNote, NewCreditNote};
use crate::receivables::invoice::{Invoice, InvoiceForm, NewAttachment, NewInvoice};

const INSERT_INVOICE: &str = "INSERT INTO invoices (number, debtor_id, issue_date, due_date, amount_excl_vat_cents, \
     vat_cents, amount_incl_vat_cents, currency, description, attachment_sha256, attachment_name, created_at, \
     delivered_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

impl WriteTx {
    /// Records an invoice from a typed form; a missing due date takes the profile's payment term.
    pub async fn add_invoice(&mut self, form: InvoiceForm) -> Result<Invoice> {
        let term = self.payment_term_days().await?;
        let invoice = form.parse(term)?;
        self.add_invoices(std::slice::from_ref(&invoice)).await?;
        let id = find_id(self.conn(), &invoice.number).await?.ok_or(Error::UnknownInvoice(invoice.number))?;
        load(self.conn(), id).await
    }

    /// Records many typed invoices. Each is checked by [`NewInvoice::check`]; an unknown debtor or a
    /// duplicate number names the invoice at fault.
    pub async fn add_invoices(&mut self, invoices: &[NewInvoice]) -> Result<usize> {
        let mut numbers = std::collections::HashSet::with_capacity(invoices.len());
        for invoice in invoices {
            invoice.check()?;
            if !numbers.insert(invoice.number.as_str()) {
                return Err(Error::DuplicateInvoiceNumber(invoice.number.clone()));
            }
        }
        let now = self.now;
        let mut attachments = Vec::with_capacity(invoices.len());
        for invoice in invoices {
            attachments.push(match &invoice.attachment {
                Some(a) => Some((store_attachment(self.conn(), a, now).await?, a.file_name.clone())),
                None => None,
            });
        }
        if let Some((index, error)) = insert_rows(self.conn(), invoices, &attachments, now).await? {
            // A failed statement leaves the transaction usable: say what is wrong with that invoice.
            explain_failure(self.conn(), &invoices[index]).await?;
            return Err(error);
        }
        Ok(invoices.len())
    }

    /// Records a credit note against an invoice. It may not exceed what the invoice still owes, nor
    /// predate it.
    pub async fn add_credit_note(&mut self, note: &NewCreditNote) -> Result<CreditNote> {
        note.check()?;
        let now = self.now;
        let tx = self.conn();
        let invoice_id = find_id(tx, &note.invoice_number)
            .await?
            .ok_or_else(|| Error::UnknownInvoice(note.invoice_number.clone()))?;
        let invoice = load(tx, invoice_id).await?;
        if note.issue_date < invoice.issue_date {
            return Err(Error::invalid(
                Field::Date,
                note.issue_date.to_string(),
                format!("un avoir ne peut pas précéder la facture qu'il annule (émise le {})", invoice.issue_date),
            ));
        }
        let outstanding = balance(tx, &invoice).await?.outstanding();
        if note.amount_incl_vat > outstanding {
            return Err(Error::invalid(
                Field::Amount,
                to_plain(note.amount_incl_vat),
                format!(
                    "la facture {} ne doit plus que {} : un avoir plus grand serait un remboursement",
                    invoice.number,
                    to_plain(outstanding)
                ),
            ));
        }
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM credit_notes WHERE number = $1")
            .bind(&note.number)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(Error::DuplicateCreditNoteNumber(note.number.clone()));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO credit_notes (number, invoice_id, issue_date, amount_incl_vat_cents, vat_cents, reason, \
                 created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&note.number)
        .bind(invoice_id)
        .bind(note.issue_date)
        .bind(cents(Field::Amount, note.amount_incl_vat)?)
        .bind(cents(Field::Vat, note.vat)?)
        .bind(&note.reason)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        // A credit note is lettered against its invoice like a payment.
        sqlx::query(
            "INSERT INTO allocations (credit_note_id, invoice_id, amount_cents, allocated_on) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(invoice_id)
        .bind(cents(Field::Amount, note.amount_incl_vat)?)
        .bind(note.issue_date)
        .execute(&mut *tx)
        .await?;
        refresh_settled_on(tx, invoice_id).await?;
        let created = credit_notes_of(tx, invoice_id).await?.into_iter().find(|c| c.id == id);
        created.ok_or_else(|| Error::UnknownInvoice(note.invoice_number.clone()))
    }
}

impl Ledger {
    /// An invoice by its number.
    pub async fn invoice(&self, number: &str) -> Result<Invoice> {
        let mut conn = self.pool.acquire().await?;
        let id = find_id(&mut conn, number).await?.ok_or_else(|| Error::UnknownInvoice(number.to_owned()))?;
        load(&mut conn, id).await
    }

    /// The stored original document of an invoice, if any.
    pub async fn attachment(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        Ok(sqlx::query_scalar("SELECT content FROM attachments WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The credit notes of an invoice, oldest first.
    pub async fn credit_notes(&self, invoice_id: i64) -> Result<Vec<CreditNote>> {
        credit_notes_of(&mut *self.pool.acquire().await?, invoice_id).await
    }
}

pub(super) async fn find_id(conn: &mut SqliteConnection, number: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM invoices WHERE number = $1").bind(number.trim()).fetch_optional(conn).await?)
}

pub(super) async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Invoice> {
    let sql = format!("SELECT {INVOICE_COLUMNS} FROM invoices i WHERE i.id = $1");
    let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(rows::invoice).transpose()?.ok_or_else(|| Error::UnknownInvoice(format!("#{id}")))
}

/// What an invoice amounts to with every recorded fact (no date limit): the basis of every check
/// made when recording something new.
pub(super) async fn balance(conn: &mut SqliteConnection, invoice: &Invoice) -> Result<Balance> {
    let (paid, credited): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN payment_id IS NOT NULL THEN amount_cents END), 0), \
                COALESCE(SUM(CASE WHEN credit_note_id IS NOT NULL THEN amount_cents END), 0) \
         FROM allocations WHERE invoice_id = $1",
    )
    .bind(invoice.id)
    .fetch_one(conn)
    .await?;
    Ok(Balance {
        total: invoice.amount_incl_vat,
        paid: crate::money::from_cents(paid),
        credited: crate::money::from_cents(credited),
    })
}

/// Sets the invoice's lettrage date from its allocations: the last allocation's day once they add up
/// to the total, NULL otherwise. Called by every write that allocates.
pub(super) async fn refresh_settled_on(conn: &mut SqliteConnection, invoice_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE invoices SET settled_on = ( \
             SELECT CASE WHEN SUM(a.amount_cents) >= invoices.amount_incl_vat_cents THEN MAX(a.allocated_on) END \
             FROM allocations a WHERE a.invoice_id = invoices.id) \
         WHERE id = $1",
    )
    .bind(invoice_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn store_attachment(
    conn: &mut SqliteConnection,
    attachment: &NewAttachment,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String> {
    let sha256 = hex::encode(Sha256::digest(&attachment.bytes));
    sqlx::query(
        "INSERT INTO attachments (sha256, size_bytes, content, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&sha256)
    .bind(i64::try_from(attachment.bytes.len()).unwrap_or(i64::MAX))
    .bind(&attachment.bytes)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(sha256)
}

/// Inserts the invoices with one prepared statement through SQLite's C API, on the transaction's
/// own connection: sqlx's multi-row inserts cost a third more on a 100 000-line import, most of it
/// in its worker channel. Returns the first row SQLite refused (unknown debtor, number taken), with
/// SQLite's error; the rows before it stay in the transaction, which the caller rolls back.
async fn insert_rows(
    conn: &mut SqliteConnection,
    invoices: &[NewInvoice],
    attachments: &[Option<(String, String)>],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<(usize, Error)>> {
    // sqlx's own encodings, so that these rows read back like every other.
    let created_at = now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
    let mut rows = Vec::with_capacity(invoices.len());
    for invoice in invoices {
        rows.push((
            cents(Field::AmountExclVat, invoice.amount_excl_vat)?,
            cents(Field::Vat, invoice.vat)?,
            cents(Field::Amount, invoice.amount_incl_vat)?,
            invoice.issue_date.to_string(),
            invoice.due_date.to_string(),
            invoice.delivered_on.map(|day| day.to_string()),
        ));
    }
    let mut locked = conn.lock_handle().await?;
    let mut insert = Statement::prepare(locked.as_raw_handle(), INSERT_INVOICE)?;
    for (index, ((invoice, row), attachment)) in invoices.iter().zip(&rows).zip(attachments).enumerate() {
        let (excl, vat, incl, issue, due, delivered) = row;
        let (sha256, name) = attachment.as_ref().map(|(sha, name)| (sha.as_str(), name.as_str())).unzip();
        let values = [
            Value::Text(&invoice.number),
            Value::Int(invoice.debtor_id),
            Value::Text(issue),
            Value::Text(due),
            Value::Int(*excl),
            Value::Int(*vat),
            Value::Int(*incl),
            Value::Text(&invoice.currency),
            Value::Text(&invoice.description),
            Value::text_or_null(sha256),
            Value::text_or_null(name),
            Value::Text(&created_at),
            Value::text_or_null(delivered.as_deref()),
        ];
        if let Err(error) = insert.run(&values) {
            return Ok(Some((index, error)));
        }
    }
    Ok(None)
}

/// Turns a failed bulk insert into the error a user can act on for this invoice, if it is at fault.
async fn explain_failure(conn: &mut SqliteConnection, invoice: &NewInvoice) -> Result<()> {
    let debtor: Option<i64> = sqlx::query_scalar("SELECT id FROM debtors WHERE id = $1")
        .bind(invoice.debtor_id)
        .fetch_optional(&mut *conn)
        .await?;
    if debtor.is_none() {
        return Err(Error::UnknownDebtor(invoice.debtor_id));
    }
    if find_id(conn, &invoice.number).await?.is_some() {
        return Err(Error::DuplicateInvoiceNumber(invoice.number.clone()));
    }
    Ok(())
}

/// A `credit_notes` row joined with its invoice's number.
#[derive(sqlx::FromRow)]
struct CreditNoteRow {
    id: i64,
    number: String,
    invoice_id: i64,
    invoice_number: String,
    issue_date: chrono::NaiveDate,
    amount_incl_vat_cents: i64,
    vat_cents: i64,
    reason: String,
    created_at: chrono::DateTime<chrono::Utc>,
}

pub(super) async fn credit_notes_of(conn: &mut SqliteConnection, invoice_id: i64) -> Result<Vec<CreditNote>> {
    let rows: Vec<CreditNoteRow> = sqlx::query_as(
        "SELECT c.id, c.number, c.invoice_id, i.number AS invoice_number, c.issue_date, c.amount_incl_vat_cents, \
             c.vat_cents, c.reason, c.created_at \
         FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id \
         WHERE c.invoice_id = $1 ORDER BY c.issue_date, c.id",
    )
    .bind(invoice_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CreditNote {
            id: r.id,
            number: r.number,
            invoice_id: r.invoice_id,
            invoice_number: r.invoice_number,
            issue_date: r.issue_date,
            amount_incl_vat: crate::money::from_cents(r.amount_incl_vat_cents),
            vat: crate::money::from_cents(r.vat_cents),
            reason: r.reason,
            created_at: r.created_at,
        })
        .collect())
}
