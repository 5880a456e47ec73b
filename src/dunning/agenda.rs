//! The agenda of a day: for each debtor, the one next thing to do (a scenario step covering all
//! their overdue invoices, a claim to declare, a missed instalment or a broken promise to deal with),
//! or why nothing is proposed yet; ordered by an explainable priority.
//!
//! A pure function of the debtors' dunning facts, the scenarios, the guard settings and the moment.

use chrono::{Days, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::guard::{self, GuardSettings};
use super::plan::{Instalment, InstalmentStatus, track};
use super::scenario::{Channel, Scenario, Template, Tone};
use crate::dates::format_date_fr;
use crate::money::format_eur;
use crate::parties::DebtorKind;

/// Days before its due date an invoice can get a preventive reminder: records of that period belong
/// to the invoice's cycle.
pub const PREVENTIVE_WINDOW_DAYS: u64 = 35;

/// An open invoice as dunning sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenItem {
    /// Number.
    pub number: String,
    /// Due date.
    pub due_date: NaiveDate,
    /// Outstanding at the date.
    pub outstanding: Decimal,
    /// Under an open dispute: not dunned.
    pub disputed: bool,
}

/// What was done with a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome", content = "until")]
pub enum Outcome {
    /// Done (the debtor was contacted, or the decision taken).
    Done,
    /// Skipped on purpose.
    Skipped,
    /// Put off until a day.
    Postponed(NaiveDate),
}

/// A step acted upon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    /// Index in the scenario.
    pub step_index: usize,
    /// Outcome.
    pub outcome: Outcome,
    /// Day.
    pub on: NaiveDate,
    /// Invoices it covered.
    pub invoices: Vec<String>,
}

/// A promise to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promise {
    /// Ledger id.
    pub id: i64,
    /// Day made.
    pub made_on: NaiveDate,
    /// Day the money is promised for.
    pub due_on: NaiveDate,
    /// Amount promised.
    pub amount: Decimal,
    /// The broken-promise alert was acknowledged.
    pub acknowledged: bool,
}

/// Where a promise to pay stands at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseStatus {
    /// Its day has not passed and the money has not all arrived yet.
    Pending,
    /// Payments received from the day it was made to its day cover it.
    Kept,
    /// Its day has passed without the money: broken.
    Broken,
}

impl PromiseStatus {
    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            PromiseStatus::Pending => "en cours",
            PromiseStatus::Kept => "tenue",
            PromiseStatus::Broken => "non tenue",
        }
    }
}

impl Promise {
    /// Where it stands on `today`, given the debtor's payments (day, amount).
    pub fn status(&self, payments: &[(NaiveDate, Decimal)], today: NaiveDate) -> PromiseStatus {
        if paid_between(payments, self.made_on, self.due_on.min(today)) >= self.amount {
            PromiseStatus::Kept
        } else if today > self.due_on {
            PromiseStatus::Broken
        } else {
            PromiseStatus::Pending
        }
    }
}

/// A payment plan as dunning sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFacts {
    /// Ledger id.
    pub id: i64,
    /// Instalments.
    pub instalments: Vec<Instalment>,
    /// Paid since the plan began.
    pub paid: Decimal,
    /// The whole balance was declared due (déchéance du terme): dunning resumes.
    pub defaulted: bool,
}

/// A collective procedure as dunning sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureFacts {
    /// Opening judgment.
    pub judgment_date: NaiveDate,
    /// Last day to declare the claim (when the BODACC publication is known).
    pub declaration_deadline: Option<NaiveDate>,
    /// The claim was declared.
    pub declared: bool,
}

/// What the risk score is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RiskFacts {
    /// Invoices settled, and how many of them late.
    pub settled: u32,
    /// Of which settled after their due date.
    pub settled_late: u32,
    /// Sum of days late over the late ones.
    pub days_late_total: i64,
    /// Promises broken.
    pub broken_promises: u32,
    /// Disputes still open.
    pub open_disputes: u32,
}

/// A debtor's dunning facts at the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtorCase {
    /// Debtor id.
    pub debtor_id: i64,
    /// Name.
    pub name: String,
    /// Professional or consumer.
    pub kind: DebtorKind,
    /// Key of the scenario that applies.
    pub scenario: String,
    /// Open invoices.
    pub items: Vec<OpenItem>,
    /// Steps acted upon.
    pub records: Vec<StepRecord>,
    /// Days of outbound contacts (interactions).
    pub contacts: Vec<NaiveDate>,
    /// Promises.
    pub promises: Vec<Promise>,
    /// Payments received (day, amount).
    pub payments: Vec<(NaiveDate, Decimal)>,
    /// Current payment plan.
    pub plan: Option<PlanFacts>,
    /// Collective procedure.
    pub procedure: Option<ProcedureFacts>,
    /// Payment history.
    pub risk: RiskFacts,
}

/// Below this many debtors the agenda is computed on one thread: starting threads would cost more.
const PARALLEL_FROM: usize = 2_000;

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ActionKind {
    /// A scenario step.
    Step {
        /// Index in the scenario.
        index: usize,
        /// Document.
        template: Template,
        /// Tone.
        tone: Tone,
        /// Days given to pay (formal notice).
        deadline_days: Option<u32>,
    },
    /// Declare the claim to the mandataire judiciaire.
    DeclareClaim {
        /// Last day.
        deadline: Option<NaiveDate>,
    },
    /// An instalment of a plan was missed: grant a delay or declare the whole balance due.
    InstalmentMissed {
        /// The plan.
        plan_id: i64,
        /// Number of the oldest missed instalment in the plan (1 for the first).
        instalment: usize,
        /// Due date of the oldest missed instalment.
        due_on: NaiveDate,
        /// What is missing.
        missing: Decimal,
    },
    /// A promise was not kept.
    PromiseBroken {
        /// The promise.
        promise_id: i64,
        /// Day promised.
        due_on: NaiveDate,
        /// Amount promised.
        amount: Decimal,
    },
}

/// One thing to do for a debtor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    /// Stable id: `12-3` (debtor 12, step 3), `12-declaration`, `12-plan-4`, `12-promise-7`.
    pub id: String,
    /// Debtor.
    pub debtor_id: i64,
    /// Name.
    pub debtor_name: String,
    /// What.
    pub kind: ActionKind,
    /// Channels to use now.
    pub channels: Vec<Channel>,
    /// Invoices it covers.
    pub invoices: Vec<String>,
    /// What they still owe.
    pub amount: Decimal,
    /// Days late of the oldest.
    pub days_late: i64,
    /// Why, in words.
    pub reason: String,
    /// Priority, 0–100.
    pub priority: u32,
    /// How the priority is made up.
    pub priority_detail: String,
}

/// An action that would be due but waits, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waiting {
    /// The action.
    pub action: Action,
    /// Why it waits.
    pub why: Vec<String>,
}

/// The agenda of a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agenda {
    /// When.
    pub at: NaiveDateTime,
    /// To do now, highest priority first.
    pub actions: Vec<Action>,
    /// Due but waiting (guard, promise, plan, postponement, disputes, a formal notice's deadline).
    pub waiting: Vec<Waiting>,
}

impl Action {
    /// What to do, in French words, for a list of actions ("Mise en demeure", "Déclarer la créance"…).
    pub fn title(&self) -> String {
        let mut title = match &self.kind {
            ActionKind::Step { template, .. } => template.label().to_owned(),
            ActionKind::DeclareClaim { .. } => "déclarer la créance au mandataire judiciaire".to_owned(),
            ActionKind::InstalmentMissed { .. } => "échéance du plan impayée".to_owned(),
            ActionKind::PromiseBroken { .. } => "promesse de paiement non tenue".to_owned(),
        };
        if let Some(first) = title.get(..1) {
            title.replace_range(..1, &first.to_uppercase());
        }
        title
    }

    /// Why it cannot simply be marked done, if so: a missed instalment calls for a decision on the
    /// plan itself (a delay, or the whole balance declared due), which marking done would not record.
    pub fn done_needs(&self) -> Option<&'static str> {
        match self.kind {
            ActionKind::InstalmentMissed { .. } => {
                Some("accorder un délai sur l'échéancier ou prononcer la déchéance du terme")
            }
            _ => None,
        }
    }
}

/// Risk score 0–100 and its explanation: slow payers, late payers, broken promises, disputes.
pub fn risk_score(r: &RiskFacts) -> (u32, String) {
    let average_delay = if r.settled_late > 0 { r.days_late_total / i64::from(r.settled_late) } else { 0 };
    let delay_points = u32::try_from((average_delay / 2).clamp(0, 40)).unwrap_or(40);
    let late_share_points = (r.settled_late * 30).checked_div(r.settled).unwrap_or(0);
    let promise_points = (r.broken_promises * 10).min(20);
    let dispute_points = (r.open_disputes * 5).min(10);
    let score = delay_points + late_share_points + promise_points + dispute_points;
    let detail = format!(
        "retard moyen {average_delay} j ({delay_points} pts), {}/{} factures payées en retard ({late_share_points} pts), {} promesse(s) non tenue(s) ({promise_points} pts), {} litige(s) ouvert(s) ({dispute_points} pts)",
        r.settled_late, r.settled, r.broken_promises, r.open_disputes
    );
    (score, detail)
}

/// Priority 0–100: 1 point per 500 € overdue (max 40), 1 point per 6 days late (max 30), 30 % of
/// the risk score (max 30).
pub fn priority(amount: Decimal, days_late: i64, risk: &RiskFacts) -> (u32, String) {
    let amount_points = (amount / Decimal::from(500)).floor().to_u32().unwrap_or(40).min(40);
    let days_points = u32::try_from((days_late / 6).clamp(0, 30)).unwrap_or(30);
    let (score, risk_detail) = risk_score(risk);
    let risk_points = score * 30 / 100;
    (
        amount_points + days_points + risk_points,
        format!(
            "montant {amount_points} pts + retard {days_points} pts + risque {risk_points} pts (score {score} : {risk_detail})"
        ),
    )
}

fn paid_between(payments: &[(NaiveDate, Decimal)], from: NaiveDate, through: NaiveDate) -> Decimal {
    payments.iter().filter(|(d, _)| *d >= from && *d <= through).map(|(_, a)| *a).sum()
}

/// Builds the agenda at `now`.
pub fn agenda(cases: &[DebtorCase], scenarios: &[Scenario], settings: GuardSettings, now: NaiveDateTime) -> Agenda {
    let plan_chunk = |chunk: &[DebtorCase]| {
        let (mut actions, mut waiting) = (Vec::with_capacity(chunk.len()), Vec::new());
        for case in chunk {
            plan_for(case, scenarios, settings, now, &mut actions, &mut waiting);
        }
        (actions, waiting)
    };
    // Each debtor's plan depends on that debtor's facts only: a large ledger is split across the
    // machine's cores (the result is the same, sorted below).
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(8);
    let (mut actions, mut waiting) = if threads > 1 && cases.len() >= PARALLEL_FROM {
        let parts: Vec<(Vec<Action>, Vec<Waiting>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = cases
                .chunks(cases.len().div_ceil(threads))
                .map(|chunk| scope.spawn(move || plan_chunk(chunk)))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
        });
        parts.into_iter().fold((Vec::new(), Vec::new()), |(mut a, mut w), (pa, pw)| {
            a.extend(pa);
            w.extend(pw);
            (a, w)
        })
    } else {
        plan_chunk(cases)
    };
    actions.sort_by(|a, b| b.priority.cmp(&a.priority).then(b.amount.cmp(&a.amount)).then(a.id.cmp(&b.id)));
    waiting.sort_by(|a, b| b.action.priority.cmp(&a.action.priority).then(a.action.id.cmp(&b.action.id)));
    Agenda { at: now, actions, waiting }
}

/// The one thing to do for a debtor (or why it waits).
fn plan_for(
    case: &DebtorCase,
    scenarios: &[Scenario],
    settings: GuardSettings,
    now: NaiveDateTime,
    actions: &mut Vec<Action>,
    waiting: &mut Vec<Waiting>,
) {
    let today = now.date();
    let overdue: Vec<&OpenItem> =
        case.items.iter().filter(|i| i.due_date < today && i.outstanding > Decimal::ZERO).collect();
    let amount: Decimal = overdue.iter().map(|i| i.outstanding).sum();
    let days_late = overdue.iter().map(|i| (today - i.due_date).num_days()).max().unwrap_or(0);
    let (priority, priority_detail) = priority(amount, days_late, &case.risk);
    let base = |id: String, kind: ActionKind, channels: Vec<Channel>, invoices: Vec<String>, reason: String| Action {
        id,
        debtor_id: case.debtor_id,
        debtor_name: case.name.clone(),
        kind,
        channels,
        invoices,
        amount,
        days_late,
        reason,
        priority,
        priority_detail: priority_detail.clone(),
    };

    // A collective procedure ends dunning at once; what is left is declaring the claim.
    if let Some(p) = case.procedure.as_ref().filter(|p| p.judgment_date <= today) {
        if !p.declared {
            let reason = match p.declaration_deadline {
                Some(d) => format!(
                    "procédure collective ouverte le {} : déclarer la créance au mandataire avant le {}",
                    format_date_fr(p.judgment_date),
                    format_date_fr(d)
                ),
                None => format!(
                    "procédure collective ouverte le {} : déclarer la créance dans les 2 mois de la publication au BODACC",
                    format_date_fr(p.judgment_date)
                ),
            };
            let mut action = base(
                format!("{}-declaration", case.debtor_id),
                ActionKind::DeclareClaim { deadline: p.declaration_deadline },
                vec![Channel::RegisteredLetter],
                case.items.iter().map(|i| i.number.clone()).collect(),
                reason,
            );
            // The deadline is what matters: the closer, the higher.
            action.priority = match p.declaration_deadline.map(|d| (d - today).num_days()) {
                Some(days) if days <= 15 => 100,
                Some(days) if days <= 30 => 90,
                _ => 80,
            };
            actions.push(action);
        }
        return;
    }

    // Broken promises raise an alert until acknowledged.
    for promise in &case.promises {
        if promise.status(&case.payments, today) == PromiseStatus::Broken && !promise.acknowledged {
            actions.push(base(
                format!("{}-promise-{}", case.debtor_id, promise.id),
                ActionKind::PromiseBroken { promise_id: promise.id, due_on: promise.due_on, amount: promise.amount },
                vec![],
                overdue.iter().map(|i| i.number.clone()).collect(),
                format!(
                    "promesse de {} pour le {} non tenue : la relance reprend aussitôt à l'étape suivante",
                    format_eur(promise.amount),
                    format_date_fr(promise.due_on)
                ),
            ));
        }
    }

    // A plan in force replaces the scenario: a missed instalment calls for the creditor's choice,
    // otherwise dunning waits while the plan runs.
    let mut plan_pause = None;
    if let Some(plan) = case.plan.as_ref().filter(|p| !p.defaulted) {
        let status = track(&plan.instalments, plan.paid, today);
        if let Some((number, (instalment, (_, missing)))) =
            plan.instalments.iter().zip(&status).enumerate().find(|(_, (_, (s, _)))| *s == InstalmentStatus::Missed)
        {
            actions.push(base(
                format!("{}-plan-{}", case.debtor_id, plan.id),
                ActionKind::InstalmentMissed {
                    plan_id: plan.id,
                    instalment: number + 1,
                    due_on: instalment.due_on,
                    missing: *missing,
                },
                vec![],
                overdue.iter().map(|i| i.number.clone()).collect(),
                format!(
                    "échéance du {} manquée ({} non payés) : accorder un délai ou prononcer la déchéance du terme",
                    format_date_fr(instalment.due_on),
                    format_eur(*missing)
                ),
            ));
            return;
        }
        if status.iter().any(|(s, _)| *s != InstalmentStatus::Paid) {
            let next_due = plan
                .instalments
                .iter()
                .zip(&status)
                .find(|(_, (s, _))| *s == InstalmentStatus::Upcoming)
                .map(|(i, _)| i.due_on);
            plan_pause = Some(match next_due {
                Some(d) => format!("échéancier en cours, prochaine échéance le {}", format_date_fr(d)),
                None => "échéancier en cours".to_owned(),
            });
        }
    }

    let Some(scenario) = scenarios.iter().find(|s| s.key == case.scenario) else { return };
    let open: Vec<&OpenItem> = case.items.iter().filter(|i| i.outstanding > Decimal::ZERO).collect();
    let disputed: Vec<&str> = open.iter().filter(|i| i.disputed).map(|i| i.number.as_str()).collect();
    let dunnable: Vec<&OpenItem> = open.iter().copied().filter(|i| !i.disputed).collect();
    // When every open invoice is disputed, the step that would come is shown as waiting.
    let all_disputed = dunnable.is_empty();
    let pool = if all_disputed { open } else { dunnable };
    let Some(reference) = pool.iter().map(|i| i.due_date).min() else { return };
    // The cycle is read on every open invoice; the letter covers the overdue ones (or, before any
    // is due, those coming due).

    let covered: Vec<&OpenItem> = match pool.iter().copied().filter(|i| i.due_date < today).collect::<Vec<_>>() {
        late if !late.is_empty() => late,
        _ => pool.clone(),
    };
    let numbers: Vec<String> = covered.iter().map(|i| i.number.clone()).collect();
    let covered_amount: Decimal = covered.iter().map(|i| i.outstanding).sum();
    // The cycle: what was done on the invoices still open. A record on invoices since paid belongs
    // to a finished cycle.
    let cycle: Vec<&StepRecord> =
        case.records.iter().filter(|r| r.invoices.iter().any(|n| pool.iter().any(|i| i.number == *n))).collect();
    let last =
        cycle.iter().filter(|r| !matches!(r.outcome, Outcome::Postponed(_))).max_by_key(|r| (r.on, r.step_index));
    let last_done = cycle.iter().filter(|r| !matches!(r.outcome, Outcome::Postponed(_))).map(|r| r.step_index).max();
    // A promise broken since the last step moves the scenario on at once: the next step is proposed
    // without waiting for its day (never skipping one: a formal notice is not to be jumped over).
    let since = last
        .map_or_else(|| reference.checked_sub_days(Days::new(PREVENTIVE_WINDOW_DAYS)).unwrap_or(reference), |r| r.on);
    let accelerated =
        case.promises.iter().any(|p| p.made_on >= since && p.status(&case.payments, today) == PromiseStatus::Broken);
    let days = (today - reference).num_days();
    // The first step not done yet whose day has come (a preventive step is moot once the invoice is due).
    let Some(index) = scenario
        .steps
        .iter()
        .enumerate()
        .skip(last_done.map_or(0, |i| i + 1))
        .find(|(_, s)| s.offset_days >= 0 || days < 0)
        .filter(|(_, s)| accelerated || i64::from(s.offset_days) <= days)
        .map(|(i, _)| i)
    else {
        return;
    };
    let step = &scenario.steps[index];
    let mut reason = format!(
        "{} : J{:+} ({} étape {}/{}) — factures {}",
        step.template.label(),
        days,
        scenario.name,
        index + 1,
        scenario.steps.len(),
        numbers.join(", ")
    );
    if !all_disputed && !disputed.is_empty() {
        reason.push_str(&format!(" ; en litige, exclues : {}", disputed.join(", ")));
    }
    let mut action = base(
        format!("{}-{}", case.debtor_id, index),
        ActionKind::Step { index, template: step.template, tone: step.tone, deadline_days: step.deadline_days },
        step.channels.clone(),
        numbers,
        reason,
    );
    action.amount = covered_amount;
    let mut why = Vec::new();
    if all_disputed {
        why.push(format!("litige en cours sur {} : la relance est suspendue", disputed.join(", ")));
    }
    // A formal notice gives the debtor its deadline before anything further is proposed.
    if let Some((done_on, deadline)) = cycle
        .iter()
        .filter(|r| r.outcome == Outcome::Done)
        .filter_map(|r| scenario.steps.get(r.step_index).and_then(|s| s.deadline_days).map(|d| (r.on, d)))
        .max()
    {
        let expires = done_on.checked_add_days(Days::new(deadline.into())).unwrap_or(done_on);
        if today <= expires {
            why.push(format!(
                "délai de la mise en demeure du {} : jusqu'au {}",
                format_date_fr(done_on),
                format_date_fr(expires)
            ));
        }
    }
    if let Some(until) = cycle
        .iter()
        .filter(|r| r.step_index == index)
        .filter_map(|r| match r.outcome {
            Outcome::Postponed(until) => Some(until),
            Outcome::Done | Outcome::Skipped => None,
        })
        .max()
        .filter(|u| *u > today)
    {
        why.push(format!("reportée au {}", format_date_fr(until)));
    }
    if let Some(p) =
        case.promises.iter().find(|p| p.made_on <= today && p.status(&case.payments, today) == PromiseStatus::Pending)
    {
        why.push(format!("promesse de paiement de {} pour le {}", format_eur(p.amount), format_date_fr(p.due_on)));
    }
    if let Some(reason) = plan_pause {
        why.push(reason);
    }
    if !why.is_empty() {
        waiting.push(Waiting { action, why });
        return;
    }
    let verdict = guard::check(&step.channels, &case.contacts, now, settings);
    if verdict.allowed.is_empty() {
        waiting.push(Waiting { action, why: verdict.reasons });
        return;
    }
    if !verdict.reasons.is_empty() {
        action.reason = format!("{} ({})", action.reason, verdict.reasons.join(" ; "));
    }
    action.channels = verdict.allowed;
    actions.push(action);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dunning::scenario::defaults;

    fn day(s: &str) -> NaiveDate {
        crate::dates::parse_date(s).unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        day(s).and_hms_opt(10, 0, 0).unwrap()
    }

    fn item(number: &str, due: &str, amount: i64) -> OpenItem {
        OpenItem { number: number.into(), due_date: day(due), outstanding: Decimal::from(amount), disputed: false }
    }

    fn record(index: usize, outcome: Outcome, on: &str, invoices: &[&str]) -> StepRecord {
        StepRecord {
            step_index: index,
            outcome,
            on: day(on),
            invoices: invoices.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn case(items: Vec<OpenItem>) -> DebtorCase {
        DebtorCase {
            debtor_id: 7,
            name: "Client".into(),
            kind: DebtorKind::Professionnel,
            scenario: "standard".into(),
            items,
            records: vec![],
            contacts: vec![],
            promises: vec![],
            payments: vec![],
            plan: None,
            procedure: None,
            risk: RiskFacts::default(),
        }
    }

    fn run(c: &DebtorCase, when: &str) -> Agenda {
        agenda(std::slice::from_ref(c), &defaults(), GuardSettings::default(), at(when))
    }

    /// (what, case, day) → the ids proposed and the ids waiting (with a fragment of why).
    #[test]
    fn agenda_table() {
        let late = || case(vec![item("F1", "2026-11-01", 1200)]);
        // (what, case, day, ids proposed, ids waiting with a fragment of why)
        type Case = (&'static str, DebtorCase, &'static str, Vec<&'static str>, Vec<(&'static str, &'static str)>);
        let mut cases: Vec<Case> = vec![
            // 23 days late, nothing done: the preventive step is moot, the friendly reminder comes.
            ("first reminder", late(), "2026-11-24", vec!["7-1"], vec![]),
            // Three days before the due date: the preventive e-mail (J−5 has come).
            ("preventive", case(vec![item("F1", "2026-11-27", 100)]), "2026-11-24", vec!["7-0"], vec![]),
            // Ten days before: nothing yet.
            ("too early", case(vec![item("F1", "2026-12-04", 100)]), "2026-11-24", vec![], vec![]),
            // Nothing open: nothing to do.
            ("nothing open", case(vec![]), "2026-11-24", vec![], vec![]),
        ];
        let mut c = late();
        c.records = vec![record(1, Outcome::Done, "2026-11-04", &["F1"])];
        c.contacts = vec![day("2026-11-04")];
        cases.push(("next step", c.clone(), "2026-11-24", vec!["7-2"], vec![]));
        c.contacts.push(day("2026-11-22"));
        cases.push(("guard spacing", c.clone(), "2026-11-24", vec![], vec![("7-2", "attendre le 27/11/2026")]));
        let mut c = late();
        c.records = vec![record(1, Outcome::Postponed(day("2026-11-30")), "2026-11-20", &["F1"])];
        cases.push(("postponed", c, "2026-11-24", vec![], vec![("7-1", "reportée au 30/11/2026")]));
        let mut c = late();
        c.promises = vec![Promise {
            id: 3,
            made_on: day("2026-11-20"),
            due_on: day("2026-11-28"),
            amount: Decimal::from(1200),
            acknowledged: false,
        }];
        cases.push(("promise pending", c.clone(), "2026-11-24", vec![], vec![("7-1", "promesse")]));
        // Not paid by 28 November: alert, and the scenario resumes one step further (step 2, not 1).
        cases.push(("promise broken", c.clone(), "2026-11-29", vec!["7-1", "7-promise-3"], vec![]));
        c.payments = vec![(day("2026-11-27"), Decimal::from(1200))];
        cases.push(("promise kept", c, "2026-11-29", vec!["7-1"], vec![]));
        let mut c = late();
        c.items[0].disputed = true;
        cases.push(("all disputed", c, "2026-11-24", vec![], vec![("7-1", "litige")]));
        let mut c = case(vec![item("F1", "2026-11-01", 1200), item("F2", "2026-11-10", 300)]);
        c.items[0].disputed = true;
        cases.push(("one disputed", c, "2026-11-24", vec!["7-1"], vec![]));
        let mut c = late();
        c.procedure = Some(ProcedureFacts {
            judgment_date: day("2026-11-15"),
            declaration_deadline: Some(day("2027-01-20")),
            declared: false,
        });
        cases.push(("procedure", c.clone(), "2026-11-24", vec!["7-declaration"], vec![]));
        c.procedure = Some(ProcedureFacts {
            judgment_date: day("2026-11-15"),
            declaration_deadline: Some(day("2027-01-20")),
            declared: true,
        });
        cases.push(("procedure declared", c, "2026-11-24", vec![], vec![]));
        let plan = |paid: i64| PlanFacts {
            id: 4,
            instalments: vec![
                Instalment { due_on: day("2026-11-15"), amount: Decimal::from(600) },
                Instalment { due_on: day("2026-12-15"), amount: Decimal::from(600) },
            ],
            paid: Decimal::from(paid),
            defaulted: false,
        };
        let mut c = late();
        c.plan = Some(plan(600));
        cases.push(("plan on track", c.clone(), "2026-11-24", vec![], vec![("7-1", "échéancier")]));
        c.plan = Some(plan(100));
        cases.push(("plan missed", c.clone(), "2026-11-24", vec!["7-plan-4"], vec![]));
        c.plan = Some(PlanFacts { defaulted: true, ..plan(100) });
        cases.push(("plan defaulted", c, "2026-11-24", vec!["7-1"], vec![]));
        // A record on an invoice since paid belongs to a finished cycle: the new invoice starts over.
        let mut c = case(vec![item("F2", "2026-11-10", 500)]);
        c.records = vec![record(4, Outcome::Done, "2026-10-01", &["F1"])];
        cases.push(("new cycle", c, "2026-11-24", vec!["7-1"], vec![]));
        // A promise broken after step 1: step 2 (J+15) comes at once on J+10, the day after.
        let mut c = late();
        c.records = vec![record(1, Outcome::Done, "2026-11-04", &["F1"])];
        c.contacts = vec![day("2026-11-04")];
        c.promises = vec![Promise {
            id: 5,
            made_on: day("2026-11-05"),
            due_on: day("2026-11-09"),
            amount: Decimal::from(100),
            acknowledged: true,
        }];
        cases.push(("broken promise hastens", c.clone(), "2026-11-10", vec!["7-2"], vec![]));
        c.promises.clear();
        cases.push(("without it, J+15 waits", c, "2026-11-10", vec![], vec![]));
        // After a formal notice (8 days), the escalation waits for the deadline.
        let mut c = case(vec![item("F1", "2026-09-01", 500)]);
        c.records = vec![record(4, Outcome::Done, "2026-11-20", &["F1"])];
        c.contacts = vec![day("2026-11-20")];
        cases.push(("deadline running", c.clone(), "2026-11-28", vec![], vec![("7-5", "jusqu'au 28/11/2026")]));
        cases.push(("deadline over", c, "2026-11-29", vec!["7-5"], vec![]));
        // Phone + letter on a Sunday: the letter is proposed, the call dropped.
        let mut c = case(vec![item("F1", "2026-10-20", 500)]);
        c.records = vec![record(2, Outcome::Done, "2026-11-05", &["F1"])];
        cases.push(("sunday call", c, "2026-11-22", vec!["7-3"], vec![]));

        for (what, c, when, proposed, waits) in cases {
            let a = run(&c, when);
            assert_eq!(a.actions.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(), proposed, "{what}: {a:#?}");
            assert_eq!(a.waiting.len(), waits.len(), "{what}: {a:#?}");
            for ((id, fragment), w) in waits.iter().zip(&a.waiting) {
                assert_eq!(w.action.id, *id, "{what}");
                assert!(w.why.join(" ").contains(fragment), "{what}: {:?}", w.why);
            }
        }
        let sunday = {
            let mut c = case(vec![item("F1", "2026-10-20", 500)]);
            c.records = vec![record(2, Outcome::Done, "2026-11-05", &["F1"])];
            run(&c, "2026-11-22")
        };
        assert_eq!(sunday.actions[0].channels, vec![Channel::Letter]);
        assert!(sunday.actions[0].reason.contains("dimanche"));
    }

    #[test]
    fn priority_orders_the_day_and_explains_itself() {
        let mut small = case(vec![item("S1", "2026-11-01", 300)]);
        small.debtor_id = 1;
        let mut big = case(vec![item("B1", "2026-09-01", 9000)]);
        big.debtor_id = 2;
        big.risk =
            RiskFacts { settled: 10, settled_late: 5, days_late_total: 150, broken_promises: 1, open_disputes: 0 };
        let a = agenda(&[small, big], &defaults(), GuardSettings::default(), at("2026-11-24"));
        assert_eq!(a.actions.iter().map(|x| x.debtor_id).collect::<Vec<_>>(), vec![2, 1]);
        // 9 000 / 500 = 18 pts; 84 days / 6 = 14 pts; risk: delay 30 j → 15, 5/10 late → 15,
        // 1 broken promise → 10: 40 × 30 % = 12 pts. Total 44.
        assert_eq!(a.actions[0].priority, 44, "{}", a.actions[0].priority_detail);
        assert!(a.actions[0].priority_detail.contains("montant 18 pts + retard 14 pts + risque 12 pts"));
    }

    #[test]
    fn a_promise_is_kept_by_the_payments_made_from_its_making_to_its_day() {
        let promise = Promise {
            id: 1,
            made_on: day("2026-11-10"),
            due_on: day("2026-11-20"),
            amount: Decimal::from(500),
            acknowledged: false,
        };
        let paid = |list: &[(&str, Decimal)]| list.iter().map(|(d, a)| (day(d), *a)).collect::<Vec<_>>();
        let cases = [
            // (payments, today, status)
            (paid(&[]), "2026-11-15", PromiseStatus::Pending),
            (paid(&[]), "2026-11-20", PromiseStatus::Pending),
            (paid(&[]), "2026-11-21", PromiseStatus::Broken),
            (paid(&[("2026-11-12", Decimal::from(300))]), "2026-11-21", PromiseStatus::Broken),
            (
                paid(&[("2026-11-12", Decimal::from(300)), ("2026-11-20", Decimal::from(200))]),
                "2026-11-21",
                PromiseStatus::Kept,
            ),
            (paid(&[("2026-11-12", Decimal::from(500))]), "2026-11-15", PromiseStatus::Kept),
            // Money received before the promise, or after its day, does not keep it.
            (paid(&[("2026-11-09", Decimal::from(500))]), "2026-11-21", PromiseStatus::Broken),
            (paid(&[("2026-11-22", Decimal::from(500))]), "2026-11-23", PromiseStatus::Broken),
        ];
        for (payments, today, expected) in cases {
            assert_eq!(promise.status(&payments, day(today)), expected, "{payments:?} at {today}");
        }
    }

    #[test]
    fn a_large_agenda_computed_on_several_threads_is_the_one_computed_debtor_by_debtor() {
        // Debtors at every stage of a scenario, some contacted recently (waiting), some not yet due.
        let cases: Vec<DebtorCase> = (0..3 * PARALLEL_FROM)
            .map(|n| {
                let offset = i64::try_from(n % 90).unwrap();
                let due = day("2026-10-01") + chrono::Duration::days(offset);
                let mut c = case(vec![OpenItem {
                    number: format!("F{n}"),
                    due_date: due,
                    outstanding: Decimal::from(100 + n),
                    disputed: false,
                }]);
                c.debtor_id = i64::try_from(n).unwrap();
                if n % 7 == 0 {
                    c.contacts.push(day("2026-11-22"));
                }
                c
            })
            .collect();
        let whole = agenda(&cases, &defaults(), GuardSettings::default(), at("2026-11-24"));
        let mut actions = Vec::new();
        let mut waiting = Vec::new();
        for c in &cases {
            let one = run(c, "2026-11-24");
            actions.extend(one.actions);
            waiting.extend(one.waiting);
        }
        actions.sort_by(|a, b| b.priority.cmp(&a.priority).then(b.amount.cmp(&a.amount)).then(a.id.cmp(&b.id)));
        waiting.sort_by(|a, b| b.action.priority.cmp(&a.action.priority).then(a.action.id.cmp(&b.action.id)));
        assert!(!whole.waiting.is_empty() && whole.actions.len() > PARALLEL_FROM);
        assert_eq!(whole.actions, actions);
        assert_eq!(whole.waiting, waiting);
    }
}
