//! Shared helpers for the integration tests: a real ledger file in a temporary directory, with a
//! fixed clock so that audit timestamps are reproducible.
#![allow(dead_code)] // Each test binary uses its own subset.

pub mod cli;

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use recouvre::Ledger;
use recouvre::parties::DebtorForm;
use recouvre::receivables::invoice::InvoiceForm;
use tempfile::TempDir;

pub struct TestLedger {
    pub ledger: Ledger,
    pub dir: TempDir,
}

pub async fn ledger() -> TestLedger {
    let dir = tempfile::tempdir().expect("temporary directory");
    let clock = Arc::new(|| Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap());
    let ledger = Ledger::open_with_clock(dir.path().join("test.db"), clock).await.expect("open ledger");
    TestLedger { ledger, dir }
}

pub fn day(text: &str) -> NaiveDate {
    recouvre::dates::parse_date(text).expect("test date")
}

pub fn debtor_form(kind: &str, name: &str) -> DebtorForm {
    DebtorForm { kind: Some(kind.into()), name: Some(name.into()), ..DebtorForm::default() }
}

pub async fn add_debtor(ledger: &Ledger, kind: &str, name: &str) -> i64 {
    ledger.add_debtor(&debtor_form(kind, name)).await.expect("add debtor").id
}

pub fn invoice_form(debtor_id: i64, number: &str, issue: &str, due: &str, amount: &str) -> InvoiceForm {
    InvoiceForm {
        debtor_id,
        number: number.into(),
        issue_date: issue.into(),
        due_date: Some(due.into()),
        amount_incl_vat: amount.into(),
        ..InvoiceForm::default()
    }
}

pub async fn add_invoice(ledger: &Ledger, debtor_id: i64, number: &str, issue: &str, due: &str, amount: &str) {
    ledger.add_invoice(invoice_form(debtor_id, number, issue, due, amount)).await.expect("add invoice");
}
