//! Dunning records on a real ledger: what acting on the agenda writes, disputes, plans, cases,
//! scenarios and the guard's settings, and the refusals.

mod common;

use chrono::NaiveDateTime;
use common::*;
use recouvre::dunning::agenda::ActionKind;
use recouvre::dunning::guard::GuardSettings;
use recouvre::dunning::plan::{Frequency, Instalment, InstalmentStatus, Split};
use recouvre::dunning::records::{ContactChannel, DisputeReason, Resolution, Stage};
use recouvre::dunning::scenario::{Channel, Scenario, Step, Template, Tone};
use recouvre::law::facts::PrescriptionEventKind;
use recouvre::law::statement::Scope;
use recouvre::ledger::Act;
use recouvre::parties::DebtorForm;
use recouvre::receivables::payment::PaymentForm;
use rust_decimal::Decimal;

fn at(s: &str) -> NaiveDateTime {
    day(s).and_hms_opt(10, 0, 0).unwrap()
}

#[tokio::test]
async fn acting_on_the_agenda_records_contacts_formal_notices_and_the_case() {
    let t = ledger().await;
    let l = &t.ledger;
    // A consumer on the standard scenario (segment stratégique).
    let d = l
        .add_debtor(&DebtorForm { segment: Some("strategique".into()), ..debtor_form("consommateur", "Léa Fournier") })
        .await
        .unwrap()
        .id;
    add_invoice(l, d, "F1", "2025-08-01", "2025-09-01", "1000").await;
    // J+3 friendly e-mail, J+15 e-mail and letter, J+30 call and letter, J+45 formal notice.
    for (when, id, channels) in
        [("2025-09-04", "-1", 1), ("2025-09-16", "-2", 2), ("2025-10-01", "-3", 2), ("2025-10-16", "-4", 1)]
    {
        let agenda = l.agenda(at(when)).await.unwrap();
        let action = agenda.actions.iter().find(|a| a.debtor_id == d).unwrap_or_else(|| panic!("{when}: {agenda:#?}"));
        assert_eq!(action.id, format!("{d}{id}"), "{when}");
        assert_eq!(action.channels.len(), channels, "{when}");
        l.act(&action.id, &Act::Done { note: "ok".into() }, at(when)).await.unwrap();
    }
    let contacts = l.interactions(d).await.unwrap();
    assert_eq!(contacts.len(), 6);
    assert!(contacts.iter().all(|c| c.outbound));
    assert_eq!(contacts.last().unwrap().channel, ContactChannel::RegisteredLetter);
    // The formal notice was recorded: legal interest now runs from 16 October.
    assert_eq!(l.formal_notices(d).await.unwrap()[0].sent_on, day("2025-10-16"));
    let s = l.statement(d, day("2025-11-15"), Scope::Unpaid).await.unwrap();
    // 1 000 × 2.76 % × 30/365 = 2.27.
    assert_eq!(s.interest_due, Decimal::new(227, 2));
    assert_eq!(l.case_timeline(d).await.unwrap().0, Stage::FormalNotice);
    // Acting again on a step already done, or on an unknown id, is refused; nothing is written.
    assert_eq!(
        l.act(&format!("{d}-4"), &Act::Done { note: String::new() }, at("2025-10-17")).await.unwrap_err().code(),
        "invalid_input"
    );
    assert_eq!(
        l.act("nonsense", &Act::Done { note: String::new() }, at("2025-10-17")).await.unwrap_err().code(),
        "invalid_input"
    );
    assert_eq!(l.interactions(d).await.unwrap().len(), 6);
    // Escalation at J+60 (the notice's 8 days are long over); postponing needs a day after today.
    let agenda = l.agenda(at("2025-11-01")).await.unwrap();
    let escalation = agenda.actions.iter().find(|a| a.debtor_id == d).unwrap();
    assert_eq!(escalation.channels, vec![Channel::Decision]);
    let past = l.act(&escalation.id, &Act::Postpone(day("2025-10-30"), String::new()), at("2025-11-01")).await;
    assert!(past.unwrap_err().to_string().contains("au-delà d'aujourd'hui"));
    l.act(&escalation.id, &Act::Postpone(day("2025-11-10"), "en attente du comptable".into()), at("2025-11-01"))
        .await
        .unwrap();
    let agenda = l.agenda(at("2025-11-05")).await.unwrap();
    assert!(agenda.waiting.iter().any(|w| w.action.id == escalation.id && w.why[0].contains("reportée au 10/11/2025")));
}

#[tokio::test]
async fn disputes_pause_an_invoice_and_plans_pause_the_debtor() {
    let t = ledger().await;
    let l = &t.ledger;
    let d = add_debtor(l, "pro", "Atelier").await;
    add_invoice(l, d, "F1", "2026-01-01", "2026-01-31", "600").await;
    add_invoice(l, d, "F2", "2026-01-05", "2026-02-04", "400").await;
    let mut tx = l.begin().await.unwrap();
    let dispute = tx.open_dispute("F1", day("2026-02-05"), DisputeReason::Quality, "").await.unwrap();
    tx.commit().await.unwrap();
    let agenda = l.agenda(at("2026-02-20")).await.unwrap();
    let action = agenda.actions.iter().find(|a| a.debtor_id == d).unwrap();
    assert_eq!(action.invoices, vec!["F2".to_owned()]);
    assert!(action.reason.contains("en litige, exclues : F1"));
    // A second dispute on the same invoice is refused; resolving it twice too.
    let mut tx = l.begin().await.unwrap();
    assert_eq!(
        tx.open_dispute("F1", day("2026-02-06"), DisputeReason::Price, "").await.unwrap_err().code(),
        "invalid_input"
    );
    tx.resolve_dispute(dispute.id, day("2026-02-21"), Resolution::Rejected, "").await.unwrap();
    assert!(tx.resolve_dispute(dispute.id, day("2026-02-22"), Resolution::Rejected, "").await.is_err());
    drop(tx);
    let mut tx = l.begin().await.unwrap();
    tx.resolve_dispute(dispute.id, day("2026-02-21"), Resolution::Rejected, "").await.unwrap();
    // A plan of 1 000 in 2 from 1 March, signed: an acknowledgement for prescription.
    let plan = tx
        .create_plan(
            d,
            day("2026-02-21"),
            Decimal::from(1000),
            false,
            Split::Count(2),
            Frequency::Monthly,
            day("2026-03-01"),
            "",
        )
        .await
        .unwrap();
    assert_eq!(plan.instalments.iter().map(|i| i.amount).sum::<Decimal>(), Decimal::from(1000));
    tx.sign_plan(plan.id, day("2026-02-22")).await.unwrap();
    let error = tx.sign_plan(plan.id, day("2026-02-23")).await.unwrap_err().to_string();
    assert!(error.contains("déjà été signé le 22/02/2026"), "{error}");
    tx.commit().await.unwrap();
    let events = l.prescription_events(d).await.unwrap();
    assert_eq!((events[0].kind, events[0].occurred_on), (PrescriptionEventKind::Acknowledgement, day("2026-02-22")));
    let agenda = l.agenda(at("2026-02-25")).await.unwrap();
    assert!(agenda.actions.iter().all(|a| a.debtor_id != d));
    assert!(agenda.waiting.iter().any(|w| w.action.debtor_id == d && w.why[0].contains("échéancier en cours")));
    // Missed on 2 March: the choice is proposed; "done" is not an answer.
    let agenda = l.agenda(at("2026-03-02")).await.unwrap();
    let missed = agenda.actions.iter().find(|a| a.debtor_id == d).unwrap();
    assert_eq!(missed.id, format!("{d}-plan-{}", plan.id));
    assert!(
        l.act(&missed.id, &Act::Done { note: String::new() }, at("2026-03-02"))
            .await
            .unwrap_err()
            .to_string()
            .contains("déchéance du terme")
    );
    // A delay granted moves the instalment; edited instalments must still add up.
    let mut tx = l.begin().await.unwrap();
    let moved = vec![
        Instalment { due_on: day("2026-03-15"), amount: Decimal::from(500) },
        Instalment { due_on: day("2026-04-01"), amount: Decimal::from(500) },
    ];
    tx.edit_plan(plan.id, &moved).await.unwrap();
    let short = vec![Instalment { due_on: day("2026-03-15"), amount: Decimal::from(500) }];
    assert!(tx.edit_plan(plan.id, &short).await.unwrap_err().to_string().contains("exactement 1000.00"));
    tx.commit().await.unwrap();
    assert!(l.agenda(at("2026-03-02")).await.unwrap().actions.iter().all(|a| a.debtor_id != d));

    // Missed again on 15 March: the agenda names the instalment; a delay reaching the next one is
    // refused, a shorter one is granted (one transaction each).
    let agenda = l.agenda(at("2026-03-16")).await.unwrap();
    let missed = agenda.actions.iter().find(|a| a.debtor_id == d).unwrap();
    let ActionKind::InstalmentMissed { plan_id, instalment, .. } = missed.kind else { panic!("{missed:?}") };
    assert_eq!((plan_id, instalment), (plan.id, 1));
    let mut tx = l.begin().await.unwrap();
    let error = tx.delay_instalment(plan.id, 1, day("2026-04-01")).await.unwrap_err().to_string();
    assert!(error.contains("l'échéance suivante tombe le 01/04/2026"), "{error}");
    drop(tx);
    let mut tx = l.begin().await.unwrap();
    tx.delay_instalment(plan.id, 1, day("2026-03-25")).await.unwrap();
    tx.commit().await.unwrap();
    assert!(l.agenda(at("2026-03-16")).await.unwrap().actions.iter().all(|a| a.debtor_id != d));

    // Déchéance du terme: dunning resumes; it cannot be declared twice.
    let mut tx = l.begin().await.unwrap();
    tx.default_plan(plan.id, day("2026-03-26")).await.unwrap();
    let error = tx.default_plan(plan.id, day("2026-03-27")).await.unwrap_err().to_string();
    assert!(error.contains("déjà été prononcée le 26/03/2026"), "{error}");
    let error = tx.delay_instalment(plan.id, 2, day("2026-04-10")).await.unwrap_err().to_string();
    assert!(error.contains("déchéance du terme"), "{error}");
    tx.commit().await.unwrap();
    assert_eq!(l.plan(plan.id).await.unwrap().defaulted_on, Some(day("2026-03-26")));

    // The debtor's history gathers it all, with statuses at the date.
    let history = l.dunning_history(d, day("2026-03-27")).await.unwrap();
    assert_eq!(history.plans.len(), 1);
    let standing = &history.plans[0];
    assert_eq!(standing.plan.defaulted_on, Some(day("2026-03-26")));
    assert_eq!(standing.instalments[0].0, InstalmentStatus::Missed, "due 25/03, nothing paid");
    assert_eq!(standing.instalments[1].0, InstalmentStatus::Upcoming);
    assert_eq!(history.disputes.len(), 1);
    assert!(history.disputes[0].resolved.is_some());
    assert!(l.dunning_history(999, day("2026-03-27")).await.is_err(), "unknown debtor");
}

#[tokio::test]
async fn cases_scenarios_and_guard_settings() {
    let t = ledger().await;
    let l = &t.ledger;
    let d = add_debtor(l, "pro", "Atelier").await;
    let mut tx = l.begin().await.unwrap();
    tx.move_case(d, Stage::FormalNotice, day("2026-01-10"), "").await.unwrap();
    tx.move_case(d, Stage::InjunctionFiled, day("2026-02-10"), "requête au tribunal de commerce").await.unwrap();
    assert!(
        tx.move_case(d, Stage::FormalNotice, day("2026-02-11"), "")
            .await
            .unwrap_err()
            .to_string()
            .contains("ne peut revenir en arrière")
    );
    tx.move_case(d, Stage::ClosedPaid, day("2026-03-01"), "").await.unwrap();
    tx.commit().await.unwrap();
    let (stage, timeline) = l.case_timeline(d).await.unwrap();
    assert_eq!((stage, timeline.len()), (Stage::ClosedPaid, 3));

    // Three scenarios shipped, one per segment; a user's own is validated.
    let scenarios = l.scenarios().await.unwrap();
    assert_eq!(scenarios.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(), vec!["standard", "strict", "souple"]);
    let mine = Scenario {
        key: "btp".into(),
        name: "BTP".into(),
        steps: vec![
            Step {
                offset_days: 10,
                channels: vec![Channel::Phone],
                template: Template::PhoneScript,
                tone: Tone::Courteous,
                deadline_days: None,
            },
            Step {
                offset_days: 20,
                channels: vec![Channel::RegisteredLetter],
                template: Template::FormalNotice,
                tone: Tone::FormalNotice,
                deadline_days: Some(15),
            },
        ],
    };
    let mut tx = l.begin().await.unwrap();
    tx.save_scenario(&mine).await.unwrap();
    tx.assign_scenario(d, Some("btp")).await.unwrap();
    assert!(tx.assign_scenario(d, Some("inconnu")).await.is_err());
    let backwards = Scenario { steps: mine.steps.iter().rev().cloned().collect(), ..mine.clone() };
    assert!(tx.save_scenario(&backwards).await.is_err());
    tx.set_guard(GuardSettings { min_days_between_contacts: 7, max_contacts_per_week: 1 }).await.unwrap();
    assert!(tx.set_guard(GuardSettings { min_days_between_contacts: 0, max_contacts_per_week: 1 }).await.is_err());
    tx.commit().await.unwrap();
    assert_eq!(l.guard_settings().await.unwrap().min_days_between_contacts, 7);
    assert_eq!(l.scenarios().await.unwrap().len(), 4);
    // The debtor's own scenario drives its agenda (the case was reopened first).
    let mut tx = l.begin().await.unwrap();
    tx.move_case(d, Stage::Amiable, day("2026-03-02"), "nouvelle facture").await.unwrap();
    tx.commit().await.unwrap();
    add_invoice(l, d, "F9", "2026-03-01", "2026-03-31", "100").await;
    let agenda = l.agenda(at("2026-04-10")).await.unwrap();
    assert_eq!(agenda.actions[0].channels, vec![Channel::Phone]);
    assert!(agenda.actions[0].reason.contains("BTP"));
}

#[tokio::test]
async fn the_risk_score_reads_the_payment_history_up_to_the_date() {
    let t = ledger().await;
    let l = &t.ledger;
    let d = add_debtor(l, "pro", "Atelier").await;
    // Paid on time, 10 days late, 30 days late; one still open and overdue.
    add_invoice(l, d, "H1", "2026-01-01", "2026-01-31", "100").await;
    add_invoice(l, d, "H2", "2026-02-01", "2026-02-28", "100").await;
    add_invoice(l, d, "H3", "2026-03-01", "2026-03-31", "100").await;
    add_invoice(l, d, "H4", "2026-04-01", "2026-04-30", "9000").await;
    for (date, number) in [("2026-01-30", "H1"), ("2026-03-10", "H2"), ("2026-04-30", "H3")] {
        let form = PaymentForm {
            debtor_id: d,
            date: date.into(),
            amount: "100".into(),
            invoices: vec![number.into()],
            ..PaymentForm::default()
        };
        l.add_payment(&form.parse().unwrap()).await.unwrap();
    }
    let detail = |agenda: recouvre::dunning::agenda::Agenda| {
        agenda.actions.into_iter().find(|a| a.debtor_id == d).map(|a| a.priority_detail).unwrap_or_default()
    };
    let detail_at = detail(l.agenda(at("2026-05-20")).await.unwrap());
    assert!(detail_at.contains("retard moyen 20 j"), "{detail_at}");
    assert!(detail_at.contains("2/3 factures payées en retard"), "{detail_at}");
    // Before H3 was paid, only two invoices were settled, one of them late.
    let before = detail(l.agenda(at("2026-04-20")).await.unwrap());
    assert!(before.contains("retard moyen 10 j") && before.contains("1/2 factures"), "{before}");

    // A payment plan spreads what is owed: the principal, or the statement's total.
    assert_eq!(l.amount_to_spread(d, day("2026-05-20"), false).await.unwrap(), Decimal::from(9000));
    let with_penalties = l.amount_to_spread(d, day("2026-05-20"), true).await.unwrap();
    let statement = l.statement(d, day("2026-05-20"), Scope::Unpaid).await.unwrap();
    assert_eq!(with_penalties, statement.total_due);
    assert!(with_penalties > Decimal::from(9040), "20 days of penalties and the 40 € on H4: {with_penalties}");
    assert!(l.amount_to_spread(999, day("2026-05-20"), false).await.is_err(), "unknown debtor");
}
