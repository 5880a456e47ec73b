//! Property tests on a real ledger: whatever sequence of invoices, payments (explicit, oldest-first
//! or on account) and credit notes a user records, an allocation never exceeds what a payment
//! brought or what an invoice owed, and outstanding = amount − allocations − credit notes.

mod common;

use std::collections::HashMap;

use common::*;
use proptest::prelude::*;
use recouvre::ledger::InvoiceFilter;
use recouvre::money::from_cents;
use recouvre::receivables::credit_note::NewCreditNote;
use recouvre::receivables::payment::{AllocationRequest, NewPayment, PaymentMethod};
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
enum Op {
    Invoice { debtor: usize, cents: i64, day: u32 },
    Pay { debtor: usize, cents: i64, day: u32, target: Target },
    Credit { invoice: usize, cents: i64, day: u32 },
}

#[derive(Debug, Clone)]
enum Target {
    OldestFirst,
    OnAccount,
    Invoice { invoice: usize, cents: Option<i64> },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..3_usize, 1..200_000_i64, 0..300_u32).prop_map(|(debtor, cents, day)| Op::Invoice { debtor, cents, day }),
        3 => (0..3_usize, 1..150_000_i64, 0..330_u32, target()).prop_map(|(debtor, cents, day, target)| Op::Pay { debtor, cents, day, target }),
        1 => (0..40_usize, 1..100_000_i64, 0..330_u32).prop_map(|(invoice, cents, day)| Op::Credit { invoice, cents, day }),
    ]
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        Just(Target::OldestFirst),
        Just(Target::OnAccount),
        (0..40_usize, proptest::option::of(1..150_000_i64))
            .prop_map(|(invoice, cents)| Target::Invoice { invoice, cents }),
    ]
}

fn date(day: u32) -> chrono::NaiveDate {
    common::day("2026-01-01") + chrono::Duration::days(i64::from(day))
}

async fn check(ops: Vec<Op>) {
    let t = ledger().await;
    let l = &t.ledger;
    let mut debtors = Vec::new();
    for name in ["A", "B", "C"] {
        debtors.push(add_debtor(l, "pro", name).await);
    }
    // (number, debtor) of each invoice recorded so far.
    let mut invoices: Vec<(String, i64)> = Vec::new();
    let mut payments = Vec::new();
    let mut credited: HashMap<String, Decimal> = HashMap::new();
    for op in ops {
        match op {
            Op::Invoice { debtor, cents, day } => {
                let number = format!("F{}", invoices.len());
                let form = invoice_form(
                    debtors[debtor],
                    &number,
                    &date(day).to_string(),
                    &date(day + 30).to_string(),
                    &from_cents(cents).to_string(),
                );
                l.add_invoice(form).await.expect("valid invoice");
                invoices.push((number, debtors[debtor]));
            }
            Op::Pay { debtor, cents, day, target } => {
                let allocation = match target {
                    Target::OldestFirst => AllocationRequest::OldestFirst,
                    Target::OnAccount => AllocationRequest::Unallocated,
                    Target::Invoice { invoice, cents } => match invoices.get(invoice) {
                        Some((number, _)) => AllocationRequest::Invoices(vec![(number.clone(), cents.map(from_cents))]),
                        None => AllocationRequest::OldestFirst,
                    },
                };
                let p = NewPayment {
                    debtor_id: debtors[debtor],
                    received_on: date(day),
                    amount: from_cents(cents),
                    method: PaymentMethod::Virement,
                    reference: None,
                    allocation,
                };
                // Refusals (over-allocation, other debtor's invoice…) are expected; they must not
                // leave anything behind, which the final check verifies.
                if let Ok(recorded) = l.add_payment(&p).await {
                    payments.push(recorded.id);
                }
            }
            Op::Credit { invoice, cents, day } => {
                let Some((number, _)) = invoices.get(invoice) else { continue };
                let note = NewCreditNote {
                    number: format!("AV{invoice}-{day}-{cents}"),
                    invoice_number: number.clone(),
                    issue_date: date(day),
                    amount_incl_vat: from_cents(cents),
                    vat: Decimal::ZERO,
                    reason: String::new(),
                };
                if l.add_credit_note(&note).await.is_ok() {
                    *credited.entry(number.clone()).or_default() += from_cents(cents);
                }
            }
        }
    }
    // Rebuild every invoice's allocations from the payments as recorded.
    let mut allocated: HashMap<String, Decimal> = HashMap::new();
    let mut recorded_payments = 0;
    for debtor in &debtors {
        for p in l.payments_of(*debtor).await.unwrap() {
            recorded_payments += 1;
            let sum: Decimal = p.allocations.iter().map(|a| a.amount).sum();
            assert!(sum <= p.amount, "payment {} allocates {sum} of {}", p.id, p.amount);
            assert!(p.allocations.iter().all(|a| a.amount > Decimal::ZERO));
            for a in &p.allocations {
                let (_, owner) = invoices.iter().find(|(n, _)| *n == a.invoice_number).unwrap();
                assert_eq!(*owner, p.debtor_id, "allocation to another debtor's invoice");
                *allocated.entry(a.invoice_number.clone()).or_default() += a.amount;
            }
        }
    }
    assert_eq!(recorded_payments, payments.len());
    let lines = l.invoice_lines(&InvoiceFilter::default(), date(10_000)).await.unwrap();
    assert_eq!(lines.len(), invoices.len());
    let mut owed_per_debtor: HashMap<i64, Decimal> = HashMap::new();
    for line in &lines {
        let number = &line.invoice.number;
        let paid = allocated.get(number).copied().unwrap_or_default();
        let credit = credited.get(number).copied().unwrap_or_default();
        assert_eq!(line.balance.paid, paid, "{number}");
        assert_eq!(line.balance.credited, credit, "{number}");
        assert_eq!(line.balance.outstanding(), line.invoice.amount_incl_vat - paid - credit, "{number}");
        assert!(line.balance.outstanding() >= Decimal::ZERO, "{number} over-settled: {:?}", line.balance);
        // The lettrage date, kept by the ledger for its reports, agrees with the amounts.
        assert_eq!(line.invoice.settled_on.is_some(), line.balance.outstanding().is_zero(), "{number}");
        *owed_per_debtor.entry(line.invoice.debtor_id).or_default() += line.balance.outstanding();
    }
    // Per debtor and in the aging report, the same totals.
    let balances = l.debtor_balances(date(10_000), None).await.unwrap();
    for b in &balances {
        assert_eq!(b.outstanding, owed_per_debtor.get(&b.debtor.id).copied().unwrap_or_default());
    }
    let aging = l.aging(date(10_000)).await.unwrap();
    assert_eq!(aging.totals.total(), owed_per_debtor.values().copied().sum::<Decimal>());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn allocations_never_exceed_and_outstanding_adds_up(ops in proptest::collection::vec(op(), 1..40)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(check(ops));
    }
}
