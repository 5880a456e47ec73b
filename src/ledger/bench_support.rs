//! Support for `recouvre bench`: a plain-SQLite reference insert and a fast generator of large
//! ledgers. Timing is the caller's business (the core never reads the clock).
//!
//! Both bypass the ledger's validation on purpose and talk to SQLite's C API directly, through the
//! very connection sqlx opened: the reference is what "the same rows, inserted as fast as SQLite can"
//! costs, and the generator must fill a million invoices in seconds. Neither is used for user data.

use chrono::{Days, NaiveDate};

use super::Ledger;
use super::raw::{Statement, Value, with_raw_transaction};
use super::rows::cents;
use crate::error::{Field, Result};
use crate::receivables::invoice::NewInvoice;

const INSERT_INVOICE: &str = "INSERT INTO invoices (number, debtor_id, issue_date, due_date, \
     amount_excl_vat_cents, vat_cents, amount_incl_vat_cents, currency, description, created_at) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

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
    /// years before `until`, most of them paid (on time or late, some in part), a few credited,
    /// lettered as the ledger letters them: the shape of a real ledger, at a scale no real user has
    /// yet.
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
            let mut settle = Statement::prepare(db, "UPDATE invoices SET settled_on = ?2 WHERE id = ?1")?;
            let mut payment = Statement::prepare(
                db,
                "INSERT INTO payments (id, debtor_id, received_on, amount_cents, method, created_at) \
                 VALUES (?1, ?2, ?3, ?4, 'virement', ?5)",
            )?;
            let mut paid = Statement::prepare(
                db,
                "INSERT INTO allocations (payment_id, invoice_id, amount_cents, allocated_on) VALUES (?1, ?1, ?2, ?3)",
            )?;
            let mut credit = Statement::prepare(
                db,
                "INSERT INTO credit_notes (id, number, invoice_id, issue_date, amount_incl_vat_cents, vat_cents, \
                     created_at) VALUES (?1, ?2, ?1, ?3, ?4, 0, ?5)",
            )?;
            let mut credited = Statement::prepare(
                db,
                "INSERT INTO allocations (credit_note_id, invoice_id, amount_cents, allocated_on) \
                 VALUES (?1, ?1, ?2, ?3)",
            )?;
            let mut state = 0x2545_F491_4F6C_DD1D_u64;
            let mut next = move || {
                // xorshift64*: fast and good enough to spread generated facts.
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11
            };
            let day = |from: NaiveDate, offset: i64| from + chrono::Duration::days(offset);
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
                // What became of it, as in a going concern: past its due date, 2 % credited, 88 %
                // paid (on time or up to two months late), 4 % half paid, 6 % unpaid; before its
                // due date, 15 % already paid.
                let roll = next() % 100;
                let late = i64::try_from(next() % 66).unwrap_or(0) - 5;
                let outcome = match (due <= until, roll) {
                    (true, 0..2) => Some((day(issue, 5), total, true)),
                    (true, 2..90) => Some((day(due, late), total, false)),
                    (true, 90..94) => Some((day(due, 30), total / 2, false)),
                    (false, 0..15) => Some((day(issue, 10), total, false)),
                    _ => None,
                };
                let Some((on, amount, is_credit)) = outcome.filter(|(on, _, _)| *on <= until) else { continue };
                let on_text = on.max(issue).to_string();
                if is_credit {
                    let number = format!("BA-{id:08}");
                    credit.run(&[
                        Value::Int(id),
                        Value::Text(&number),
                        Value::Text(&on_text),
                        Value::Int(amount),
                        Value::Text(&created_at),
                    ])?;
                    credited.run(&[Value::Int(id), Value::Int(amount), Value::Text(&on_text)])?;
                } else {
                    payment.run(&[
                        Value::Int(id),
                        Value::Int(debtor_id),
                        Value::Text(&on_text),
                        Value::Int(amount),
                        Value::Text(&created_at),
                    ])?;
                    paid.run(&[Value::Int(id), Value::Int(amount), Value::Text(&on_text)])?;
                }
                if amount == total {
                    settle.run(&[Value::Int(id), Value::Text(&on_text)])?;
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
