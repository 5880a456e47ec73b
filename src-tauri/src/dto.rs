//! The IPC boundary: what crosses between the Rust commands and the web UI. These types are distinct
//! from the core's domain types on purpose (the core does not know the IPC format), and the UI's
//! TypeScript types are generated from them (`ui/src/bindings.ts`, checked by a test).
//!
//! Money crosses as text: `outstanding` is machine-readable ("1234.56"), `outstanding_display` is
//! what a French user reads ("1 234,56 €"). The UI never computes or formats an amount.

use recouvre::dunning::agenda::ActionKind;
use recouvre::ledger::{DebtorBalance, LedgerCounts};
use recouvre::money::{format_eur, to_plain};
use recouvre::parties::DebtorKind;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A failed command: a stable `code` the UI may switch on, and the message to show as is.
#[derive(Debug, Serialize, TS)]
pub struct CommandError {
    /// Stable machine code (`invalid_input`, `unknown_debtor`, `ledger_not_empty`…).
    pub code: String,
    /// One user-facing sentence, in French.
    pub message: String,
}

impl From<recouvre::Error> for CommandError {
    fn from(error: recouvre::Error) -> Self {
        CommandError { code: error.code().to_owned(), message: error.to_string() }
    }
}

/// What the window shows in its header, and whether to offer the demo data.
#[derive(Debug, Serialize, TS)]
pub struct LedgerOverview {
    /// Path of the ledger file.
    pub path: String,
    /// The creditor's name, once the profile is filled in.
    pub creditor_name: Option<String>,
    /// Number of debtors.
    #[ts(type = "number")]
    pub debtors: i64,
    /// Number of invoices.
    #[ts(type = "number")]
    pub invoices: i64,
    /// Nothing recorded yet: offer the demo data.
    pub is_empty: bool,
    /// Today, as the shell's clock says ("24/11/2026").
    pub today_display: String,
}

impl LedgerOverview {
    pub fn new(path: String, creditor_name: Option<String>, counts: LedgerCounts, today_display: String) -> Self {
        LedgerOverview {
            path,
            creditor_name,
            debtors: counts.debtors,
            invoices: counts.invoices,
            is_empty: counts.is_empty(),
            today_display,
        }
    }
}

/// Business or consumer.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DebtorKindDto {
    /// B2B.
    Professionnel,
    /// B2C.
    Consommateur,
}

/// One line of the debtor list.
#[derive(Debug, Serialize, TS)]
pub struct DebtorRow {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub kind: DebtorKindDto,
    /// "Professionnel" / "Particulier".
    pub kind_label: String,
    pub siren: Option<String>,
    pub city: String,
    /// "1234.56".
    pub outstanding: String,
    /// "1 234,56 €".
    pub outstanding_display: String,
    pub overdue: String,
    pub overdue_display: String,
    #[ts(type = "number")]
    pub open_invoices: i64,
    #[ts(type = "number")]
    pub max_days_overdue: i64,
}

impl From<&DebtorBalance> for DebtorRow {
    fn from(b: &DebtorBalance) -> Self {
        let (kind, kind_label) = match b.debtor.kind {
            DebtorKind::Professionnel => (DebtorKindDto::Professionnel, "Professionnel"),
            DebtorKind::Consommateur => (DebtorKindDto::Consommateur, "Particulier"),
        };
        DebtorRow {
            id: b.debtor.id,
            name: b.debtor.name.clone(),
            kind,
            kind_label: kind_label.to_owned(),
            siren: b.debtor.siren.clone(),
            city: b.debtor.address.city.clone(),
            outstanding: to_plain(b.outstanding),
            outstanding_display: format_eur(b.outstanding),
            overdue: to_plain(b.overdue),
            overdue_display: format_eur(b.overdue),
            open_invoices: b.open_invoices,
            max_days_overdue: b.max_days_overdue,
        }
    }
}

/// What the demo data added.
#[derive(Debug, Serialize, TS)]
pub struct DemoResult {
    #[ts(type = "number")]
    pub debtors: i64,
    #[ts(type = "number")]
    pub invoices: i64,
    #[ts(type = "number")]
    pub payments: i64,
    #[ts(type = "number")]
    pub credit_notes: i64,
}

/// One period of interest or penalties, as printed.
#[derive(Debug, Serialize, TS)]
pub struct PeriodView {
    /// "01/04/2025".
    pub from: String,
    /// "30/04/2025".
    pub to: String,
    #[ts(type = "number")]
    pub days: i64,
    /// "13,15 %".
    pub rate: String,
    /// Where the rate comes from (texts).
    pub rate_source: String,
    /// "10 000,00 €".
    pub base: String,
    /// "108,08 €".
    pub amount: String,
}

/// One invoice of a statement, as printed.
#[derive(Debug, Serialize, TS)]
pub struct StatementInvoiceView {
    pub number: String,
    pub issue_date: String,
    pub due_date: String,
    pub amount: String,
    pub periods: Vec<PeriodView>,
    pub principal_due: String,
    pub interest_due: String,
    pub indemnity: String,
    pub total_due: String,
    pub notes: Vec<String>,
}

/// A debtor's statement of account (décompte), every figure ready to show.
#[derive(Debug, Serialize, TS)]
pub struct StatementView {
    pub debtor_name: String,
    /// "24/11/2026".
    pub at: String,
    /// The law applied, with its articles.
    pub legal_basis: String,
    /// Day basis and imputation, in words.
    pub calculation: String,
    pub invoices: Vec<StatementInvoiceView>,
    pub principal_due: String,
    pub interest_due: String,
    pub indemnities: String,
    pub costs: String,
    pub total_due: String,
    pub warnings: Vec<String>,
}

impl From<&recouvre::law::statement::Statement> for StatementView {
    fn from(s: &recouvre::law::statement::Statement) -> Self {
        use recouvre::dates::format_date_fr as date;
        use recouvre::money::format_number_fr;
        StatementView {
            debtor_name: s.debtor_name.clone(),
            at: date(s.at),
            legal_basis: s.legal_basis.clone(),
            calculation: format!("{} ; {}", s.options.day_basis.label(), s.options.imputation.label()),
            invoices: s
                .invoices
                .iter()
                .map(|i| StatementInvoiceView {
                    number: i.number.clone(),
                    issue_date: date(i.issue_date),
                    due_date: date(i.due_date),
                    amount: format_eur(i.amount),
                    periods: i
                        .computation
                        .segments
                        .iter()
                        .map(|p| PeriodView {
                            from: date(p.from),
                            to: date(p.to),
                            days: p.days,
                            rate: format!("{}\u{a0}%", format_number_fr(p.rate)),
                            rate_source: p.rate_source.clone(),
                            base: format_eur(p.base),
                            amount: format_eur(p.amount),
                        })
                        .collect(),
                    principal_due: format_eur(i.principal_due),
                    interest_due: format_eur(i.interest_due),
                    indemnity: format_eur(i.indemnity),
                    total_due: format_eur(i.total_due),
                    notes: i.notes.clone(),
                })
                .collect(),
            principal_due: format_eur(s.principal_due),
            interest_due: format_eur(s.interest_due),
            indemnities: format_eur(s.indemnities),
            costs: format_eur(s.costs_total),
            total_due: format_eur(s.total_due),
            warnings: s.warnings.clone(),
        }
    }
}

/// One action of the agenda, ready to show.
#[derive(Debug, Serialize, TS)]
pub struct ActionView {
    /// Stable id, to send back with the user's decision (`12-3`).
    pub id: String,
    #[ts(type = "number")]
    pub debtor_id: i64,
    pub debtor_name: String,
    /// "Mise en demeure", "Relance amiable"…
    pub title: String,
    /// "e-mail + courrier".
    pub channels: String,
    pub invoices: Vec<String>,
    /// "1 234,56 €".
    pub amount: String,
    #[ts(type = "number")]
    pub days_late: i64,
    /// Why, in words (which step, which invoices, what the guard allowed).
    pub reason: String,
    /// 0–100.
    pub priority: u32,
    /// How the priority is made up, in words.
    pub priority_detail: String,
    /// When set, "done" is not offered: what the user must decide instead.
    pub done_needs: Option<String>,
    /// For a missed instalment: which one, to grant a delay or declare the whole balance due.
    pub missed_instalment: Option<MissedInstalmentView>,
}

/// The instalment of a payment plan the debtor missed.
#[derive(Debug, Serialize, TS)]
pub struct MissedInstalmentView {
    #[ts(type = "number")]
    pub plan_id: i64,
    /// 1 for the first instalment.
    #[ts(type = "number")]
    pub instalment: usize,
    /// "05/01/2027".
    pub due_on: String,
    /// "2026-01-05": the earliest day a delay may not reach back to.
    pub due_on_iso: String,
    /// "471,42 €".
    pub missing: String,
}

impl From<&recouvre::dunning::agenda::Action> for ActionView {
    fn from(a: &recouvre::dunning::agenda::Action) -> Self {
        ActionView {
            id: a.id.clone(),
            debtor_id: a.debtor_id,
            debtor_name: a.debtor_name.clone(),
            title: a.title(),
            channels: a.channels.iter().map(|c| c.label()).collect::<Vec<_>>().join(" + "),
            invoices: a.invoices.clone(),
            amount: format_eur(a.amount),
            days_late: a.days_late,
            reason: a.reason.clone(),
            priority: a.priority,
            priority_detail: a.priority_detail.clone(),
            done_needs: a.done_needs().map(str::to_owned),
            missed_instalment: match a.kind {
                ActionKind::InstalmentMissed { plan_id, instalment, due_on, missing } => Some(MissedInstalmentView {
                    plan_id,
                    instalment,
                    due_on: recouvre::dates::format_date_fr(due_on),
                    due_on_iso: due_on.to_string(),
                    missing: format_eur(missing),
                }),
                _ => None,
            },
        }
    }
}

/// An action that is due but waits, and why.
#[derive(Debug, Serialize, TS)]
pub struct WaitingView {
    pub action: ActionView,
    pub why: Vec<String>,
}

/// The agenda of the day. A ledger may hold tens of thousands of actions: the window receives the
/// first ones by priority and the counts.
#[derive(Debug, Serialize, TS)]
pub struct AgendaView {
    /// "24/11/2026 à 09:30".
    pub at: String,
    pub actions: Vec<ActionView>,
    pub waiting: Vec<WaitingView>,
    #[ts(type = "number")]
    pub total_actions: i64,
    #[ts(type = "number")]
    pub total_waiting: i64,
}

/// At most this many actions (and as many waiting ones) cross to the window.
pub const AGENDA_SHOWN: usize = 300;

impl From<&recouvre::dunning::agenda::Agenda> for AgendaView {
    fn from(a: &recouvre::dunning::agenda::Agenda) -> Self {
        let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
        AgendaView {
            at: format!("{} à {}", recouvre::dates::format_date_fr(a.at.date()), a.at.format("%H:%M")),
            actions: a.actions.iter().take(AGENDA_SHOWN).map(ActionView::from).collect(),
            waiting: a
                .waiting
                .iter()
                .take(AGENDA_SHOWN)
                .map(|w| WaitingView { action: ActionView::from(&w.action), why: w.why.clone() })
                .collect(),
            total_actions: n(a.actions.len()),
            total_waiting: n(a.waiting.len()),
        }
    }
}

/// What the user decided for an action.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Decision {
    /// Done, with an optional note kept with the interaction.
    Done { note: String },
    /// Not done, and why.
    Skip { reason: String },
    /// Put off until a day ("2026-12-01"), and why.
    Postpone { until: String, reason: String },
}

/// What the user decided about a missed instalment.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PlanChoice {
    /// Grant a delay: instalment `instalment` (1 for the first) falls due on `until` ("2027-01-20").
    Delay {
        #[ts(type = "number")]
        instalment: usize,
        until: String,
    },
    /// Declare the whole balance due (déchéance du terme): dunning resumes.
    Default,
}

/// What was recorded, in words.
#[derive(Debug, Serialize, TS)]
pub struct ActRecorded {
    pub message: String,
}

/// The TypeScript declarations of every type above, as `ui/src/bindings.ts` must contain them.
#[cfg(test)]
fn typescript_bindings() -> String {
    use crate::history;
    let cfg = ts_rs::Config::new().with_large_int("number");
    let declarations = [
        CommandError::decl(&cfg),
        LedgerOverview::decl(&cfg),
        DebtorKindDto::decl(&cfg),
        DebtorRow::decl(&cfg),
        DemoResult::decl(&cfg),
        PeriodView::decl(&cfg),
        StatementInvoiceView::decl(&cfg),
        StatementView::decl(&cfg),
        ActionView::decl(&cfg),
        MissedInstalmentView::decl(&cfg),
        WaitingView::decl(&cfg),
        AgendaView::decl(&cfg),
        Decision::decl(&cfg),
        PlanChoice::decl(&cfg),
        history::HistoryLine::decl(&cfg),
        history::PlanView::decl(&cfg),
        history::DisputeView::decl(&cfg),
        history::Choice::decl(&cfg),
        history::EntryChoices::decl(&cfg),
        history::DebtorHistoryView::decl(&cfg),
        history::Entry::decl(&cfg),
        ActRecorded::decl(&cfg),
        crate::documents::DocumentChoice::decl(&cfg),
        crate::documents::DocumentRow::decl(&cfg),
        crate::documents::DebtorDocumentsView::decl(&cfg),
        crate::documents::FileWritten::decl(&cfg),
        crate::documents::PrintProgress::decl(&cfg),
        crate::documents::PrintDayResult::decl(&cfg),
        crate::imports::ImportFile::decl(&cfg),
        crate::imports::ColumnChoice::decl(&cfg),
        crate::imports::ImportInspection::decl(&cfg),
        crate::imports::ImportLine::decl(&cfg),
        crate::imports::ImportResultView::decl(&cfg),
        crate::imports::ImportRequest::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from src-tauri/src/dto.rs by `cargo test -p recouvre-desktop` (UPDATE_BINDINGS=1 to\n\
         // rewrite). Do not edit: a test fails when this file and the Rust types drift apart.\n\n",
    );
    for declaration in declarations {
        out.push_str("export ");
        out.push_str(&declaration);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    /// The UI's TypeScript types are generated from the IPC types; this fails when they drift.
    #[test]
    fn typescript_bindings_are_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/bindings.ts");
        let expected = super::typescript_bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(path, &expected).expect("write bindings");
        }
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            actual == expected,
            "ui/src/bindings.ts is out of date: run `UPDATE_BINDINGS=1 cargo test -p recouvre-desktop`"
        );
    }
}
