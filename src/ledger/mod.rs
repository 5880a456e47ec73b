//! The ledger: the one place that talks to the database.
//!
//! Architecture invariants:
//! * No SQL outside this module. Callers use [`Ledger`]'s methods with domain types.
//! * Every public method that writes is one transaction: on any error, nothing changed.
//! * Every rule is checked in the core's domain types before anything is written; the schema's
//!   CHECK constraints are the last line of defence, not the user's error messages.
//! * SQL is kept portable (`$1` placeholders, `RETURNING`, ISO dates as text, no SQLite date
//!   functions) so that the same queries can later run on PostgreSQL.
//! * Only the ledger reads the wall clock, and only for audit timestamps (`created_at`), through an
//!   injectable [`Clock`]. Every business computation takes its date as an argument.

mod agenda;
mod bench_support;
mod debtors;
mod dispatch;
mod documents;
mod dunning;
mod history;
mod import_bulk;
mod import_presets;
mod imports;
mod invoices;
mod law_facts;
mod open;
mod payments;
mod profile;
mod rates;
mod raw;
mod reports;
mod rows;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};

pub use agenda::Act;
pub use dispatch::{ProducedEmail, RegisteredLetter, RegisteredLetterForm};
pub use documents::{LetterRequest, PrintDay, Produced, StoredDocument, Unprinted};
pub use dunning::NewInteraction;
pub use history::{DunningHistory, PlanStanding};
pub use law_facts::InvoiceLimitation;
pub use open::{SCHEMA_VERSION, default_path};
pub use payments::Settlement;
pub use rates::{RateImport, RateOrigin, StoredRate};
pub use reports::{DebtorBalance, InvoiceFilter, InvoiceLine, LedgerCounts, StorageSettings};

use crate::error::Result;
use crate::parties::{CreditorProfile, Debtor, DebtorForm, ProfileForm};
use crate::receivables::credit_note::{CreditNote, NewCreditNote};
use crate::receivables::invoice::{Invoice, InvoiceForm, NewInvoice};
use crate::receivables::payment::{AllocationRequest, NewPayment, Payment};

/// Where audit timestamps come from: the system clock in the applications, a fixed instant in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// An open ledger file.
#[derive(Clone)]
pub struct Ledger {
    pool: SqlitePool,
    path: PathBuf,
    clock: Clock,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Ledger {
    /// Opens the ledger at `path`, creating it if it does not exist and bringing its schema up to
    /// date. Refuses a file made by a newer Recouvre and a file that is not a Recouvre ledger.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with_clock(path, Arc::new(Utc::now)).await
    }

    /// [`Ledger::open`] with a given clock for audit timestamps.
    pub async fn open_with_clock(path: impl AsRef<Path>, clock: Clock) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let pool = open::connect(&path).await?;
        let ledger = Ledger { pool, path, clock };
        ledger.sync_shipped_rates().await?;
        ledger.sync_default_scenarios().await?;
        Ok(ledger)
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes the connections, flushing the write-ahead log into the file.
    pub async fn close(self) {
        self.pool.close().await;
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Starts a write transaction: everything done through it is committed together by
    /// [`WriteTx::commit`], or not at all if it is dropped. `BEGIN IMMEDIATE` takes the write lock at
    /// once, so a transaction that reads then writes never fails half-way because another process
    /// (the CLI beside the app) wrote in between; it waits for the lock instead (busy timeout).
    pub async fn begin(&self) -> Result<WriteTx> {
        Ok(WriteTx { tx: self.pool.begin_with("BEGIN IMMEDIATE").await?, now: self.now() })
    }

    /// Records a new debtor from a typed form (one transaction).
    pub async fn add_debtor(&self, form: &DebtorForm) -> Result<Debtor> {
        let mut tx = self.begin().await?;
        let debtor = tx.add_debtor(form).await?;
        tx.commit().await?;
        Ok(debtor)
    }

    /// Applies typed changes to a debtor (one transaction).
    pub async fn edit_debtor(&self, id: i64, form: &DebtorForm) -> Result<Debtor> {
        let mut tx = self.begin().await?;
        let debtor = tx.edit_debtor(id, form).await?;
        tx.commit().await?;
        Ok(debtor)
    }

    /// Applies typed changes to the creditor profile, creating it the first time (one transaction).
    pub async fn update_profile(&self, form: &ProfileForm) -> Result<CreditorProfile> {
        let mut tx = self.begin().await?;
        let profile = tx.update_profile(form).await?;
        tx.commit().await?;
        Ok(profile)
    }

    /// Records an invoice from a typed form (one transaction).
    pub async fn add_invoice(&self, form: InvoiceForm) -> Result<Invoice> {
        let mut tx = self.begin().await?;
        let invoice = tx.add_invoice(form).await?;
        tx.commit().await?;
        Ok(invoice)
    }

    /// Records many typed invoices: all or nothing (one transaction).
    pub async fn add_invoices(&self, invoices: &[NewInvoice]) -> Result<usize> {
        let mut tx = self.begin().await?;
        let count = tx.add_invoices(invoices).await?;
        tx.commit().await?;
        Ok(count)
    }

    /// Records a credit note against an invoice (one transaction).
    pub async fn add_credit_note(&self, note: &NewCreditNote) -> Result<CreditNote> {
        let mut tx = self.begin().await?;
        let created = tx.add_credit_note(note).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Records a payment and allocates it as asked (one transaction).
    pub async fn add_payment(&self, payment: &NewPayment) -> Result<Payment> {
        let mut tx = self.begin().await?;
        let stored = tx.add_payment(payment).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Allocates what is left of an earlier payment on day `on` (one transaction).
    pub async fn allocate_payment(
        &self,
        payment_id: i64,
        request: &AllocationRequest,
        on: NaiveDate,
    ) -> Result<Payment> {
        let mut tx = self.begin().await?;
        let stored = tx.allocate_payment(payment_id, request, on).await?;
        tx.commit().await?;
        Ok(stored)
    }
}

/// A write transaction on the ledger. Its methods check the same rules as [`Ledger`]'s; nothing is
/// visible to others until [`WriteTx::commit`], and dropping it rolls everything back.
pub struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    /// The audit timestamp of everything written in this transaction.
    now: DateTime<Utc>,
}

impl WriteTx {
    /// Makes everything done in this transaction durable and visible.
    pub async fn commit(self) -> Result<()> {
        Ok(self.tx.commit().await?)
    }

    fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }
}
