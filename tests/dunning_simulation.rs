//! 120 consecutive days of dunning on the demo ledger: each morning the agenda is computed and every
//! proposed action is done, while payments, promises (one kept, one broken), a dispute, a payment
//! plan and a collective procedure arrive on given days. The exact sequence of actions is compared
//! with `tests/golden/agenda_120_days.txt` (UPDATE_GOLDEN=1 rewrites it), and the rules are checked
//! on the sequence itself: the guard's spacing, no calls on Sundays or public holidays, pauses.

mod common;

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use common::*;
use recouvre::dunning::agenda::{ActionKind, PromiseStatus};
use recouvre::dunning::plan::{Frequency, Split};
use recouvre::dunning::records::DisputeReason;
use recouvre::dunning::scenario::Channel;
use recouvre::law::facts::ProcedureForm;
use recouvre::ledger::Act;
use recouvre::receivables::payment::PaymentForm;
use rust_decimal::Decimal;

fn morning(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(10, 0, 0).unwrap()
}

async fn pay(l: &recouvre::Ledger, debtor: i64, on: NaiveDate, amount: Decimal) {
    let form =
        PaymentForm { debtor_id: debtor, date: on.to_string(), amount: amount.to_string(), ..PaymentForm::default() };
    l.add_payment(&form.parse().unwrap()).await.unwrap();
}

#[tokio::test]
async fn a_hundred_and_twenty_days_of_dunning() {
    let t = ledger().await;
    let l = &t.ledger;
    let start = day("2026-03-01");
    recouvre::demo::fill(l, start).await.unwrap();
    // The six debtors owing the most on day 0 play the roles.
    let balances = l.debtor_balances(start, None).await.unwrap();
    let owing: Vec<_> = balances.iter().filter(|b| b.overdue > Decimal::ZERO).collect();
    // Only a business can be in receivership: the first business owing plays that part.
    let insolvent =
        owing.iter().find(|b| b.debtor.kind == recouvre::parties::DebtorKind::Professionnel).unwrap().debtor.id;
    let others: Vec<i64> = owing.iter().map(|b| b.debtor.id).filter(|id| *id != insolvent).take(5).collect();
    let [kept, broken, disputed, planned, payer] = others[..] else { panic!("debtors owing: {others:?}") };
    let owing: Vec<i64> = others.iter().copied().chain([insolvent]).collect();
    let first_open_invoice = |debtor: i64| {
        let l = l.clone();
        async move {
            l.invoice_lines(
                &recouvre::ledger::InvoiceFilter { debtor_id: Some(debtor), open_only: true, ..Default::default() },
                start,
            )
            .await
            .unwrap()[0]
                .invoice
                .number
                .clone()
        }
    };
    let contested = first_open_invoice(disputed).await;

    let mut log: Vec<String> = Vec::new();
    let mut contacts: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    let mut plan_id = None;
    for n in 1..=120 {
        let today = start + Duration::days(n);
        let mut tx = l.begin().await.unwrap();
        match n {
            10 => {
                tx.add_promise(kept, today, today + Duration::days(10), Decimal::from(500), "au téléphone")
                    .await
                    .unwrap();
                log.push(format!("{today} event: promise by {kept} for {}", today + Duration::days(10)));
            }
            15 => {
                tx.add_promise(broken, today, today + Duration::days(10), Decimal::from(800), "par e-mail")
                    .await
                    .unwrap();
                log.push(format!("{today} event: promise by {broken} for {}", today + Duration::days(10)));
            }
            30 => {
                tx.open_dispute(&contested, today, DisputeReason::Quality, "retouches demandées").await.unwrap();
                log.push(format!("{today} event: dispute on {contested}"));
            }
            40 => {
                let owed = l.debtor_balances(today, Some(planned)).await.unwrap()[0].outstanding;
                let plan = tx
                    .create_plan(
                        planned,
                        today,
                        owed,
                        false,
                        Split::Count(3),
                        Frequency::Monthly,
                        today + Duration::days(5),
                        "",
                    )
                    .await
                    .unwrap();
                tx.sign_plan(plan.id, today).await.unwrap();
                plan_id = Some(plan.id);
                log.push(format!("{today} event: plan {} for {planned}, {owed} in 3", plan.id));
            }
            50 => {
                let procedure = ProcedureForm {
                    debtor_id: insolvent,
                    kind: "redressement".into(),
                    judgment_date: (today - Duration::days(3)).to_string(),
                    bodacc_published_on: Some(today.to_string()),
                    ..ProcedureForm::default()
                };
                tx.record_procedure(&procedure.parse().unwrap()).await.unwrap();
                log.push(format!("{today} event: redressement judiciaire of {insolvent}"));
            }
            60 => {
                let id = l.disputes(disputed).await.unwrap()[0].id;
                tx.resolve_dispute(
                    id,
                    today,
                    recouvre::dunning::records::Resolution::Rejected,
                    "contestation infondée",
                )
                .await
                .unwrap();
                log.push(format!("{today} event: dispute {id} rejected"));
            }
            _ => {}
        }
        tx.commit().await.unwrap();
        // Payments: the promise kept (day 18), the first instalment (day 45), the payer settles all (day 35).
        match n {
            18 => pay(l, kept, today, Decimal::from(500)).await,
            35 => {
                let owed = l.debtor_balances(today, Some(payer)).await.unwrap()[0].outstanding;
                pay(l, payer, today, owed).await;
            }
            45 => {
                let plan = l.plan(plan_id.unwrap()).await.unwrap();
                pay(l, planned, today, plan.instalments[0].amount).await;
            }
            _ => {}
        }
        if matches!(n, 18 | 35 | 45) {
            log.push(format!("{today} event: payment"));
        }
        if n == 80 {
            // The second instalment was missed: the whole balance is declared due.
            l.begin().await.unwrap();
            let mut tx = l.begin().await.unwrap();
            tx.default_plan(plan_id.unwrap(), today).await.unwrap();
            tx.commit().await.unwrap();
            log.push(format!("{today} event: plan defaulted"));
        }

        let agenda = l.agenda(morning(today)).await.unwrap();
        for action in &agenda.actions {
            // Every action proposed is a rule obeyed.
            if action.debtor_id == insolvent && n >= 50 {
                assert!(
                    matches!(action.kind, ActionKind::DeclareClaim { .. }),
                    "day {n}: reminder to a debtor in receivership: {action:?}"
                );
            }
            // Pending from day 10 until the money arrives on day 18 (before the promised day 20).
            if action.debtor_id == kept && (10..18).contains(&n) {
                panic!("day {n}: reminder during a pending promise: {action:?}");
            }
            if (30..60).contains(&n) {
                assert!(!action.invoices.contains(&contested), "day {n}: disputed invoice dunned: {action:?}");
            }
            if action.debtor_id == planned && (40..80).contains(&n) && matches!(action.kind, ActionKind::Step { .. }) {
                panic!("day {n}: reminder during a payment plan: {action:?}");
            }
            let is_weekend_or_holiday =
                today.weekday() == Weekday::Sun || recouvre::dunning::calendar::holiday(today).is_some();
            assert!(
                !(is_weekend_or_holiday && action.channels.contains(&Channel::Phone)),
                "day {n}: call on a Sunday or holiday"
            );
            let outcome = match action.kind {
                ActionKind::InstalmentMissed { .. } => {
                    log.push(format!("{today} {} proposed", action.id));
                    continue;
                }
                _ => Act::Done { note: String::new() },
            };
            l.act(&action.id, &outcome, morning(today)).await.unwrap_or_else(|e| panic!("day {n}: {}: {e}", action.id));
            log.push(format!(
                "{today} {} done via {}",
                action.id,
                action.channels.iter().map(|c| c.as_str()).collect::<Vec<_>>().join("+")
            ));
            if action.channels.iter().any(|c| c.is_contact()) {
                let seen = contacts.entry(action.debtor_id).or_default();
                if let Some(last) = seen.last() {
                    assert!(
                        (today - *last).num_days() >= 5,
                        "day {n}: debtor {} contacted again after {} days",
                        action.debtor_id,
                        (today - *last).num_days()
                    );
                }
                seen.push(today);
            }
        }
    }

    // The broken promise raised an alert the day after its date, and the kept one did not.
    let broken_due = start + Duration::days(25);
    assert!(
        log.iter().any(|l| l.starts_with(&format!("{} {broken}-promise-", broken_due + Duration::days(1)))),
        "{log:#?}"
    );
    assert!(!log.iter().any(|l| l.contains(&format!(" {kept}-promise-"))));
    let end = start + Duration::days(120);
    let status = |list: Vec<(recouvre::dunning::records::PromiseRecord, PromiseStatus)>| list[0].1;
    assert_eq!(status(l.promises_at(kept, end).await.unwrap()), PromiseStatus::Kept);
    assert_eq!(status(l.promises_at(broken, end).await.unwrap()), PromiseStatus::Broken);
    assert_eq!(status(l.promises_at(broken, broken_due).await.unwrap()), PromiseStatus::Pending);
    // The missed instalment was proposed as a choice before the plan was defaulted.
    assert!(log.iter().any(|l| l.contains(&format!("{planned}-plan-")) && l.ends_with("proposed")), "{log:#?}");
    // The declaration of claim was proposed and done once.
    assert_eq!(log.iter().filter(|l| l.contains(&format!(" {insolvent}-declaration done"))).count(), 1);
    // The debtor who paid everything on day 35 got nothing after.
    let paid_on = start + Duration::days(35);
    assert!(!log.iter().any(|l| l.contains(&format!(" {payer}-")) && l[..10] > *paid_on.to_string()), "{log:#?}");
    // A formal notice done was recorded for the law engine.
    let notices: usize = futures_count(l, &owing).await;
    assert!(notices > 0, "no formal notice in 120 days");

    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/agenda_120_days.txt");
    let text = log.join("\n") + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        expected == text,
        "the sequence changed: compare with {} (UPDATE_GOLDEN=1 to accept)\n{text}",
        golden.display()
    );
}

async fn futures_count(l: &recouvre::Ledger, debtors: &[i64]) -> usize {
    let mut n = 0;
    for d in debtors {
        n += l.formal_notices(*d).await.unwrap().len();
    }
    n
}
