//! The Tauri commands: each takes the ledger from the app state, calls the core, maps the result to
//! the IPC types. No rule and no SQL here.

use recouvre::dates::{format_date_fr, parse_date_field};
use recouvre::ledger::Act;
use recouvre::money::{format_eur, parse_amount_field};
use recouvre::{Error, Field, Ledger};
use tauri::State;

use crate::dto::{
    ActRecorded, AgendaView, CommandError, DebtorRow, Decision, DemoResult, LedgerOverview, PlanChoice, StatementView,
};
use crate::history::{DebtorHistoryView, Entry};

/// Today, by the shell's clock: the core never reads it.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[tauri::command]
pub async fn ledger_overview(ledger: State<'_, Ledger>) -> Result<LedgerOverview, CommandError> {
    let counts = ledger.counts().await?;
    let creditor = ledger.profile().await?.map(|p| p.legal_name);
    Ok(LedgerOverview::new(ledger.path().display().to_string(), creditor, counts, format_date_fr(today())))
}

#[tauri::command]
pub async fn list_debtors(ledger: State<'_, Ledger>) -> Result<Vec<DebtorRow>, CommandError> {
    let balances = ledger.debtor_balances(today(), None).await?;
    Ok(balances.iter().map(DebtorRow::from).collect())
}

#[tauri::command]
pub async fn load_demo(ledger: State<'_, Ledger>) -> Result<DemoResult, CommandError> {
    let s = recouvre::demo::fill(&ledger, today()).await?;
    let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    Ok(DemoResult {
        debtors: n(s.debtors),
        invoices: n(s.invoices),
        payments: n(s.payments),
        credit_notes: n(s.credit_notes),
    })
}

#[tauri::command]
pub async fn debtor_statement(ledger: State<'_, Ledger>, debtor_id: i64) -> Result<StatementView, CommandError> {
    let statement = ledger.statement(debtor_id, today(), recouvre::law::statement::Scope::Unpaid).await?;
    Ok(StatementView::from(&statement))
}

/// Now, by the shell's clock: the agenda's guard looks at the hour (no phone calls at night).
fn now() -> chrono::NaiveDateTime {
    let now = chrono::Local::now().naive_local();
    chrono::Timelike::with_nanosecond(&now, 0).unwrap_or(now)
}

#[tauri::command]
pub async fn today_agenda(ledger: State<'_, Ledger>) -> Result<AgendaView, CommandError> {
    Ok(AgendaView::from(&ledger.agenda(now()).await?))
}

#[tauri::command]
pub async fn act_on_action(
    ledger: State<'_, Ledger>,
    action_id: String,
    decision: Decision,
) -> Result<ActRecorded, CommandError> {
    let act = match decision {
        Decision::Done { note } => Act::Done { note },
        Decision::Skip { reason } => Act::Skip(reason),
        Decision::Postpone { until, reason } => {
            let day = parse_date_field(Field::Date, &until)?;
            Act::Postpone(day, reason)
        }
    };
    let action = ledger.act(&action_id, &act, now()).await?;
    let what = match act {
        Act::Done { .. } => "fait, enregistré dans l'historique".to_owned(),
        Act::Skip(_) => "passé".to_owned(),
        Act::Postpone(until, _) => format!("reporté au {}", format_date_fr(until)),
    };
    Ok(ActRecorded { message: format!("{} — {} : {what}.", action.title(), action.debtor_name) })
}

#[tauri::command]
pub async fn decide_plan(
    ledger: State<'_, Ledger>,
    plan_id: i64,
    choice: PlanChoice,
) -> Result<ActRecorded, CommandError> {
    let today = today();
    let mut tx = ledger.begin().await?;
    let message = match choice {
        PlanChoice::Delay { instalment, until } => {
            let to = parse_date_field(Field::Date, &until)?;
            tx.delay_instalment(plan_id, instalment, to).await?;
            format!("Délai accordé : l'échéance n° {instalment} est reportée au {}.", format_date_fr(to))
        }
        PlanChoice::Default => {
            tx.default_plan(plan_id, today).await?;
            format!(
                "Déchéance du terme prononcée le {} : tout le solde est exigible, la relance reprend.",
                format_date_fr(today)
            )
        }
    };
    tx.commit().await?;
    Ok(ActRecorded { message })
}

#[tauri::command]
pub async fn debtor_history(ledger: State<'_, Ledger>, debtor_id: i64) -> Result<DebtorHistoryView, CommandError> {
    Ok(DebtorHistoryView::from(&ledger.dunning_history(debtor_id, today()).await?))
}

#[tauri::command]
pub async fn record_entry(
    ledger: State<'_, Ledger>,
    debtor_id: i64,
    entry: Entry,
) -> Result<ActRecorded, CommandError> {
    use recouvre::dunning::plan::{Frequency, Split};
    use recouvre::dunning::records::{ContactChannel, DisputeReason, Resolution, Stage};
    let today = today();
    let mut tx = ledger.begin().await?;
    let message = match entry {
        Entry::Contact { channel, inbound, summary, outcome } => {
            let channel = ContactChannel::parse(&channel)?;
            tx.add_interaction(&recouvre::ledger::NewInteraction {
                debtor_id,
                occurred_at: now(),
                channel,
                outbound: !inbound,
                summary,
                outcome,
                files: Vec::new(),
            })
            .await?;
            format!("Échange par {} noté.", channel.label())
        }
        Entry::Promise { amount, due_on, note } => {
            let amount = parse_amount_field(Field::Amount, &amount)?;
            let due = parse_date_field(Field::Date, &due_on)?;
            tx.add_promise(debtor_id, today, due, amount, &note).await?;
            format!(
                "Promesse de {} pour le {} notée : les relances attendent cette date.",
                format_eur(amount),
                format_date_fr(due)
            )
        }
        Entry::DisputeOpen { invoice, reason, note } => {
            tx.open_dispute(&invoice, today, DisputeReason::parse(&reason)?, &note).await?;
            format!("Litige ouvert sur la facture {invoice} : sa relance est suspendue.")
        }
        Entry::DisputeResolve { dispute_id, resolution, note } => {
            let resolution = Resolution::parse(&resolution)?;
            tx.resolve_dispute(dispute_id, today, resolution, &note).await?;
            format!("Litige clos ({}).", resolution.label())
        }
        Entry::Stage { stage, note } => {
            let stage = Stage::parse(&stage)?;
            tx.move_case(debtor_id, stage, today, &note).await?;
            format!("Dossier passé à l'étape « {} ».", stage.label())
        }
        Entry::Plan { amount, with_penalties, count, frequency, first, note } => {
            let total = if amount.trim().is_empty() {
                ledger.amount_to_spread(debtor_id, today, with_penalties).await?
            } else {
                parse_amount_field(Field::Amount, &amount)?
            };
            let count: u32 = count
                .trim()
                .parse()
                .map_err(|_| Error::invalid(Field::Count, &count, "un nombre d'échéances entier est attendu"))?;
            let first = parse_date_field(Field::Date, &first)?;
            let frequency = Frequency::parse(&frequency)?;
            let plan = tx
                .create_plan(debtor_id, today, total, with_penalties, Split::Count(count), frequency, first, &note)
                .await?;
            let what = match (amount.trim().is_empty(), with_penalties) {
                (false, _) => "",
                (true, false) => " (solde des factures, pénalités non comprises)",
                (true, true) => " (total du décompte, pénalités et indemnités comprises)",
            };
            format!(
                "Échéancier n° {} créé : {}{what} en {} échéance(s) à partir du {}. Faites-le signer au débiteur.",
                plan.id,
                format_eur(plan.total),
                plan.instalments.len(),
                format_date_fr(first)
            )
        }
        Entry::PlanSigned { plan_id } => {
            tx.sign_plan(plan_id, today).await?;
            format!(
                "Échéancier n° {plan_id} signé le {} : il vaut reconnaissance de dette (la prescription repart).",
                format_date_fr(today)
            )
        }
    };
    tx.commit().await?;
    Ok(ActRecorded { message })
}
