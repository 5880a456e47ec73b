//! The IPC types of a debtor's collection history, and of what the user records from it (a
//! contact, a promise, a dispute, a stage). Generated into `ui/src/bindings.ts` with the others.

use recouvre::dunning::plan::{Frequency, InstalmentStatus};
use recouvre::dunning::records::{ContactChannel, DisputeReason, Resolution, Stage};
use recouvre::money::format_eur;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One option of a form's list: a stable key to send back, a French label to show.
#[derive(Debug, Serialize, TS)]
pub struct Choice {
    pub key: String,
    pub label: String,
}

impl Choice {
    fn new(key: &str, label: &str) -> Self {
        Choice { key: key.to_owned(), label: label.to_owned() }
    }
}

/// The lists the history's forms offer.
#[derive(Debug, Serialize, TS)]
pub struct EntryChoices {
    pub channels: Vec<Choice>,
    pub dispute_reasons: Vec<Choice>,
    pub resolutions: Vec<Choice>,
    /// The stages the case may move to from where it is.
    pub next_stages: Vec<Choice>,
    /// Open invoices a dispute may be opened on.
    pub disputable: Vec<String>,
    /// Instalment frequencies of a payment plan.
    pub frequencies: Vec<Choice>,
}

/// A dispute in the history; `id` to resolve it while `open`.
#[derive(Debug, Serialize, TS)]
pub struct DisputeView {
    #[ts(type = "number")]
    pub id: i64,
    pub open: bool,
    pub line: HistoryLine,
}

/// What the user records from a debtor's page, dated today (now for a contact). Keys and amounts
/// are checked by the core, which names the field of any refusal.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Entry {
    /// A contact: a call received, an e-mail sent…
    Contact { channel: String, inbound: bool, summary: String, outcome: String },
    /// A promise to pay `amount` ("1 234,56") by `due_on` ("2026-12-05").
    Promise { amount: String, due_on: String, note: String },
    /// A dispute on one of the debtor's invoices.
    DisputeOpen { invoice: String, reason: String, note: String },
    /// The end of a dispute.
    DisputeResolve {
        #[ts(type = "number")]
        dispute_id: i64,
        resolution: String,
        note: String,
    },
    /// The case moves on (mediation, injonction de payer filed, closed…).
    Stage { stage: String, note: String },
    /// A payment plan (échéancier) in `count` instalments from `first`; `amount` empty spreads what
    /// the debtor owes today (with penalties, interest and indemnities if `with_penalties`).
    Plan { amount: String, with_penalties: bool, count: String, frequency: String, first: String, note: String },
    /// The debtor signed the plan: an acknowledgement of debt for prescription.
    PlanSigned {
        #[ts(type = "number")]
        plan_id: i64,
    },
}

/// One dated line of a debtor's history.
#[derive(Debug, Serialize, TS)]
pub struct HistoryLine {
    /// "24/11/2026" or "24/11/2026 10:30".
    pub when: String,
    /// What happened, in words.
    pub what: String,
    /// Where it stands or what came of it ("tenue", "accord", "promet de payer"…), may be empty.
    pub status: String,
}

/// A payment plan as shown in a debtor's history.
#[derive(Debug, Serialize, TS)]
pub struct PlanView {
    #[ts(type = "number")]
    pub id: i64,
    /// Not signed yet, and still running: the signature may be recorded.
    pub signable: bool,
    /// "Échéancier n° 3 du 05/01/2027 : 1 200,00 € en 3 échéances, signé le …".
    pub title: String,
    pub instalments: Vec<HistoryLine>,
}

/// A debtor's collection history, every line ready to show.
#[derive(Debug, Serialize, TS)]
pub struct DebtorHistoryView {
    /// "phase amiable", "mise en demeure"…
    pub stage: String,
    pub timeline: Vec<HistoryLine>,
    /// Newest first.
    pub interactions: Vec<HistoryLine>,
    pub promises: Vec<HistoryLine>,
    pub disputes: Vec<DisputeView>,
    pub plans: Vec<PlanView>,
    /// What the forms offer.
    pub choices: EntryChoices,
}

impl From<&recouvre::ledger::DunningHistory> for DebtorHistoryView {
    fn from(h: &recouvre::ledger::DunningHistory) -> Self {
        use recouvre::dates::format_date_fr as date;
        DebtorHistoryView {
            stage: h.stage.label().to_owned(),
            timeline: h
                .timeline
                .iter()
                .map(|t| HistoryLine { when: date(t.on), what: t.stage.label().to_owned(), status: t.note.clone() })
                .collect(),
            interactions: h
                .interactions
                .iter()
                .rev()
                .map(|i| HistoryLine {
                    when: format!("{} {}", date(i.occurred_at.date()), i.occurred_at.format("%H:%M")),
                    what: format!(
                        "{} {} : {}",
                        i.channel.label(),
                        if i.outbound { "sortant" } else { "entrant" },
                        i.summary
                    ),
                    status: i.outcome.clone(),
                })
                .collect(),
            promises: h
                .promises
                .iter()
                .map(|(p, status)| HistoryLine {
                    when: date(p.made_on),
                    what: format!("promet {} pour le {}", format_eur(p.amount), date(p.due_on)),
                    status: status.label().to_owned(),
                })
                .collect(),
            disputes: h
                .disputes
                .iter()
                .map(|d| DisputeView {
                    id: d.id,
                    open: d.resolved.is_none(),
                    line: HistoryLine {
                        when: date(d.opened_on),
                        what: format!(
                            "facture {} contestée : {}{}",
                            d.invoice_number,
                            d.reason.label(),
                            if d.note.is_empty() { String::new() } else { format!(" ({})", d.note) }
                        ),
                        status: match &d.resolved {
                            Some((on, resolution, _)) => format!("{} le {}", resolution.label(), date(*on)),
                            None => "en cours".to_owned(),
                        },
                    },
                })
                .collect(),
            plans: h
                .plans
                .iter()
                .map(|s| PlanView {
                    id: s.plan.id,
                    signable: s.plan.signed_on.is_none() && s.plan.defaulted_on.is_none(),
                    title: format!(
                        "Échéancier n° {} du {} : {} en {} échéance(s){}{}",
                        s.plan.id,
                        date(s.plan.created_on),
                        format_eur(s.plan.total),
                        s.plan.instalments.len(),
                        s.plan.signed_on.map(|d| format!(", signé le {}", date(d))).unwrap_or_default(),
                        s.plan.defaulted_on.map(|d| format!(", déchéance du terme le {}", date(d))).unwrap_or_default(),
                    ),
                    instalments: s
                        .plan
                        .instalments
                        .iter()
                        .zip(&s.instalments)
                        .map(|(i, (status, missing))| HistoryLine {
                            when: date(i.due_on),
                            what: format_eur(i.amount),
                            status: if !missing.is_zero() && *status != InstalmentStatus::Upcoming {
                                format!("{} ({} manquants)", status.label(), format_eur(*missing))
                            } else {
                                status.label().to_owned()
                            },
                        })
                        .collect(),
                })
                .collect(),
            choices: EntryChoices {
                channels: ContactChannel::ALL.iter().map(|c| Choice::new(c.as_str(), c.label())).collect(),
                dispute_reasons: DisputeReason::ALL.iter().map(|r| Choice::new(r.as_str(), r.label())).collect(),
                resolutions: Resolution::ALL.iter().map(|r| Choice::new(r.as_str(), r.label())).collect(),
                next_stages: Stage::ALL
                    .iter()
                    .filter(|s| h.stage.may_move_to(**s))
                    .map(|s| Choice::new(s.as_str(), s.label()))
                    .collect(),
                disputable: h.disputable.clone(),
                frequencies: Frequency::ALL.iter().map(|f| Choice::new(f.as_str(), f.label())).collect(),
            },
        }
    }
}
