//! SQLite's C API on a connection borrowed from sqlx's pool, for the few paths where sqlx's per-row
//! cost dominates: the full-ledger reports (hundreds of thousands of rows cross here in tens of
//! milliseconds, where sqlx's worker channel takes a second), the bulk insert of invoices (an import
//! of 100 000 lines) and the benchmark's reference insert.
//!
//! Safety rests on three facts: the handle comes from `lock_handle`, which keeps sqlx's worker off
//! the connection until the guard drops; every statement is finalized before the guard goes; no
//! pointer SQLite returns outlives the row it was read from.

use std::ffi::{CStr, CString, c_int};
use std::ptr::{self, NonNull};

use chrono::NaiveDate;
use libsqlite3_sys as ffi;

use super::Ledger;
use crate::error::{Error, Result};

/// A value to bind.
pub(super) enum Value<'a> {
    Int(i64),
    Text(&'a str),
    Null,
}

impl<'a> Value<'a> {
    /// Text, or NULL for `None`.
    pub(super) fn text_or_null(text: Option<&'a str>) -> Self {
        text.map_or(Value::Null, Value::Text)
    }
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

    /// A text column (0-based) read in place, without a copy; NULL reads as empty.
    pub(super) fn bytes_with<T>(&self, column: c_int, read: impl FnOnce(&[u8]) -> T) -> T {
        let stmt = self.stmt.stmt.as_ptr();
        // SAFETY: as in `text`; the slice does not outlive this call, which ends before the next step.
        let bytes = unsafe {
            let data = ffi::sqlite3_column_text(stmt, column);
            if data.is_null() {
                &[][..]
            } else {
                let len = usize::try_from(ffi::sqlite3_column_bytes(stmt, column)).unwrap_or(0);
                std::slice::from_raw_parts(data, len)
            }
        };
        read(bytes)
    }

    /// An ISO date column (`2026-11-24`, as the ledger stores days), or None if it is not one.
    pub(super) fn iso_date(&self, column: c_int) -> Option<NaiveDate> {
        self.bytes_with(column, iso_date)
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

/// Reads `YYYY-MM-DD` without going through a format parser: whole-ledger reads parse hundreds of
/// thousands of dates.
fn iso_date(bytes: &[u8]) -> Option<NaiveDate> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *bytes else { return None };
    let digit = |b: u8| b.is_ascii_digit().then(|| u32::from(b - b'0'));
    let year = ((digit(y1)? * 10 + digit(y2)?) * 10 + digit(y3)?) * 10 + digit(y4)?;
    let month = digit(m1)? * 10 + digit(m2)?;
    let day = digit(d1)? * 10 + digit(d2)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
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
                    Value::Null => ffi::sqlite3_bind_null(stmt, column),
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

#[cfg(test)]
mod tests {
    use super::iso_date;

    #[test]
    fn iso_dates_read_in_place_agree_with_chrono() {
        for text in ["2026-11-24", "2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(iso_date(text.as_bytes()), text.parse().ok(), "{text}");
        }
        for bad in
            ["2025-02-29", "2026-13-01", "2026-00-10", "2026-1-24", "24/11/2026", "2026-11-24 ", "", "2026-11-2x"]
        {
            assert_eq!(iso_date(bad.as_bytes()), None, "{bad}");
        }
    }
}
