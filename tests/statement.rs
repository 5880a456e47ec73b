//! Statements of account and prescription on a real ledger: which law applies to which debtor, from
//! when interest runs, the indemnity per invoice, costs, collective procedures, interruptions.

mod common;

use common::*;
use recouvre::law::facts::{FormalNoticeForm, PrescriptionEventForm, ProcedureForm, RecoveryCostForm};
use recouvre::law::prescription::Alert;
use recouvre::law::statement::Scope;
use recouvre::parties::{DebtorForm, ProfileForm};
use recouvre::receivables::payment::PaymentForm;
use rust_decimal::Decimal;

fn eur(s: &str) -> Decimal {
    s.parse().unwrap()
}

async fn pay(l: &recouvre::Ledger, debtor: i64, date: &str, amount: &str, invoice: &str) {
    let form = PaymentForm {
        debtor_id: debtor,
        date: date.into(),
        amount: amount.into(),
        invoices: vec![invoice.into()],
        ..PaymentForm::default()
    };
    l.add_payment(&form.parse().unwrap()).await.unwrap();
}

#[tokio::test]
async fn business_statement_with_two_invoices_a_payment_and_costs() {
    let t = ledger().await;
    let l = &t.ledger;
    let d = add_debtor(l, "pro", "Atelier Dupont").await;
    add_invoice(l, d, "F1", "2025-03-01", "2025-03-31", "10000").await;
    add_invoice(l, d, "F2", "2025-04-15", "2025-05-15", "1000").await;
    pay(l, d, "2025-04-30", "4000", "F1").await;
    let cost = RecoveryCostForm {
        debtor_id: d,
        invoice_number: Some("F1".into()),
        date: "2025-05-20".into(),
        amount: "8,50".into(),
        description: "Lettre recommandée".into(),
    };
    l.add_recovery_cost(cost, None).await.unwrap();
    let s = l.statement(d, day("2025-05-31"), Scope::Unpaid).await.unwrap();
    // F1: the partial payment worked case (176.30 accrued, 68.22 due, principal 6 108.08) + 40 €.
    // F2: 1 000 × 13.15 % × 16/365 = 5.7644 → 5.76 (16–31 May) + 40 €.
    let f1 = &s.invoices[0];
    assert_eq!((f1.principal_due, f1.interest_due, f1.indemnity), (eur("6108.08"), eur("68.22"), eur("40")));
    let f2 = &s.invoices[1];
    assert_eq!((f2.principal_due, f2.interest_due, f2.indemnity), (eur("1000"), eur("5.76"), eur("40")));
    assert_eq!(s.indemnities, eur("80"));
    assert_eq!(s.costs_total, eur("8.50"));
    // The total is the sum of its parts.
    let per_invoice: Decimal = s.invoices.iter().map(|i| i.total_due).sum();
    assert_eq!(s.total_due, per_invoice + s.costs_total);
    assert_eq!(s.total_due, eur("6108.08") + eur("68.22") + eur("1000") + eur("5.76") + eur("80") + eur("8.50"));
    assert!(s.legal_basis.contains("L441-10"));

    // Terms of sale at 15 % replace the default; a per-debtor contract rate replaces those.
    l.update_profile(&ProfileForm {
        legal_name: Some("Moi".into()),
        late_penalty: Some("15".into()),
        ..ProfileForm::default()
    })
    .await
    .unwrap();
    let s = l.statement(d, day("2025-05-31"), Scope::Unpaid).await.unwrap();
    assert_eq!(s.invoices[1].computation.segments[0].rate, eur("15"));
    l.edit_debtor(d, &DebtorForm { contract_penalty_rate: Some("20".into()), ..DebtorForm::default() }).await.unwrap();
    let s = l.statement(d, day("2025-05-31"), Scope::Unpaid).await.unwrap();
    assert_eq!(s.invoices[1].computation.segments[0].rate, eur("20"));
}

#[tokio::test]
async fn consumer_interest_runs_from_the_formal_notice_and_never_40_euros() {
    let t = ledger().await;
    let l = &t.ledger;
    let d = add_debtor(l, "consommateur", "Camille Durand").await;
    add_invoice(l, d, "F1", "2025-08-01", "2025-08-15", "5000").await;
    let cost = RecoveryCostForm {
        debtor_id: d,
        invoice_number: None,
        date: "2025-09-01".into(),
        amount: "8".into(),
        description: "Relance".into(),
    };
    l.add_recovery_cost(cost, None).await.unwrap();
    // No formal notice yet: no interest, a note says why; costs are listed but not claimed.
    let s = l.statement(d, day("2025-10-15"), Scope::Unpaid).await.unwrap();
    assert_eq!((s.interest_due, s.indemnities, s.costs_total), (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO));
    assert!(s.invoices[0].notes[0].contains("mise en demeure"));
    assert!(!s.costs_claimable && s.warnings.iter().any(|w| w.contains("L111-8")));
    // Notice of 15 September: 5 000 × 2.76 % × 30/365 = 11.34 to 15 October.
    let notice = FormalNoticeForm {
        debtor_id: d,
        sent_on: "2025-09-15".into(),
        registered_number: Some("1A".into()),
        received_on: None,
    };
    l.add_formal_notice(notice).await.unwrap();
    let s = l.statement(d, day("2025-10-15"), Scope::Unpaid).await.unwrap();
    assert_eq!((s.interest_due, s.indemnities), (eur("11.34"), Decimal::ZERO));
    assert_eq!(s.total_due, eur("5011.34"));
    assert!(s.legal_basis.contains("1344-1"));
}

#[tokio::test]
async fn collective_procedure_stops_interest_and_sets_the_declaration_deadline() {
    let t = ledger().await;
    let l = &t.ledger;
    let d = add_debtor(l, "pro", "Garage en difficulté").await;
    add_invoice(l, d, "F1", "2025-03-01", "2025-03-31", "10000").await;
    let form = ProcedureForm {
        debtor_id: d,
        kind: "redressement".into(),
        judgment_date: "2025-04-15".into(),
        bodacc_published_on: Some("2025-04-30".into()),
        mandataire_name: Some("Me Martin".into()),
        mandataire_address: None,
    };
    l.record_procedure(&form.parse().unwrap()).await.unwrap();
    let s = l.statement(d, day("2025-06-30"), Scope::Unpaid).await.unwrap();
    // 10 000 × 13.15 % × 15/365 = 54.04 (1–15 April), then nothing.
    assert_eq!((s.interest_due, s.indemnities), (eur("54.04"), eur("40")));
    assert_eq!(s.declaration_deadline, Some(day("2025-06-30")));
    assert!(s.warnings.iter().any(|w| w.contains("L622-21")));
}

#[tokio::test]
async fn prescription_is_interrupted_by_payments_and_court_claims_not_by_notices() {
    let t = ledger().await;
    let l = &t.ledger;
    let d = add_debtor(l, "consommateur", "Lucas Bernard").await;
    add_invoice(l, d, "F1", "2024-06-01", "2024-06-15", "500").await;
    add_invoice(l, d, "F2", "2024-06-01", "2024-06-15", "300").await;
    // 2 years from delivery (= issue): 1 June 2026, expired at 24 Nov 2026 — for F2.
    // F1 had a partial payment on 10 January 2025: new period to 10 January 2027 (47 days left).
    pay(l, d, "2025-01-10", "100", "F1").await;
    // A formal notice changes nothing.
    let notice =
        FormalNoticeForm { debtor_id: d, sent_on: "2026-05-01".into(), registered_number: None, received_on: None };
    l.add_formal_notice(notice).await.unwrap();
    let limits = l.limitations(day("2026-11-24"), Some(d)).await.unwrap();
    let f1 = limits.iter().find(|x| x.invoice_number == "F1").unwrap();
    let f2 = limits.iter().find(|x| x.invoice_number == "F2").unwrap();
    assert_eq!((f1.limitation.expires_on, f1.limitation.alert), (day("2027-01-10"), Alert::Within90Days));
    assert_eq!((f2.limitation.expires_on, f2.limitation.alert), (day("2026-06-01"), Alert::Expired));
    // An injonction de payer served on 20 May 2026 (before expiry) restarts F2's period.
    let event = PrescriptionEventForm {
        debtor_id: d,
        invoice_number: Some("F2".into()),
        kind: "court-claim-served".into(),
        date: "2026-05-20".into(),
        until: None,
        note: None,
    };
    l.add_prescription_event(&event.parse().unwrap()).await.unwrap();
    let limits = l.limitations(day("2026-11-24"), Some(d)).await.unwrap();
    let f2 = limits.iter().find(|x| x.invoice_number == "F2").unwrap();
    assert_eq!((f2.limitation.expires_on, f2.limitation.alert), (day("2028-05-20"), Alert::None));
    // An event on another debtor's invoice is refused.
    let other = add_debtor(l, "pro", "Autre").await;
    let wrong = PrescriptionEventForm {
        debtor_id: other,
        invoice_number: Some("F1".into()),
        kind: "enforcement".into(),
        date: "2026-01-01".into(),
        until: None,
        note: None,
    };
    assert_eq!(l.add_prescription_event(&wrong.parse().unwrap()).await.unwrap_err().code(), "invalid_input");
    // A formal notice is not an event one can record.
    let notice_event = PrescriptionEventForm {
        debtor_id: d,
        invoice_number: None,
        kind: "formal-notice".into(),
        date: "2026-01-01".into(),
        until: None,
        note: None,
    };
    assert!(notice_event.parse().unwrap_err().to_string().contains("n'interrompt pas"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Whatever the invoices and payments, the statement total is the sum of its invoices'
        /// totals plus claimable costs, and each invoice's total is principal + interest + indemnity.
        #[test]
        fn statement_total_is_the_sum_of_its_parts(
            invoices in proptest::collection::vec((1..500_000_i64, 0..400_u32), 1..6),
            payments in proptest::collection::vec((0..6_usize, 1..300_000_i64, 0..500_u32), 0..6),
            consumer in any::<bool>(),
        ) {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let t = ledger().await;
                let l = &t.ledger;
                let d = add_debtor(l, if consumer { "consommateur" } else { "pro" }, "X").await;
                let start = day("2024-01-01");
                for (n, (cents, offset)) in invoices.iter().enumerate() {
                    let issue = start + chrono::Duration::days(i64::from(*offset));
                    let due = issue + chrono::Duration::days(30);
                    add_invoice(l, d, &format!("F{n}"), &issue.to_string(), &due.to_string(), &Decimal::new(*cents, 2).to_string()).await;
                }
                for (target, cents, offset) in &payments {
                    let date = start + chrono::Duration::days(i64::from(*offset) + 10);
                    let form = PaymentForm {
                        debtor_id: d,
                        date: date.to_string(),
                        amount: Decimal::new(*cents, 2).to_string(),
                        invoices: vec![format!("F{}", target % invoices.len())],
                        ..PaymentForm::default()
                    };
                    // Over-allocations are refused: fine, the statement must still add up.
                    let _ = l.add_payment(&form.parse().unwrap()).await;
                }
                if consumer {
                    let notice = FormalNoticeForm { debtor_id: d, sent_on: "2024-06-01".into(), registered_number: None, received_on: None };
                    l.add_formal_notice(notice).await.unwrap();
                }
                let s = l.statement(d, day("2026-06-30"), Scope::UnpaidAndPaidLate).await.unwrap();
                let per_invoice: Decimal = s.invoices.iter().map(|i| i.total_due).sum();
                assert_eq!(s.total_due, per_invoice + s.costs_total);
                for i in &s.invoices {
                    assert_eq!(i.total_due, i.principal_due + i.interest_due + i.indemnity);
                    assert!(i.principal_due >= Decimal::ZERO && i.interest_due >= Decimal::ZERO);
                    if consumer {
                        assert_eq!(i.indemnity, Decimal::ZERO);
                    }
                }
            });
        }
    }
}
