//! `recouvre agenda`, `act`, `interaction`, `promise`, `dispute`, `plan`, `case`, `scenario`,
//! `guard`: the daily work of getting paid.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use clap::Subcommand;
use recouvre::dates::{format_date_fr, parse_date_field};
use recouvre::dunning::agenda::{Action, ActionKind, Agenda};
use recouvre::dunning::guard::GuardSettings;
use recouvre::dunning::plan::{Frequency, InstalmentStatus, Split, track};
use recouvre::dunning::records::{ContactChannel, DisputeReason, PaymentPlan, Resolution, Stage};
use recouvre::dunning::scenario::{Channel, Scenario, Step, Template, Tone};
use recouvre::ledger::{Act, NewInteraction};
use recouvre::money::{format_eur, parse_amount_field, to_plain};
use recouvre::parties::Segment;
use recouvre::receivables::invoice::NewAttachment;
use recouvre::{Error, Field, Ledger};
use serde::Serialize;

use crate::table::{Align, Table};
use crate::{date_or_today, output, today};

/// `--at DATE` means that day at 10:00 (a working hour); no `--at`, now.
fn moment(at: Option<&str>) -> Result<NaiveDateTime, Error> {
    match at {
        Some(text) => {
            Ok(parse_date_field(Field::At, text)?.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default()))
        }
        None => Ok(now()),
    }
}

/// Now, to the second: interactions are logged at the minute a user would write down.
pub fn now() -> NaiveDateTime {
    let now = chrono::Local::now().naive_local();
    now.with_nanosecond(0).unwrap_or(now)
}

#[derive(Subcommand)]
pub enum InteractionCommand {
    /// Record a contact with a debtor (a call received, an e-mail sent…).
    Add {
        #[arg(long, value_name = "ID")]
        debtor: i64,
        /// email, letter, registered_letter, phone, sms, meeting, other.
        #[arg(long)]
        channel: String,
        /// in (from the debtor) or out (to the debtor).
        #[arg(long, default_value = "out")]
        direction: String,
        #[arg(long)]
        summary: String,
        #[arg(long, default_value = "")]
        outcome: String,
        /// When: "2026-11-24 14:30" (default: now).
        #[arg(long, value_name = "DATETIME")]
        at: Option<String>,
        /// Files to keep with it; repeat for several.
        #[arg(long = "file", value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// A debtor's contacts.
    List {
        #[arg(long, value_name = "ID")]
        debtor: i64,
    },
}

#[derive(Subcommand)]
pub enum PromiseCommand {
    /// Record a promise to pay: the scenario pauses until that day.
    Add {
        #[arg(long, value_name = "ID")]
        debtor: i64,
        #[arg(long)]
        amount: String,
        /// Day the money is promised for.
        #[arg(long, value_name = "DATE")]
        date: String,
        /// Day the promise was made (default: today).
        #[arg(long, value_name = "DATE")]
        made_on: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// A debtor's promises, each kept, broken or pending at a date.
    List {
        #[arg(long, value_name = "ID")]
        debtor: i64,
        /// Where they stand on that day (default: today).
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum DisputeCommand {
    /// Open a dispute on an invoice: its dunning pauses.
    Open {
        #[arg(long, value_name = "NUMBER")]
        invoice: String,
        /// quality, quantity, price, not_delivered, already_paid, other.
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Resolve a dispute: dunning resumes, or ends if a credit note settled the invoice.
    Resolve {
        id: i64,
        /// credit_note, rejected or agreement.
        #[arg(long)]
        resolution: String,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Disputes on a debtor's invoices.
    List {
        #[arg(long, value_name = "ID")]
        debtor: i64,
    },
}

#[derive(Subcommand)]
pub enum PlanCommand {
    /// Build a payment plan (échéancier): the instalments add up to the amount exactly.
    Create {
        #[arg(long, value_name = "ID")]
        debtor: i64,
        /// Amount to spread (default: what the debtor owes today, principal only).
        #[arg(long)]
        amount: Option<String>,
        /// Include penalties, interest and indemnities of today's statement in the amount.
        #[arg(long)]
        with_penalties: bool,
        /// Number of instalments…
        #[arg(long, conflicts_with = "instalment")]
        count: Option<u32>,
        /// …or amount of each instalment (the last takes the rest).
        #[arg(long)]
        instalment: Option<String>,
        /// weekly, fortnightly, monthly, quarterly.
        #[arg(long, default_value = "monthly")]
        frequency: String,
        /// Day of the first instalment.
        #[arg(long, value_name = "DATE")]
        first: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// A plan and where each instalment stands.
    Show {
        id: i64,
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// The debtor signed: an acknowledgement of debt that interrupts prescription.
    Sign {
        id: i64,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Grant a delay: move instalment N (1 = first) to a later day.
    Delay {
        id: i64,
        #[arg(long, value_name = "N")]
        instalment: usize,
        #[arg(long, value_name = "DATE")]
        to: String,
    },
    /// Declare the whole balance due after a missed instalment (déchéance du terme).
    Default {
        id: i64,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum CaseCommand {
    /// A debtor's case: stage and timeline.
    Show {
        #[arg(long, value_name = "ID")]
        debtor: i64,
    },
    /// Move a debtor's case to a stage.
    Move {
        #[arg(long, value_name = "ID")]
        debtor: i64,
        /// amiable, formal_notice, mediation, injunction_filed, order_obtained, order_served,
        /// enforcement, closed_paid, closed_settled, closed_written_off, closed_lost.
        #[arg(long)]
        stage: String,
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
}

#[derive(Subcommand)]
pub enum ScenarioCommand {
    /// Scenarios and which segment gets which.
    List,
    /// One scenario's steps.
    Show { key: String },
    /// Create or replace a scenario: one --step "OFFSET:CHANNELS:TEMPLATE:TONE[:DEADLINE]" per step,
    /// e.g. --step "3:email:friendly_reminder:courteous" --step "45:registered_letter:formal_notice:formal_notice:8".
    Edit {
        key: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long = "step", value_name = "STEP", required = true)]
        steps: Vec<String>,
    },
    /// Give a debtor their own scenario (`default` for their segment's).
    Assign {
        #[arg(long, value_name = "ID")]
        debtor: i64,
        key: String,
    },
    /// Set the scenario of a segment (nouveau, regulier, strategique).
    Segment { segment: String, key: String },
}

fn parse_step(text: &str) -> Result<Step, Error> {
    let parts: Vec<&str> = text.split(':').collect();
    let bad = || {
        Error::invalid(
            Field::Status,
            text,
            "étape attendue : DÉCALAGE:CANAUX:MODÈLE:TON[:DÉLAI], canaux séparés par des virgules",
        )
    };
    if !(4..=5).contains(&parts.len()) {
        return Err(bad());
    }
    Ok(Step {
        offset_days: parts[0].trim().trim_start_matches('J').parse().map_err(|_| bad())?,
        channels: parts[1].split(',').map(Channel::parse).collect::<Result<_, _>>()?,
        template: Template::parse(parts[2])?,
        tone: Tone::parse(parts[3])?,
        deadline_days: parts.get(4).map(|d| d.trim().parse().map_err(|_| bad())).transpose()?,
    })
}

#[derive(Serialize)]
struct ActionJson<'a> {
    id: &'a str,
    debtor_id: i64,
    debtor_name: &'a str,
    /// Template key of the step, or `declaration`, `instalment_missed`, `promise_broken`.
    step: &'static str,
    step_index: Option<usize>,
    /// First channel (or null), then all of them.
    channel: Option<&'static str>,
    channels: Vec<&'static str>,
    invoices: &'a [String],
    amount: String,
    days_late: i64,
    reason: &'a str,
    priority: u32,
    priority_detail: &'a str,
    waiting: Option<&'a [String]>,
}

fn action_json<'a>(a: &'a Action, waiting: Option<&'a [String]>) -> ActionJson<'a> {
    let (step, step_index) = match &a.kind {
        ActionKind::Step { index, template, .. } => (template.as_str(), Some(*index)),
        ActionKind::DeclareClaim { .. } => ("declaration", None),
        ActionKind::InstalmentMissed { .. } => ("instalment_missed", None),
        ActionKind::PromiseBroken { .. } => ("promise_broken", None),
    };
    ActionJson {
        id: &a.id,
        debtor_id: a.debtor_id,
        debtor_name: &a.debtor_name,
        step,
        step_index,
        channel: a.channels.first().map(|c| c.as_str()),
        channels: a.channels.iter().map(|c| c.as_str()).collect(),
        invoices: &a.invoices,
        amount: to_plain(a.amount),
        days_late: a.days_late,
        reason: &a.reason,
        priority: a.priority,
        priority_detail: &a.priority_detail,
        waiting,
    }
}

fn agenda_text(agenda: &Agenda) -> String {
    let mut table = Table::new(&[
        ("Action", Align::Left),
        ("Prio.", Align::Right),
        ("Débiteur", Align::Left),
        ("Canal", Align::Left),
        ("Dû €", Align::Right),
        ("Pourquoi", Align::Left),
    ]);
    for a in &agenda.actions {
        table.row(vec![
            a.id.clone(),
            a.priority.to_string(),
            a.debtor_name.clone(),
            a.channels.iter().map(|c| c.label()).collect::<Vec<_>>().join(" + "),
            recouvre::money::format_number_fr(a.amount),
            a.reason.clone(),
        ]);
    }
    let mut out = format!(
        "Agenda du {} : {} action(s)\n\n{}",
        format_date_fr(agenda.at.date()),
        agenda.actions.len(),
        table.render()
    );
    if !agenda.waiting.is_empty() {
        out += &format!("\nEn attente ({}) :\n", agenda.waiting.len());
        for w in &agenda.waiting {
            out += &format!("  {} {} — {}\n", w.action.id, w.action.debtor_name, w.why.join(" ; "));
        }
    }
    out += "\nRien n'est envoyé sans vous : « recouvre act ID --done » quand c'est fait.\n";
    out
}

pub async fn agenda(ledger: &Ledger, at: Option<String>, json: bool) -> anyhow::Result<()> {
    let now = moment(at.as_deref())?;
    let agenda = ledger.agenda(now).await?;
    let rows: Vec<ActionJson<'_>> = agenda
        .actions
        .iter()
        .map(|a| action_json(a, None))
        .chain(agenda.waiting.iter().map(|w| action_json(&w.action, Some(&w.why))))
        .collect();
    output(json, &rows, || agenda_text(&agenda))
}

#[derive(clap::Args)]
pub struct ActArgs {
    /// Action id from the agenda (e.g. 12-3).
    id: String,
    /// Done (the letter sent, the call made…).
    #[arg(long)]
    done: bool,
    /// Skipped, with the reason.
    #[arg(long, value_name = "REASON")]
    skip: Option<String>,
    /// Put off until a day.
    #[arg(long, value_name = "DATE")]
    postpone: Option<String>,
    /// Note kept with it (what was said, why it waits).
    #[arg(long, default_value = "")]
    note: String,
    /// Day (at 10:00; default: now).
    #[arg(long, value_name = "DATE")]
    at: Option<String>,
}

pub async fn act(ledger: &Ledger, args: ActArgs, json: bool) -> anyhow::Result<()> {
    let ActArgs { id, done, skip, postpone, note, at } = args;
    let now = moment(at.as_deref())?;
    let act = match (done, skip, postpone) {
        (true, None, None) => Act::Done { note },
        (false, Some(reason), None) => Act::Skip(reason),
        (false, None, Some(until)) => Act::Postpone(parse_date_field(Field::Date, &until)?, note),
        _ => {
            return Err(Error::invalid(
                Field::Status,
                &id,
                "choisissez une seule issue : --done, --skip RAISON ou --postpone DATE",
            )
            .into());
        }
    };
    let action = ledger.act(&id, &act, now).await?;
    output(json, &action_json(&action, None), || {
        format!(
            "{} : {}.\n",
            action.id,
            match act {
                Act::Done { .. } => "fait, enregistré".to_owned(),
                Act::Skip(_) => "passée".to_owned(),
                Act::Postpone(until, _) => format!("reportée au {}", format_date_fr(until)),
            }
        )
    })
}

async fn in_one_transaction<T, F>(ledger: &Ledger, work: F) -> anyhow::Result<T>
where
    F: AsyncFnOnce(&mut recouvre::ledger::WriteTx) -> recouvre::Result<T>,
{
    let mut tx = ledger.begin().await?;
    let value = work(&mut tx).await?;
    tx.commit().await?;
    Ok(value)
}

pub async fn interaction(ledger: &Ledger, command: InteractionCommand, json: bool) -> anyhow::Result<()> {
    match command {
        InteractionCommand::Add { debtor, channel, direction, summary, outcome, at, files } => {
            let occurred_at = match at {
                Some(text) => NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M")
                    .or_else(|_| {
                        parse_date_field(Field::Date, &text).map(|d| d.and_time(NaiveTime::MIN)).map_err(|_| ())
                    })
                    .map_err(|()| {
                        Error::invalid(Field::Date, &text, "date et heure attendues, par exemple « 2026-11-24 14:30 »")
                    })?,
                None => now(),
            };
            let outbound = match direction.trim() {
                "out" => true,
                "in" => false,
                other => {
                    return Err(Error::invalid(
                        Field::Status,
                        other,
                        "in (reçu du débiteur) ou out (envoyé au débiteur)",
                    )
                    .into());
                }
            };
            let mut attachments = Vec::new();
            for path in &files {
                let bytes = std::fs::read(path).map_err(|source| Error::File { path: path.clone(), source })?;
                attachments.push(NewAttachment {
                    file_name: path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                    bytes,
                });
            }
            let new = NewInteraction {
                debtor_id: debtor,
                occurred_at,
                channel: ContactChannel::parse(&channel)?,
                outbound,
                summary,
                outcome,
                files: attachments,
            };
            let id = in_one_transaction(ledger, async |tx| tx.add_interaction(&new).await).await?;
            output(json, &serde_json::json!({ "id": id }), || format!("Échange n° {id} enregistré.\n"))
        }
        InteractionCommand::List { debtor } => {
            let list = ledger.interactions(debtor).await?;
            output(json, &list, || {
                list.iter()
                    .map(|i| {
                        format!(
                            "{} {} {} : {}{}\n",
                            i.occurred_at.format("%d/%m/%Y %H:%M"),
                            if i.outbound { "→" } else { "←" },
                            i.channel.as_str(),
                            i.summary,
                            if i.outcome.is_empty() { String::new() } else { format!(" ({})", i.outcome) }
                        )
                    })
                    .collect()
            })
        }
    }
}

pub async fn promise(ledger: &Ledger, command: PromiseCommand, json: bool) -> anyhow::Result<()> {
    match command {
        PromiseCommand::Add { debtor, amount: text, date, made_on, note } => {
            let (made_on, due_on, value) = (
                date_or_today(made_on.as_deref(), Field::Date)?,
                parse_date_field(Field::Date, &date)?,
                parse_amount_field(Field::Amount, &text)?,
            );
            let promise =
                in_one_transaction(ledger, async |tx| tx.add_promise(debtor, made_on, due_on, value, &note).await)
                    .await?;
            output(json, &promise, || {
                format!(
                    "Promesse de {} pour le {} enregistrée : la relance attend.\n",
                    format_eur(promise.amount),
                    format_date_fr(promise.due_on)
                )
            })
        }
        PromiseCommand::List { debtor, at } => {
            let at = date_or_today(at.as_deref(), Field::Date)?;
            let list = ledger.promises_at(debtor, at).await?;
            let rows: Vec<_> = list
                .iter()
                .map(|(p, status)| {
                    serde_json::json!({
                        "id": p.id, "debtor_id": p.debtor_id, "made_on": p.made_on, "due_on": p.due_on,
                        "amount": to_plain(p.amount), "note": p.note, "status": status,
                    })
                })
                .collect();
            output(json, &rows, || {
                list.iter()
                    .map(|(p, status)| {
                        format!(
                            "n° {} : {} pour le {} (faite le {}) — {}\n",
                            p.id,
                            format_eur(p.amount),
                            format_date_fr(p.due_on),
                            format_date_fr(p.made_on),
                            status.label()
                        )
                    })
                    .collect()
            })
        }
    }
}

pub async fn dispute(ledger: &Ledger, command: DisputeCommand, json: bool) -> anyhow::Result<()> {
    match command {
        DisputeCommand::Open { invoice, reason, note, date } => {
            let (on, reason) = (date_or_today(date.as_deref(), Field::Date)?, DisputeReason::parse(&reason)?);
            let dispute =
                in_one_transaction(ledger, async |tx| tx.open_dispute(&invoice, on, reason, &note).await).await?;
            output(json, &dispute, || {
                format!(
                    "Litige n° {} ouvert sur la facture {} : sa relance est suspendue.\n",
                    dispute.id, dispute.invoice_number
                )
            })
        }
        DisputeCommand::Resolve { id, resolution, note, date } => {
            let (on, resolution) = (date_or_today(date.as_deref(), Field::Date)?, Resolution::parse(&resolution)?);
            in_one_transaction(ledger, async |tx| tx.resolve_dispute(id, on, resolution, &note).await).await?;
            output(json, &serde_json::json!({ "id": id, "resolution": resolution }), || {
                format!("Litige n° {id} résolu.\n")
            })
        }
        DisputeCommand::List { debtor } => {
            let list = ledger.disputes(debtor).await?;
            output(json, &list, || {
                list.iter()
                    .map(|d| {
                        format!(
                            "n° {} {} ({}) ouvert le {}{}\n",
                            d.id,
                            d.invoice_number,
                            d.reason.as_str(),
                            format_date_fr(d.opened_on),
                            d.resolved
                                .as_ref()
                                .map(|(on, r, _)| format!(", résolu le {} : {}", format_date_fr(*on), r.as_str()))
                                .unwrap_or_default()
                        )
                    })
                    .collect()
            })
        }
    }
}

#[derive(Serialize)]
struct InstalmentJson {
    due_on: String,
    amount: String,
    status: InstalmentStatus,
    missing: String,
}

fn plan_output(plan: &PaymentPlan, at: NaiveDate, paid: rust_decimal::Decimal, json: bool) -> anyhow::Result<()> {
    let status = track(&plan.instalments, paid, at);
    let instalments: Vec<InstalmentJson> = plan
        .instalments
        .iter()
        .zip(&status)
        .map(|(i, (s, missing))| InstalmentJson {
            due_on: i.due_on.to_string(),
            amount: to_plain(i.amount),
            status: *s,
            missing: to_plain(*missing),
        })
        .collect();
    let value = serde_json::json!({
        "id": plan.id, "debtor_id": plan.debtor_id, "created_on": plan.created_on, "total": to_plain(plan.total),
        "includes_penalties": plan.includes_penalties, "frequency": plan.frequency.as_str(), "signed_on": plan.signed_on,
        "defaulted_on": plan.defaulted_on, "paid": to_plain(paid), "instalments": instalments,
    });
    output(json, &value, || {
        let mut out = format!(
            "Échéancier n° {} : {} en {} échéance(s)\n",
            plan.id,
            format_eur(plan.total),
            plan.instalments.len()
        );
        for (n, (i, (s, missing))) in plan.instalments.iter().zip(&status).enumerate() {
            out += &format!(
                "  {:>2}. {}  {:>14}  {}\n",
                n + 1,
                format_date_fr(i.due_on),
                format_eur(i.amount),
                match s {
                    InstalmentStatus::Missed => format!("MANQUÉE ({} manquent)", format_eur(*missing)),
                    other => other.label().to_owned(),
                }
            );
        }
        out
    })
}

async fn paid_since(ledger: &Ledger, plan: &PaymentPlan, at: NaiveDate) -> anyhow::Result<rust_decimal::Decimal> {
    Ok(ledger.plan_standing(plan.id, at).await?.paid)
}

pub async fn plan(ledger: &Ledger, command: PlanCommand, json: bool) -> anyhow::Result<()> {
    match command {
        PlanCommand::Create { debtor, amount: text, with_penalties, count, instalment, frequency, first, note } => {
            let first = parse_date_field(Field::Date, &first)?;
            let created_on = today();
            let total = match text {
                Some(text) => parse_amount_field(Field::Amount, &text)?,
                None => ledger.amount_to_spread(debtor, created_on, with_penalties).await?,
            };
            let split = match (count, instalment) {
                (Some(n), None) => Split::Count(n),
                (None, Some(each)) => Split::Amount(parse_amount_field(Field::Amount, &each)?),
                _ => return Err(Error::invalid(Field::Count, "", "indiquez --count N ou --instalment MONTANT").into()),
            };
            let frequency = Frequency::parse(&frequency)?;
            let plan = in_one_transaction(ledger, async |tx| {
                tx.create_plan(debtor, created_on, total, with_penalties, split, frequency, first, &note).await
            })
            .await?;
            plan_output(&plan, created_on, rust_decimal::Decimal::ZERO, json)
        }
        PlanCommand::Show { id, at } => {
            let at = date_or_today(at.as_deref(), Field::Date)?;
            let plan = ledger.plan(id).await?;
            let paid = paid_since(ledger, &plan, at).await?;
            plan_output(&plan, at, paid, json)
        }
        PlanCommand::Sign { id, date } => {
            let on = date_or_today(date.as_deref(), Field::Date)?;
            let plan = in_one_transaction(ledger, async |tx| tx.sign_plan(id, on).await).await?;
            let paid = paid_since(ledger, &plan, on).await?;
            plan_output(&plan, on, paid, json)
        }
        PlanCommand::Delay { id, instalment, to } => {
            let to = parse_date_field(Field::Date, &to)?;
            let plan = in_one_transaction(ledger, async |tx| tx.delay_instalment(id, instalment, to).await).await?;
            let paid = paid_since(ledger, &plan, today()).await?;
            plan_output(&plan, today(), paid, json)
        }
        PlanCommand::Default { id, date } => {
            let on = date_or_today(date.as_deref(), Field::Date)?;
            let plan = in_one_transaction(ledger, async |tx| tx.default_plan(id, on).await).await?;
            output(json, &serde_json::json!({ "id": plan.id, "defaulted_on": plan.defaulted_on }), || {
                format!(
                    "Déchéance du terme prononcée le {} : tout le solde est exigible, la relance reprend.\n",
                    format_date_fr(on)
                )
            })
        }
    }
}

pub async fn case(ledger: &Ledger, command: CaseCommand, json: bool) -> anyhow::Result<()> {
    match command {
        CaseCommand::Show { debtor } => {
            let (stage, timeline) = ledger.case_timeline(debtor).await?;
            output(json, &serde_json::json!({ "debtor_id": debtor, "stage": stage, "timeline": timeline }), || {
                let mut out = format!("Stade : {}\n", stage.label());
                for t in &timeline {
                    out += &format!(
                        "  {} {}{}\n",
                        format_date_fr(t.on),
                        t.stage.label(),
                        if t.note.is_empty() { String::new() } else { format!(" — {}", t.note) }
                    );
                }
                out
            })
        }
        CaseCommand::Move { debtor, stage, date, note } => {
            let (on, stage) = (date_or_today(date.as_deref(), Field::Date)?, Stage::parse(&stage)?);
            in_one_transaction(ledger, async |tx| tx.move_case(debtor, stage, on, &note).await).await?;
            output(json, &serde_json::json!({ "debtor_id": debtor, "stage": stage, "on": on }), || {
                format!("Dossier passé au stade « {} ».\n", stage.label())
            })
        }
    }
}

fn scenario_text(s: &Scenario) -> String {
    let mut out = format!("{} ({})\n", s.name, s.key);
    for (n, step) in s.steps.iter().enumerate() {
        out += &format!(
            "  {}. J{:+}  {}  {}{}\n",
            n + 1,
            step.offset_days,
            step.channels.iter().map(|c| c.label()).collect::<Vec<_>>().join(" + "),
            step.template.label(),
            step.deadline_days.map(|d| format!(" (délai {d} jours)")).unwrap_or_default()
        );
    }
    out
}

pub async fn scenario(ledger: &Ledger, command: ScenarioCommand, json: bool) -> anyhow::Result<()> {
    match command {
        ScenarioCommand::List => {
            let (list, segments) = (ledger.scenarios().await?, ledger.segment_scenarios().await?);
            let assignments: Vec<(&str, &str)> = segments.iter().map(|(s, k)| (s.as_str(), k.as_str())).collect();
            output(json, &serde_json::json!({ "scenarios": list, "segments": assignments }), || {
                let mut out: String = list.iter().map(scenario_text).collect::<Vec<_>>().join("\n");
                out += "\nPar segment : ";
                out += &assignments.iter().map(|(s, k)| format!("{s} → {k}")).collect::<Vec<_>>().join(", ");
                out.push('\n');
                out
            })
        }
        ScenarioCommand::Show { key } => {
            let s = ledger
                .scenarios()
                .await?
                .into_iter()
                .find(|s| s.key == key)
                .ok_or_else(|| Error::invalid(Field::Name, &key, "scénario inconnu"))?;
            output(json, &s, || scenario_text(&s))
        }
        ScenarioCommand::Edit { key, name, steps } => {
            let steps = steps.iter().map(|s| parse_step(s)).collect::<Result<Vec<_>, _>>()?;
            let name = name.unwrap_or_else(|| key.clone());
            let s = Scenario { key, name, steps };
            in_one_transaction(ledger, async |tx| tx.save_scenario(&s).await).await?;
            output(json, &s, || scenario_text(&s))
        }
        ScenarioCommand::Assign { debtor, key } => {
            let key = (key != "default").then_some(key);
            in_one_transaction(ledger, async |tx| tx.assign_scenario(debtor, key.as_deref()).await).await?;
            output(json, &serde_json::json!({ "debtor_id": debtor, "scenario": key }), || {
                "Scénario du débiteur mis à jour.\n".to_owned()
            })
        }
        ScenarioCommand::Segment { segment, key } => {
            let segment = Segment::parse(&segment)?;
            in_one_transaction(ledger, async |tx| tx.set_segment_scenario(segment, &key).await).await?;
            output(json, &serde_json::json!({ "segment": segment, "scenario": key }), || {
                "Scénario du segment mis à jour.\n".to_owned()
            })
        }
    }
}

pub async fn guard(
    ledger: &Ledger,
    min_days: Option<u32>,
    max_per_week: Option<u32>,
    json: bool,
) -> anyhow::Result<()> {
    let mut settings = ledger.guard_settings().await?;
    if min_days.is_some() || max_per_week.is_some() {
        settings = GuardSettings {
            min_days_between_contacts: min_days.unwrap_or(settings.min_days_between_contacts),
            max_contacts_per_week: max_per_week.unwrap_or(settings.max_contacts_per_week),
        };
        in_one_transaction(ledger, async |tx| tx.set_guard(settings).await).await?;
    }
    output(json, &settings, || {
        format!(
            "Au moins {} jours entre deux contacts, au plus {} contacts par semaine ; appels du lundi au samedi hors jours fériés, 9 h–12 h et 14 h–19 h.\n",
            settings.min_days_between_contacts, settings.max_contacts_per_week
        )
    })
}
