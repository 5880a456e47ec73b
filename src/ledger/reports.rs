//! Read-only views at a date: balances per debtor, invoice lines with their status, aging, DSO.
//!
//! Every figure here is derived from the stored facts, counting only what happened on or before the
//! date asked: the same ledger answers "what was owed on 31 March" and "what is owed today".

use chrono::{Months, NaiveDate};
use futures_util::TryStreamExt;
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{AssertSqlSafe, Row};

use std::str::FromStr;

use super::Ledger;
use super::raw::{Statement, Value, with_raw_snapshot};
use super::rows::{self, DEBTOR_COLUMNS, INVOICE_COLUMNS};
use crate::error::Result;
use crate::money::from_cents;
use crate::parties::Debtor;
use crate::receivables::aging::{AgingReport, OpenAmount, exposures};
use crate::receivables::invoice::Invoice;
use crate::receivables::{Balance, InvoiceStatus, days_overdue, dso};

/// What each invoice open at `$1` still owes then (debtor, due date, cents, invoice id and number);
/// with `one_debtor`, only
/// debtor `$2`'s.
///
/// Two parts. Invoices not settled today are read from the partial covering index `invoices_open`
/// in id order, so the join probes `allocations_invoice` in the same order, page after page. Those
/// settled after `$1` (open at an earlier date) come through `invoices_settled`. Invoices settled
/// by `$1` — most of a ledger's history — are never read.
pub(super) fn open_amounts(one_debtor: bool) -> String {
    let debtor = if one_debtor { " AND i.debtor_id = $2" } else { "" };
    format!(
        "SELECT i.debtor_id, i.due_date, i.amount_incl_vat_cents - COALESCE(SUM(a.amount_cents), 0), i.id, i.number \
         FROM invoices i LEFT JOIN allocations a ON a.invoice_id = i.id AND a.allocated_on <= $1 \
         WHERE i.settled_on IS NULL AND i.issue_date <= $1{debtor} \
         GROUP BY i.id \
         UNION ALL \
         SELECT i.debtor_id, i.due_date, i.amount_incl_vat_cents - COALESCE(( \
             SELECT SUM(a.amount_cents) FROM allocations a WHERE a.invoice_id = i.id AND a.allocated_on <= $1), 0), \
             i.id, i.number \
         FROM invoices i WHERE i.settled_on > $1 AND i.issue_date <= $1{debtor}"
    )
}

/// Every invoice issued on or before `$1`, with what payments and credit notes settled on or before
/// `$1`, apart; with `one_debtor`, only debtor `$2`'s.
fn all_balances(one_debtor: bool) -> String {
    format!(
        "SELECT i.id AS id, \
            COALESCE((SELECT SUM(a.amount_cents) FROM allocations a \
                      WHERE a.invoice_id = i.id AND a.allocated_on <= $1 AND a.payment_id IS NOT NULL), 0) AS paid, \
            COALESCE((SELECT SUM(a.amount_cents) FROM allocations a \
                      WHERE a.invoice_id = i.id AND a.allocated_on <= $1 AND a.payment_id IS NULL), 0) AS credited \
         FROM invoices i WHERE i.issue_date <= $1{}",
        if one_debtor { " AND i.debtor_id = $2" } else { "" }
    )
}

/// A debtor and what they owe at a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DebtorBalance {
    /// The debtor.
    pub debtor: Debtor,
    /// Sum of their invoices' outstanding amounts.
    pub outstanding: Decimal,
    /// The part of it that is past due.
    pub overdue: Decimal,
    /// Payments not yet allocated to an invoice: money we hold for them.
    pub credit: Decimal,
    /// Invoices still open.
    pub open_invoices: i64,
    /// Days overdue of their oldest unpaid due invoice (0 if none).
    pub max_days_overdue: i64,
}

/// An invoice and where it stands at a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvoiceLine {
    /// The invoice.
    pub invoice: Invoice,
    /// The debtor's name.
    pub debtor_name: String,
    /// Totals at the date.
    pub balance: Balance,
    /// Status at the date.
    pub status: InvoiceStatus,
    /// Days overdue at the date.
    pub days_overdue: i64,
}

/// Which invoices to list.
#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    /// Only this debtor's.
    pub debtor_id: Option<i64>,
    /// Only those in this status.
    pub status: Option<InvoiceStatus>,
    /// Only those still open (à échoir, échue, partiellement payée).
    pub open_only: bool,
}

/// How much the ledger holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LedgerCounts {
    /// Debtors.
    pub debtors: i64,
    /// Invoices.
    pub invoices: i64,
    /// Payments.
    pub payments: i64,
    /// Credit notes.
    pub credit_notes: i64,
}

impl LedgerCounts {
    /// Whether nothing at all was recorded yet.
    pub fn is_empty(&self) -> bool {
        self.debtors + self.invoices + self.payments + self.credit_notes == 0
    }
}

/// How the database is set up, for diagnostics and tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StorageSettings {
    /// `wal` expected.
    pub journal_mode: String,
    /// Foreign keys enforced.
    pub foreign_keys: bool,
    /// Schema version (last migration applied).
    pub schema_version: i64,
}

impl Ledger {
    /// The database's journal mode, foreign-key enforcement and schema version.
    pub async fn storage_settings(&self) -> Result<StorageSettings> {
        let mut conn = self.pool.acquire().await?;
        let journal_mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await?;
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *conn).await?;
        let schema_version: Option<i64> =
            sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations WHERE success").fetch_one(&mut *conn).await?;
        Ok(StorageSettings {
            journal_mode,
            foreign_keys: foreign_keys == 1,
            schema_version: schema_version.unwrap_or(0),
        })
    }

    /// How many records of each kind the ledger holds.
    pub async fn counts(&self) -> Result<LedgerCounts> {
        let (debtors, invoices, payments, credit_notes): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM debtors), (SELECT count(*) FROM invoices), \
                    (SELECT count(*) FROM payments), (SELECT count(*) FROM credit_notes)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(LedgerCounts { debtors, invoices, payments, credit_notes })
    }

    /// What each invoice open at `at` still owes (all debtors, or only `only`'s). The whole
    /// ledger is read through SQLite's C API (see `raw`): sqlx spends microseconds per row, and a
    /// large ledger has hundreds of thousands of open invoices.
    async fn open_amounts(&self, at: NaiveDate, only: Option<i64>) -> Result<Vec<OpenAmount>> {
        match only {
            Some(_) => self.open_amounts_sqlx(at, only).await,
            None => self.open_amounts_raw(at).await,
        }
    }

    async fn open_amounts_raw(&self, at: NaiveDate) -> Result<Vec<OpenAmount>> {
        let at_text = at.to_string();
        with_raw_snapshot(self, |db| {
            let mut out = Vec::new();
            Statement::prepare(db, &open_amounts(false))?.for_each(&[Value::Text(&at_text)], |row| {
                let due = row.text(1)?;
                let due_date = NaiveDate::from_str(&due).map_err(|_| rows::corrupt("invoices.due_date", &due))?;
                out.push(OpenAmount { debtor_id: row.int(0), due_date, owed: from_cents(row.int(2)) });
                Ok(())
            })?;
            Ok(out)
        })
        .await
    }

    async fn open_amounts_sqlx(&self, at: NaiveDate, only: Option<i64>) -> Result<Vec<OpenAmount>> {
        let sql = open_amounts(only.is_some());
        let mut rows =
            sqlx::query_as::<_, (i64, NaiveDate, i64)>(AssertSqlSafe(sql)).bind(at).bind(only).fetch(&self.pool);
        let mut out = Vec::new();
        while let Some((debtor_id, due_date, owed)) = rows.try_next().await? {
            out.push(OpenAmount { debtor_id, due_date, owed: from_cents(owed) });
        }
        Ok(out)
    }

    /// Every debtor (or only debtor `only`) with what they owe at `at`, largest outstanding first,
    /// then by name.
    pub async fn debtor_balances(&self, at: NaiveDate, only: Option<i64>) -> Result<Vec<DebtorBalance>> {
        let exposures = exposures(at, self.open_amounts(at, only).await?);
        let one = if only.is_some() { " AND p.debtor_id = $2" } else { "" };
        let which = if only.is_some() { " WHERE d.id = $2" } else { "" };
        // Payments received by `at` and not allocated by then: money held for the debtor.
        let sql = format!(
            "WITH held AS ( \
                 SELECT p.debtor_id AS debtor_id, SUM(p.amount_cents - COALESCE(( \
                     SELECT SUM(a.amount_cents) FROM allocations a \
                     WHERE a.payment_id = p.id AND a.allocated_on <= $1), 0)) AS credit \
                 FROM payments p WHERE p.received_on <= $1{one} GROUP BY p.debtor_id) \
             SELECT {DEBTOR_COLUMNS}, COALESCE(held.credit, 0) AS credit \
             FROM debtors d LEFT JOIN held ON held.debtor_id = d.id{which}"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(at).bind(only).fetch_all(&self.pool).await?;
        let mut balances = rows
            .iter()
            .map(|row| {
                let debtor = rows::debtor(row)?;
                let exposure = exposures.get(&debtor.id).copied().unwrap_or_default();
                let outstanding = exposure.buckets.total();
                Ok(DebtorBalance {
                    outstanding,
                    overdue: exposure.buckets.overdue(),
                    credit: from_cents(row.try_get("credit")?),
                    open_invoices: i64::try_from(exposure.open_invoices()).unwrap_or(i64::MAX),
                    max_days_overdue: exposure.oldest_due.map_or(0, |due| days_overdue(due, at, outstanding)),
                    debtor,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        balances.sort_by(|a, b| {
            b.outstanding
                .cmp(&a.outstanding)
                .then_with(|| a.debtor.name.cmp(&b.debtor.name))
                .then(a.debtor.id.cmp(&b.debtor.id))
        });
        Ok(balances)
    }

    /// Invoices with their balance and status at `at` (invoices issued later are left out), by
    /// due date then number.
    pub async fn invoice_lines(&self, filter: &InvoiceFilter, at: NaiveDate) -> Result<Vec<InvoiceLine>> {
        let balances = all_balances(filter.debtor_id.is_some());
        let sql = format!(
            "WITH b AS ({balances}) \
             SELECT {INVOICE_COLUMNS}, d.name AS debtor_name, b.paid AS paid, b.credited AS credited \
             FROM b JOIN invoices i ON i.id = b.id JOIN debtors d ON d.id = i.debtor_id \
             ORDER BY i.due_date, i.number"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(at).bind(filter.debtor_id).fetch_all(&self.pool).await?;
        let mut lines = Vec::with_capacity(rows.len());
        for row in &rows {
            let invoice = rows::invoice(row)?;
            let balance = Balance {
                total: invoice.amount_incl_vat,
                paid: from_cents(row.try_get("paid")?),
                credited: from_cents(row.try_get("credited")?),
            };
            let status = balance.status(invoice.due_date, at);
            if filter.status.is_some_and(|s| s != status) || (filter.open_only && !status.is_open()) {
                continue;
            }
            lines.push(InvoiceLine {
                days_overdue: days_overdue(invoice.due_date, at, balance.outstanding()),
                debtor_name: row.try_get("debtor_name")?,
                invoice,
                balance,
                status,
            });
        }
        Ok(lines)
    }

    /// The aging report at `at`: per debtor and in total, what is owed by lateness bucket.
    pub async fn aging(&self, at: NaiveDate) -> Result<AgingReport> {
        let exposures = exposures(at, self.open_amounts(at, None).await?);
        let mut names = with_raw_snapshot(self, |db| {
            let mut names = std::collections::HashMap::with_capacity(exposures.len());
            Statement::prepare(db, "SELECT id, name FROM debtors")?.for_each(&[], |row| {
                let id = row.int(0);
                if exposures.contains_key(&id) {
                    names.insert(id, row.text(1)?);
                }
                Ok(())
            })?;
            Ok(names)
        })
        .await?;
        Ok(AgingReport::new(at, &exposures, |id| names.remove(&id).unwrap_or_default()))
    }

    /// The DSO at `at` by the countback method (see [`dso::countback`]); `None` when nothing is owed.
    pub async fn dso(&self, at: NaiveDate) -> Result<Option<Decimal>> {
        let receivables: Decimal = self.open_amounts(at, None).await?.iter().map(|o| o.owed).sum();
        let from = at.checked_sub_months(Months::new(dso::MAX_MONTHS)).unwrap_or(NaiveDate::MIN);
        let sales: Vec<(NaiveDate, i64)> = sqlx::query_as(
            "SELECT issue_date, SUM(amount_incl_vat_cents) FROM invoices \
                 WHERE issue_date > $1 AND issue_date <= $2 GROUP BY issue_date \
             UNION ALL \
             SELECT issue_date, -SUM(amount_incl_vat_cents) FROM credit_notes \
                 WHERE issue_date > $1 AND issue_date <= $2 GROUP BY issue_date",
        )
        .bind(from)
        .bind(at)
        .fetch_all(&self.pool)
        .await?;
        let sales: Vec<(NaiveDate, Decimal)> = sales.into_iter().map(|(day, c)| (day, from_cents(c))).collect();
        Ok(dso::countback(receivables, &sales, at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The C-API path and the sqlx path read the same open amounts.
    #[tokio::test]
    async fn raw_and_sqlx_paths_agree() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(dir.path().join("l.db")).await.unwrap();
        let until = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        crate::demo::fill(&ledger, until).await.unwrap_or_else(|e| panic!("{e}"));
        for at in ["2025-06-01", "2026-01-15", "2026-06-30", "2026-11-24", "2027-06-01"] {
            let at = NaiveDate::from_str(at).unwrap();
            let mut raw = ledger.open_amounts_raw(at).await.unwrap();
            let mut sqlx = ledger.open_amounts_sqlx(at, None).await.unwrap();
            assert!(!raw.is_empty());
            raw.sort_by_key(|o| (o.debtor_id, o.due_date, o.owed));
            sqlx.sort_by_key(|o| (o.debtor_id, o.due_date, o.owed));
            assert_eq!(raw, sqlx, "at {at}");
        }
    }
}
