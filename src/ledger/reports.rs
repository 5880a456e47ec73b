//! Read-only views at a date: balances per debtor, invoice lines with their status, aging, DSO.
//!
//! Every figure here is derived from the stored facts, counting only what happened on or before the
//! date asked: the same ledger answers "what was owed on 31 March" and "what is owed today".

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{AssertSqlSafe, Row};

use super::Ledger;
use super::rows::{self, DEBTOR_COLUMNS, INVOICE_COLUMNS};
use crate::error::Result;
use crate::money::from_cents;
use crate::parties::Debtor;
use crate::receivables::aging::{AgingBucket, AgingReport, BucketAmounts, DebtorAging};
use crate::receivables::invoice::Invoice;
use crate::receivables::{Balance, InvoiceStatus, days_overdue, dso};

/// Each invoice issued on or before `$1`, with what was paid and credited on or before `$1`; with
/// `one_debtor`, only the invoices of debtor `$2`. The correlated sums walk the covering indexes
/// `allocations_invoice` and `credit_notes_invoice`.
fn invoice_balances(one_debtor: bool) -> String {
    format!(
        "SELECT i.id AS id, i.debtor_id AS debtor_id, i.due_date AS due_date, i.amount_incl_vat_cents AS total, \
            COALESCE((SELECT SUM(a.amount_cents) FROM allocations a \
                      WHERE a.invoice_id = i.id AND a.allocated_on <= $1), 0) AS paid, \
            COALESCE((SELECT SUM(c.amount_incl_vat_cents) FROM credit_notes c \
                      WHERE c.invoice_id = i.id AND c.issue_date <= $1), 0) AS credited \
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

    /// Every debtor (or only debtor `only`) with what they owe at `at`, largest outstanding first,
    /// then by name.
    pub async fn debtor_balances(&self, at: NaiveDate, only: Option<i64>) -> Result<Vec<DebtorBalance>> {
        let balances = invoice_balances(only.is_some());
        let one = if only.is_some() { " AND p.debtor_id = $2" } else { "" };
        let which = if only.is_some() { " WHERE d.id = $2" } else { "" };
        let sql = format!(
            "WITH b AS ({balances}), \
             owed AS ( \
                 SELECT debtor_id, SUM(total - paid - credited) AS outstanding, \
                        SUM(CASE WHEN due_date < $1 THEN total - paid - credited ELSE 0 END) AS overdue, \
                        COUNT(*) AS open_invoices, MIN(due_date) AS oldest_due \
                 FROM b WHERE total - paid - credited > 0 GROUP BY debtor_id), \
             held AS ( \
                 SELECT p.debtor_id AS debtor_id, SUM(p.amount_cents - COALESCE(( \
                     SELECT SUM(a.amount_cents) FROM allocations a \
                     WHERE a.payment_id = p.id AND a.allocated_on <= $1), 0)) AS credit \
                 FROM payments p WHERE p.received_on <= $1{one} GROUP BY p.debtor_id) \
             SELECT {DEBTOR_COLUMNS}, COALESCE(owed.outstanding, 0) AS outstanding, \
                 COALESCE(owed.overdue, 0) AS overdue, COALESCE(owed.open_invoices, 0) AS open_invoices, \
                 owed.oldest_due AS oldest_due, COALESCE(held.credit, 0) AS credit \
             FROM debtors d LEFT JOIN owed ON owed.debtor_id = d.id LEFT JOIN held ON held.debtor_id = d.id{which} \
             ORDER BY outstanding DESC, d.name, d.id"
        );
        let rows = sqlx::query(AssertSqlSafe(sql)).bind(at).bind(only).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let outstanding = from_cents(row.try_get("outstanding")?);
                let oldest_due: Option<NaiveDate> = row.try_get("oldest_due")?;
                Ok(DebtorBalance {
                    debtor: rows::debtor(row)?,
                    outstanding,
                    overdue: from_cents(row.try_get("overdue")?),
                    credit: from_cents(row.try_get("credit")?),
                    open_invoices: row.try_get("open_invoices")?,
                    max_days_overdue: oldest_due.map_or(0, |due| days_overdue(due, at, outstanding)),
                })
            })
            .collect()
    }

    /// Invoices with their balance and status at `at` (invoices issued later are left out), by
    /// due date then number.
    pub async fn invoice_lines(&self, filter: &InvoiceFilter, at: NaiveDate) -> Result<Vec<InvoiceLine>> {
        let balances = invoice_balances(filter.debtor_id.is_some());
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
        // The bucket bounds come from `AgingBucket` itself, as due-date limits: a string comparison
        // per invoice instead of date arithmetic, and no second definition of the buckets.
        let mut case = String::from("CASE");
        let mut bounds = Vec::new();
        for bucket in AgingBucket::ALL {
            if let Some(earliest) = bucket.earliest_due_date(at) {
                case.push_str(&format!(" WHEN due_date >= ${} THEN {}", bounds.len() + 3, bucket.index()));
                bounds.push(earliest);
            }
        }
        case.push_str(&format!(" ELSE {} END", AgingBucket::Over180.index()));
        let balances = invoice_balances(false);
        let sql = format!(
            "WITH b AS ({balances}), \
             g AS (SELECT debtor_id, {case} AS bucket, SUM(total - paid - credited) AS owed, COUNT(*) AS n \
                   FROM b WHERE total - paid - credited > 0 GROUP BY debtor_id, bucket) \
             SELECT g.debtor_id, d.name, g.bucket, g.owed, g.n FROM g JOIN debtors d ON d.id = g.debtor_id \
             ORDER BY g.debtor_id"
        );
        // $2 (one debtor) is unused here: bind it so the bound dates keep their numbers.
        let mut query =
            sqlx::query_as::<_, (i64, String, i64, i64, i64)>(AssertSqlSafe(sql)).bind(at).bind(None::<i64>);
        for bound in bounds {
            query = query.bind(bound);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut debtors: Vec<DebtorAging> = Vec::new();
        let mut totals = BucketAmounts::default();
        let mut invoice_counts = [0_u64; 6];
        for (debtor_id, debtor_name, bucket, owed, count) in rows {
            let bucket = usize::try_from(bucket)
                .ok()
                .and_then(|i| AgingBucket::ALL.get(i).copied())
                .ok_or_else(|| rows::corrupt("aging bucket", &bucket.to_string()))?;
            let amount = from_cents(owed);
            let count = u64::try_from(count).unwrap_or(0);
            if debtors.last().is_none_or(|d| d.debtor_id != debtor_id) {
                debtors.push(DebtorAging {
                    debtor_id,
                    debtor_name,
                    buckets: BucketAmounts::default(),
                    open_invoices: 0,
                });
            }
            let line = debtors.last_mut().expect("pushed above");
            line.buckets.add(bucket, amount);
            line.open_invoices += count;
            totals.add(bucket, amount);
            invoice_counts[bucket.index()] += count;
        }
        debtors.sort_by(|a, b| b.buckets.total().cmp(&a.buckets.total()).then(a.debtor_name.cmp(&b.debtor_name)));
        Ok(AgingReport { at, debtors, totals, invoice_counts })
    }

    /// The DSO at `at` by the countback method (see [`dso::countback`]); `None` when nothing is owed.
    pub async fn dso(&self, at: NaiveDate) -> Result<Option<Decimal>> {
        let sql =
            format!("WITH b AS ({}) SELECT COALESCE(SUM(total - paid - credited), 0) FROM b", invoice_balances(false));
        let receivables: i64 = sqlx::query_scalar(AssertSqlSafe(sql)).bind(at).fetch_one(&self.pool).await?;
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
        Ok(dso::countback(from_cents(receivables), &sales, at))
    }
}
