//! Receivables: invoices, payments and credit notes, and what is derived from them at a given date
//! (outstanding, status, days overdue, aging, DSO).
//!
//! Architecture invariant: everything here is a pure function of recorded facts and a date given by
//! the caller. Nothing derived is stored: the ledger stores facts, this module reads them.

pub mod aging;
pub mod credit_note;
pub mod dso;
pub mod invoice;
pub mod payment;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// Where an invoice stands at a date. Exhaustive: every match on it names each case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    /// Not due yet, nothing paid.
    AEchoir,
    /// Past its due date, nothing paid.
    Echue,
    /// Something was paid, something is still owed (due or not).
    PartiellementPayee,
    /// Nothing left to pay, at least part of it was paid.
    Payee,
    /// Cancelled by credit notes covering its whole amount.
    Annulee,
}

impl InvoiceStatus {
    /// Stable key (`a_echoir`, `echue`, `partiellement_payee`, `payee`, `annulee`).
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::AEchoir => "a_echoir",
            InvoiceStatus::Echue => "echue",
            InvoiceStatus::PartiellementPayee => "partiellement_payee",
            InvoiceStatus::Payee => "payee",
            InvoiceStatus::Annulee => "annulee",
        }
    }

    /// The French label the interface shows.
    pub fn label(self) -> &'static str {
        match self {
            InvoiceStatus::AEchoir => "à échoir",
            InvoiceStatus::Echue => "échue",
            InvoiceStatus::PartiellementPayee => "partiellement payée",
            InvoiceStatus::Payee => "payée",
            InvoiceStatus::Annulee => "annulée",
        }
    }

    /// Reads a stable key.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::AEchoir, Self::Echue, Self::PartiellementPayee, Self::Payee, Self::Annulee]
            .into_iter()
            .find(|s| s.as_str() == text.trim())
    }

    /// Whether money is still expected on the invoice.
    pub fn is_open(self) -> bool {
        match self {
            InvoiceStatus::AEchoir | InvoiceStatus::Echue | InvoiceStatus::PartiellementPayee => true,
            InvoiceStatus::Payee | InvoiceStatus::Annulee => false,
        }
    }
}

/// What an invoice amounts to at a date: its total, what payments settled and what credit notes
/// cancelled, counting only what happened on or before that date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Balance {
    /// Amount incl. VAT.
    pub total: Decimal,
    /// Payments allocated to it.
    pub paid: Decimal,
    /// Credit notes on it.
    pub credited: Decimal,
}

impl Balance {
    /// What is still owed: total − payments − credit notes.
    pub fn outstanding(&self) -> Decimal {
        self.total - self.paid - self.credited
    }

    /// The status at `at` of an invoice due on `due_date` with this balance.
    pub fn status(&self, due_date: NaiveDate, at: NaiveDate) -> InvoiceStatus {
        if self.credited >= self.total {
            InvoiceStatus::Annulee
        } else if self.outstanding() <= Decimal::ZERO {
            InvoiceStatus::Payee
        } else if self.paid > Decimal::ZERO {
            InvoiceStatus::PartiellementPayee
        } else if at > due_date {
            InvoiceStatus::Echue
        } else {
            InvoiceStatus::AEchoir
        }
    }
}

/// Whole days between the due date and `at` while something is still owed: 0 before and on the due
/// date (a payment on the due date is on time).
pub fn days_overdue(due_date: NaiveDate, at: NaiveDate, outstanding: Decimal) -> i64 {
    if outstanding > Decimal::ZERO { (at - due_date).num_days().max(0) } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::dates::parse_date(s).unwrap()
    }

    #[test]
    fn status_table() {
        let due = day("2026-03-31");
        let b = |total: i64, paid: i64, credited: i64| Balance {
            total: Decimal::from(total),
            paid: Decimal::from(paid),
            credited: Decimal::from(credited),
        };
        let cases = [
            (b(100, 0, 0), "2026-03-31", InvoiceStatus::AEchoir),
            (b(100, 0, 0), "2026-04-01", InvoiceStatus::Echue),
            (b(100, 30, 0), "2026-03-01", InvoiceStatus::PartiellementPayee),
            (b(100, 30, 0), "2026-05-01", InvoiceStatus::PartiellementPayee),
            (b(100, 100, 0), "2026-05-01", InvoiceStatus::Payee),
            (b(100, 70, 30), "2026-05-01", InvoiceStatus::Payee),
            (b(100, 0, 100), "2026-05-01", InvoiceStatus::Annulee),
            (b(100, 0, 40), "2026-05-01", InvoiceStatus::Echue),
            (b(100, 0, 40), "2026-01-01", InvoiceStatus::AEchoir),
        ];
        for (balance, at, expected) in cases {
            assert_eq!(balance.status(due, day(at)), expected, "{balance:?} at {at}");
        }
    }

    #[test]
    fn overdue_days() {
        let due = day("2026-03-31");
        assert_eq!(days_overdue(due, day("2026-03-31"), Decimal::ONE), 0);
        assert_eq!(days_overdue(due, day("2026-04-01"), Decimal::ONE), 1);
        assert_eq!(days_overdue(due, day("2026-01-01"), Decimal::ONE), 0);
        assert_eq!(days_overdue(due, day("2026-05-01"), Decimal::ZERO), 0);
        // Across a leap day.
        assert_eq!(days_overdue(day("2028-02-28"), day("2028-03-01"), Decimal::ONE), 2);
    }

    #[test]
    fn status_keys_round_trip() {
        for s in [
            InvoiceStatus::AEchoir,
            InvoiceStatus::Echue,
            InvoiceStatus::PartiellementPayee,
            InvoiceStatus::Payee,
            InvoiceStatus::Annulee,
        ] {
            assert_eq!(InvoiceStatus::parse(s.as_str()), Some(s));
        }
    }
}
