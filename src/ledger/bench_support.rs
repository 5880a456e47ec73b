//! Support for `recouvre bench`: a plain-SQLite reference insert and a fast generator of large
//! ledgers. Timing is the caller's business (the core never reads the clock).
//!
//! Both bypass the ledger's validation on purpose and talk to SQLite's C API directly, through the
//! very connection sqlx opened: the reference is what "the same rows, inserted as fast as SQLite can"
//! costs, and the generator must fill a million invoices in seconds. Neither is used for user data.

use std::ffi::{CString, c_int};
use std::ptr::{self, NonNull};

use chrono::{Days, NaiveDate};
use libsqlite3_sys as ffi;

use super::Ledger;
use super::rows::cents;
use crate::error::{Error, Field, Result};
use crate::receivables::invoice::NewInvoice;

/// A value to bind.
enum Value<'a> {
    Int(i64),
    Text(&'a str),
}

/// A prepared statement on a raw handle, finalized on drop.
struct Statement {
    db: NonNull<ffi::sqlite3>,
    stmt: NonNull<ffi::sqlite3_stmt>,
}

fn sqlite_error(db: NonNull<ffi::sqlite3>) -> Error {
    // SAFETY: `db` is a live connection handle locked for our exclusive use.
    let message = unsafe { std::ffi::CStr::from_ptr(ffi::sqlite3_errmsg(db.as_ptr())) };
    Error::Storage(sqlx::Error::Protocol(format!("SQLite : {}", message.to_string_lossy())))
}

impl Statement {
    fn prepare(db: NonNull<ffi::sqlite3>, sql: &str) -> Result<Self> {
        let sql = CString::new(sql).map_err(|_| Error::Storage(sqlx::Error::Protocol("NUL in SQL".into())))?;
        let mut stmt = ptr::null_mut();
        // SAFETY: valid handle, NUL-terminated SQL, out-pointer to a local.
        let rc = unsafe { ffi::sqlite3_prepare_v2(db.as_ptr(), sql.as_ptr(), -1, &mut stmt, ptr::null_mut()) };
        match NonNull::new(stmt) {
            Some(stmt) if rc == ffi::SQLITE_OK => Ok(Statement { db, stmt }),
            _ => Err(sqlite_error(db)),
        }
    }

    fn run(&mut self, values: &[Value<'_>]) -> Result<()> {
        let stmt = self.stmt.as_ptr();
        for (index, value) in values.iter().enumerate() {
            let column = c_int::try_from(index + 1).unwrap_or(c_int::MAX);
            // SAFETY: `stmt` is a live prepared statement; text is copied by SQLite (TRANSIENT).
            let rc = unsafe {
                match value {
                    Value::Int(v) => ffi::sqlite3_bind_int64(stmt, column, *v),
                    Value::Text(t) => ffi::sqlite3_bind_text(
                        stmt,
                        column,
                        t.as_ptr().cast(),
                        c_int::try_from(t.len()).unwrap_or(c_int::MAX),
                        ffi::SQLITE_TRANSIENT(),
                    ),
                }
            };
            if rc != ffi::SQLITE_OK {
                return Err(sqlite_error(self.db));
            }
        }
        // SAFETY: as above.
        let rc = unsafe { ffi::sqlite3_step(stmt) };
        // SAFETY: as above; reset returns the step's error again, already handled.
        unsafe { ffi::sqlite3_reset(stmt) };
        if rc == ffi::SQLITE_DONE { Ok(()) } else { Err(sqlite_error(self.db)) }
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: finalizing a statement we prepared, once.
        unsafe { ffi::sqlite3_finalize(self.stmt.as_ptr()) };
    }
}

fn exec(db: NonNull<ffi::sqlite3>, sql: &str) -> Result<()> {
    Statement::prepare(db, sql)?.run(&[])
}

const INSERT_INVOICE: &str = "INSERT INTO invoices (number, debtor_id, issue_date, due_date, \
     amount_excl_vat_cents, vat_cents, amount_incl_vat_cents, currency, description, created_at) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

/// Runs `work` on a raw handle inside one `BEGIN IMMEDIATE … COMMIT`.
async fn with_raw_transaction<F>(ledger: &Ledger, work: F) -> Result<()>
where
    F: FnOnce(NonNull<ffi::sqlite3>) -> Result<()>,
{
    let mut conn = ledger.pool.acquire().await?;
    let mut locked = conn.lock_handle().await?;
    let db = locked.as_raw_handle();
    exec(db, "BEGIN IMMEDIATE")?;
    match work(db) {
        Ok(()) => exec(db, "COMMIT"),
        Err(e) => {
            let _ = exec(db, "ROLLBACK");
            Err(e)
        }
    }
}

impl Ledger {
    /// Benchmark reference: inserts the invoices with one prepared statement in one transaction,
    /// through SQLite's C API, with no validation: the floor the ledger's own insert is compared to.
    pub async fn reference_insert_invoices(&self, invoices: &[NewInvoice]) -> Result<()> {
        let created_at = self.now().to_rfc3339();
        with_raw_transaction(self, |db| {
            let mut insert = Statement::prepare(db, INSERT_INVOICE)?;
            for i in invoices {
                let (issue, due) = (i.issue_date.to_string(), i.due_date.to_string());
                insert.run(&[
                    Value::Text(&i.number),
                    Value::Int(i.debtor_id),
                    Value::Text(&issue),
                    Value::Text(&due),
                    Value::Int(cents(Field::AmountExclVat, i.amount_excl_vat)?),
                    Value::Int(cents(Field::Vat, i.vat)?),
                    Value::Int(cents(Field::Amount, i.amount_incl_vat)?),
                    Value::Text(&i.currency),
                    Value::Text(&i.description),
                    Value::Text(&created_at),
                ])?;
            }
            Ok(())
        })
        .await
    }

    /// Fills an empty ledger with `debtors` debtors and `invoices` invoices issued over the two
    /// years before `until`, most of them paid (on time or late, some in part), a few credited:
    /// the shape of a real ledger, at a scale no real user has yet.
    pub async fn fill_for_benchmark(&self, debtors: usize, invoices: usize, until: NaiveDate) -> Result<()> {
        let created_at = self.now().to_rfc3339();
        let start = until.checked_sub_days(Days::new(730)).unwrap_or(until);
        with_raw_transaction(self, |db| {
            let mut debtor = Statement::prepare(
                db,
                "INSERT INTO debtors (id, kind, name, country, segment, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, 'FR', 'regulier', ?4, ?4)",
            )?;
            for id in 1..=debtors {
                let id = i64::try_from(id).unwrap_or(i64::MAX);
                let name = format!("Client {id:06}");
                let kind = if id % 5 == 0 { "consommateur" } else { "professionnel" };
                debtor.run(&[Value::Int(id), Value::Text(kind), Value::Text(&name), Value::Text(&created_at)])?;
            }
            let mut invoice = Statement::prepare(db, INSERT_INVOICE)?;
            let mut payment = Statement::prepare(
                db,
                "INSERT INTO payments (id, debtor_id, received_on, amount_cents, method, created_at) \
                 VALUES (?1, ?2, ?3, ?4, 'virement', ?5)",
            )?;
            let mut allocation = Statement::prepare(
                db,
                "INSERT INTO allocations (payment_id, invoice_id, amount_cents, allocated_on) VALUES (?1, ?1, ?2, ?3)",
            )?;
            let mut credit = Statement::prepare(
                db,
                "INSERT INTO credit_notes (number, invoice_id, issue_date, amount_incl_vat_cents, vat_cents, created_at) \
                 VALUES (?1, ?2, ?3, ?4, 0, ?5)",
            )?;
            let mut state = 0x2545_F491_4F6C_DD1D_u64;
            let mut next = move || {
                // xorshift64*: fast and good enough to spread generated facts.
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11
            };
            let debtor_count = u64::try_from(debtors.max(1)).unwrap_or(1);
            for n in 1..=invoices {
                let id = i64::try_from(n).unwrap_or(i64::MAX);
                let debtor_id = i64::try_from(1 + next() % debtor_count).unwrap_or(1);
                let issue = start.checked_add_days(Days::new(next() % 730)).unwrap_or(start);
                let due = issue.checked_add_days(Days::new(30)).unwrap_or(issue);
                let excl = 10_000 + i64::try_from(next() % 500_000).unwrap_or(0);
                let vat = excl / 5;
                let total = excl + vat;
                let (issue_text, due_text) = (issue.to_string(), due.to_string());
                invoice.run(&[
                    Value::Text(&format!("B-{id:08}")),
                    Value::Int(debtor_id),
                    Value::Text(&issue_text),
                    Value::Text(&due_text),
                    Value::Int(excl),
                    Value::Int(vat),
                    Value::Int(total),
                    Value::Text("EUR"),
                    Value::Text(""),
                    Value::Text(&created_at),
                ])?;
                // 2 % credited in full; of the rest 75 % paid (10 % of those in part), 25 % open.
                let roll = next() % 100;
                if roll < 2 {
                    credit.run(&[
                        Value::Text(&format!("BA-{id:08}")),
                        Value::Int(id),
                        Value::Text(&issue_text),
                        Value::Int(total),
                        Value::Text(&created_at),
                    ])?;
                } else if roll < 75 {
                    let paid_on = due.checked_add_days(Days::new(next() % 60)).unwrap_or(due);
                    if paid_on <= until {
                        let amount = if roll < 10 { total / 2 } else { total };
                        let paid_text = paid_on.to_string();
                        payment.run(&[
                            Value::Int(id),
                            Value::Int(debtor_id),
                            Value::Text(&paid_text),
                            Value::Int(amount),
                            Value::Text(&created_at),
                        ])?;
                        allocation.run(&[Value::Int(id), Value::Int(amount), Value::Text(&paid_text)])?;
                    }
                }
            }
            Ok(())
        })
        .await
    }

    /// Size of the ledger file and its write-ahead log, in bytes, after a checkpoint.
    pub async fn file_size(&self) -> Result<u64> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await?;
        let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        Ok(size(&self.path) + size(std::path::Path::new(&wal)))
    }
}
