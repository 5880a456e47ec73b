//! SQLite's C API on a connection borrowed from sqlx's pool, for the few paths where sqlx's per-row
//! cost dominates: the full-ledger reports (hundreds of thousands of rows cross here in tens of
//! milliseconds, where sqlx's worker channel takes a second) and the benchmark's reference insert.
//!
//! Safety rests on three facts: the handle comes from `lock_handle`, which keeps sqlx's worker off
//! the connection until the guard drops; every statement is finalized before the guard goes; no
//! pointer SQLite returns outlives the row it was read from.

use std::ffi::{CStr, CString, c_int};
use std::ptr::{self, NonNull};

use libsqlite3_sys as ffi;

use super::Ledger;
use crate::error::{Error, Result};

/// A value to bind.
pub(super) enum Value<'a> {
    Int(i64),
    Text(&'a str),
}

/// A prepared statement on a raw handle, finalized on drop.
pub(super) struct Statement {
    db: NonNull<ffi::sqlite3>,
    stmt: NonNull<ffi::sqlite3_stmt>,
}

fn sqlite_error(db: NonNull<ffi::sqlite3>) -> Error {
    // SAFETY: `db` is a live connection handle locked for our exclusive use.
    let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db.as_ptr())) };
    Error::Storage(sqlx::Error::Protocol(format!("SQLite : {}", message.to_string_lossy())))
}

/// The current row of a statement being stepped.
pub(super) struct Row<'s> {
    stmt: &'s Statement,
}

impl Row<'_> {
    /// An integer column (0-based).
    pub(super) fn int(&self, column: c_int) -> i64 {
        // SAFETY: the statement is live and positioned on a row.
        unsafe { ffi::sqlite3_column_int64(self.stmt.stmt.as_ptr(), column) }
    }

    /// A text column (0-based), copied out; NULL reads as "".
    pub(super) fn text(&self, column: c_int) -> Result<String> {
        let stmt = self.stmt.stmt.as_ptr();
        // SAFETY: the statement is live and positioned on a row; the pointer and length SQLite
        // returns stay valid until the next step, and are copied before that.
        let bytes = unsafe {
            let data = ffi::sqlite3_column_text(stmt, column);
            if data.is_null() {
                return Ok(String::new());
            }
            let len = usize::try_from(ffi::sqlite3_column_bytes(stmt, column)).unwrap_or(0);
            std::slice::from_raw_parts(data, len)
        };
        String::from_utf8(bytes.to_vec()).map_err(|_| super::rows::corrupt("texte", "UTF-8 invalide"))
    }
}

impl Statement {
    pub(super) fn prepare(db: NonNull<ffi::sqlite3>, sql: &str) -> Result<Self> {
        let sql = CString::new(sql).map_err(|_| Error::Storage(sqlx::Error::Protocol("NUL in SQL".into())))?;
        let mut stmt = ptr::null_mut();
        // SAFETY: valid handle, NUL-terminated SQL, out-pointer to a local.
        let rc = unsafe { ffi::sqlite3_prepare_v2(db.as_ptr(), sql.as_ptr(), -1, &mut stmt, ptr::null_mut()) };
        match NonNull::new(stmt) {
            Some(stmt) if rc == ffi::SQLITE_OK => Ok(Statement { db, stmt }),
            _ => Err(sqlite_error(db)),
        }
    }

    fn bind(&mut self, values: &[Value<'_>]) -> Result<()> {
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
        Ok(())
    }

    /// Binds `values` (as `?1`, `?2`…), steps through every row calling `each`, then resets.
    pub(super) fn for_each(
        &mut self,
        values: &[Value<'_>],
        mut each: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        self.bind(values)?;
        let result = loop {
            // SAFETY: live statement.
            match unsafe { ffi::sqlite3_step(self.stmt.as_ptr()) } {
                ffi::SQLITE_ROW => {
                    if let Err(e) = each(&Row { stmt: self }) {
                        break Err(e);
                    }
                }
                ffi::SQLITE_DONE => break Ok(()),
                _ => break Err(sqlite_error(self.db)),
            }
        };
        // SAFETY: live statement; resetting makes it reusable (its error was handled above).
        unsafe { ffi::sqlite3_reset(self.stmt.as_ptr()) };
        result
    }

    /// Binds `values` and runs a statement that returns no rows.
    pub(super) fn run(&mut self, values: &[Value<'_>]) -> Result<()> {
        self.for_each(values, |_| Ok(()))
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

/// Runs `work` on a raw handle inside one transaction: `BEGIN IMMEDIATE` for writes, a plain
/// (deferred) `BEGIN` for reads, which gives every statement of `work` the same snapshot.
async fn with_raw<T, F>(ledger: &Ledger, begin: &str, work: F) -> Result<T>
where
    F: FnOnce(NonNull<ffi::sqlite3>) -> Result<T>,
{
    let mut conn = ledger.pool.acquire().await?;
    let mut locked = conn.lock_handle().await?;
    let db = locked.as_raw_handle();
    exec(db, begin)?;
    match work(db) {
        Ok(value) => exec(db, "COMMIT").map(|()| value),
        Err(e) => {
            let _ = exec(db, "ROLLBACK");
            Err(e)
        }
    }
}

/// [`with_raw`] for writes.
pub(super) async fn with_raw_transaction<F>(ledger: &Ledger, work: F) -> Result<()>
where
    F: FnOnce(NonNull<ffi::sqlite3>) -> Result<()>,
{
    with_raw(ledger, "BEGIN IMMEDIATE", work).await
}

/// [`with_raw`] for reads.
pub(super) async fn with_raw_snapshot<T, F>(ledger: &Ledger, work: F) -> Result<T>
where
    F: FnOnce(NonNull<ffi::sqlite3>) -> Result<T>,
{
    with_raw(ledger, "BEGIN", work).await
}
