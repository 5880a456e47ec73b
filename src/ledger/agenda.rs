//! The agenda in the ledger: gathering each debtor's dunning facts, and recording what the user did
//! with a proposed action.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::raw::{Statement, Value, with_raw_snapshot};
use super::rows::corrupt;
use super::{Ledger, WriteTx};
use crate::documents::DocumentKind;
use crate::dunning::agenda::{
    self, Action, ActionKind, Agenda, DebtorCase, OpenItem, Outcome, PlanFacts, ProcedureFacts, Promise, PromiseStatus,
    RiskFacts, StepRecord,
};
use crate::dunning::records::{ContactChannel, PromiseRecord, Stage};
use crate::dunning::scenario::{self, Channel, Template};
use crate::error::{Error, Field, Result};
use crate::law::facts::FormalNoticeForm;
use crate::money::from_cents;
use crate::parties::{DebtorKind, Segment};

/// What the user did with an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Act {
    /// Done: the debtor was contacted (or the decision taken, the claim declared, the alert seen).
    Done {
        /// Note kept with the interaction.
        note: String,
    },
    /// Skipped, with the reason.
    Skip(String),
    /// Put off until a day, with the reason.
    Postpone(NaiveDate, String),
}

/// One open invoice of the whole ledger at a date, read through the C API (see `raw`).
struct OpenRow {
    debtor_id: i64,
    invoice_id: i64,
    number: String,
    due_date: NaiveDate,
    owed: Decimal,
}

/// A `dunning_actions` row.
#[derive(sqlx::FromRow)]
struct ActionRow {
    debtor_id: i64,
    action_key: String,
    kind: String,
    step_index: Option<i64>,
    outcome: String,
    acted_on: NaiveDate,
    postponed_until: Option<NaiveDate>,
    invoices: String,
}

/// Each promise with where it stands at `at`, given the debtor's payments.
pub(super) fn with_status(
    promises: Vec<PromiseRecord>,
    payments: &[(NaiveDate, Decimal)],
    at: NaiveDate,
) -> Vec<(PromiseRecord, PromiseStatus)> {
    promises
        .into_iter()
        .map(|p| {
            let promise =
                Promise { id: p.id, made_on: p.made_on, due_on: p.due_on, amount: p.amount, acknowledged: false };
            let status = promise.status(payments, at);
            (p, status)
        })
        .collect()
}

/// Debtor cases sorted by debtor id.
struct Cases(Vec<DebtorCase>);

impl Cases {
    fn get_mut(&mut self, debtor_id: i64) -> Option<&mut DebtorCase> {
        let index = self.0.binary_search_by_key(&debtor_id, |c| c.debtor_id).ok()?;
        self.0.get_mut(index)
    }
}

impl Ledger {
    async fn open_rows(&self, at: NaiveDate, only: Option<i64>) -> Result<Vec<OpenRow>> {
        let at_text = at.to_string();
        let sql = super::reports::open_amounts(only.is_some());
        with_raw_snapshot(self, |db| {
            let mut out = Vec::new();
            let only_value = only.unwrap_or_default();
            let values = if only.is_some() {
                vec![Value::Text(&at_text), Value::Int(only_value)]
            } else {
                vec![Value::Text(&at_text)]
            };
            Statement::prepare(db, &sql)?.for_each(&values, |row| {
                out.push(OpenRow {
                    debtor_id: row.int(0),
                    due_date: row.iso_date(1).ok_or_else(|| corrupt("invoices.due_date", "date ISO attendue"))?,
                    owed: from_cents(row.int(2)),
                    invoice_id: row.int(3),
                    number: row.text(4)?,
                });
                Ok(())
            })?;
            Ok(out)
        })
        .await
    }

    /// Payment history per debtor for the risk score: invoices settled, settled late, days late.
    /// Read in debtor order from the `invoices_history` index and summed here: SQLite's date
    /// functions would cost more than the read itself on a large ledger.
    async fn risk_history(&self, at: NaiveDate, only: Option<i64>) -> Result<Vec<(i64, RiskFacts)>> {
        let at_text = at.to_string();
        let filter = if only.is_some() { " AND debtor_id = ?2" } else { "" };
        let sql = format!(
            "SELECT debtor_id, settled_on, due_date FROM invoices INDEXED BY invoices_history \
             WHERE settled_on IS NOT NULL AND settled_on <= ?1{filter} ORDER BY debtor_id"
        );
        with_raw_snapshot(self, |db| {
            let mut out: Vec<(i64, RiskFacts)> = Vec::new();
            let values = match only {
                Some(id) => vec![Value::Text(&at_text), Value::Int(id)],
                None => vec![Value::Text(&at_text)],
            };
            let mut current: Option<(i64, RiskFacts)> = None;
            Statement::prepare(db, &sql)?.for_each(&values, |row| {
                let debtor = row.int(0);
                let (settled, due) = match (row.iso_date(1), row.iso_date(2)) {
                    (Some(s), Some(d)) => (s, d),
                    _ => return Err(corrupt("invoices.settled_on", "date ISO attendue")),
                };
                if current.as_ref().is_some_and(|(id, _)| *id != debtor) {
                    out.extend(current.take());
                }
                let facts = &mut current.get_or_insert((debtor, RiskFacts::default())).1;
                facts.settled += 1;
                if settled > due {
                    facts.settled_late += 1;
                    facts.days_late_total += (settled - due).num_days();
                }
                Ok(())
            })?;
            out.extend(current);
            Ok(out)
        })
        .await
    }

    /// Every debtor's dunning facts at `at` (or only debtor `only`'s): those with open invoices or
    /// an undeclared collective procedure.
    pub async fn dunning_cases(&self, at: NaiveDate, only: Option<i64>) -> Result<Vec<DebtorCase>> {
        let open = self.open_rows(at, only).await?;
        let risk = self.risk_history(at, only).await?;
        let one = |column: &str| if only.is_some() { format!(" AND {column} = $2") } else { String::new() };

        let mut disputed: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT d.invoice_id FROM disputes d JOIN invoices i ON i.id = d.invoice_id \
             WHERE d.opened_on <= $1 AND (d.resolved_on IS NULL OR d.resolved_on > $1){}",
            one("i.debtor_id")
        )))
        .bind(at)
        .bind(only)
        .fetch_all(&self.pool)
        .await?;
        disputed.sort_unstable();
        let procedures: Vec<(i64, NaiveDate, Option<NaiveDate>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT debtor_id, judgment_date, bodacc_published_on FROM collective_procedures WHERE judgment_date <= $1{}",
            one("debtor_id")
        )))
        .bind(at)
        .bind(only)
        .fetch_all(&self.pool)
        .await?;
        let mut ids: Vec<i64> = open.iter().map(|o| o.debtor_id).chain(procedures.iter().map(|p| p.0)).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Vec::new());
        }

        let segments: HashMap<String, String> =
            self.segment_scenarios().await?.into_iter().map(|(s, k)| (s.as_str().to_owned(), k)).collect();
        // Through the C API: a large ledger has a hundred thousand debtors.
        let debtors: Vec<(i64, String, String, String, Option<String>)> = with_raw_snapshot(self, |db| {
            let mut out = Vec::new();
            let sql = if only.is_some() {
                "SELECT id, name, kind, segment, scenario_key FROM debtors WHERE id = ?1"
            } else {
                "SELECT id, name, kind, segment, scenario_key FROM debtors ORDER BY id"
            };
            let values = only.map(Value::Int).into_iter().collect::<Vec<_>>();
            Statement::prepare(db, sql)?.for_each(&values, |row| {
                let scenario = row.text(4)?;
                out.push((
                    row.int(0),
                    row.text(1)?,
                    row.text(2)?,
                    row.text(3)?,
                    (!scenario.is_empty()).then_some(scenario),
                ));
                Ok(())
            })?;
            Ok(out)
        })
        .await?;
        let actions: Vec<ActionRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT debtor_id, action_key, kind, step_index, outcome, acted_on, postponed_until, invoices \
                 FROM dunning_actions WHERE acted_on <= $1{} ORDER BY acted_on, id",
            one("debtor_id")
        )))
        .bind(at)
        .bind(only)
        .fetch_all(&self.pool)
        .await?;
        let contacts: Vec<(i64, NaiveDateTime)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT debtor_id, occurred_at FROM interactions WHERE direction = 'out'{}",
            one("debtor_id")
        )))
        .bind(at)
        .bind(only)
        .fetch_all(&self.pool)
        .await?;
        let promises: Vec<(i64, i64, NaiveDate, NaiveDate, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, debtor_id, made_on, due_on, amount_cents FROM promises WHERE made_on <= $1{}",
            one("debtor_id")
        )))
        .bind(at)
        .bind(only)
        .fetch_all(&self.pool)
        .await?;
        // Payments matter for promises and plans only: read those debtors' payments.
        let plans: Vec<(i64, i64, NaiveDate, Option<NaiveDate>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, debtor_id, created_on, defaulted_on FROM payment_plans WHERE created_on <= $1{} ORDER BY created_on, id",
            one("debtor_id")
        )))
        .bind(at)
        .bind(only)
        .fetch_all(&self.pool)
        .await?;
        let mut payments: HashMap<i64, Vec<(NaiveDate, Decimal)>> = HashMap::new();
        let mut watched: Vec<i64> = promises.iter().map(|p| p.1).chain(plans.iter().map(|p| p.1)).collect();
        watched.sort_unstable();
        watched.dedup();
        for debtor in &watched {
            payments.insert(*debtor, self.payments_received(*debtor, at).await?);
        }
        // Cases in debtor order, found by binary search (a hundred thousand debtors: cheaper than hashing).
        let mut by_debtor = Cases(Vec::with_capacity(ids.len()));
        for (id, name, kind, segment, scenario_key) in debtors {
            if ids.binary_search(&id).is_err() {
                continue;
            }
            let kind = DebtorKind::parse(&kind).map_err(|_| corrupt("debtors.kind", &kind))?;
            let segment = Segment::parse(&segment).map_err(|_| corrupt("debtors.segment", &segment))?;
            let scenario = scenario_key
                .or_else(|| segments.get(segment.as_str()).cloned())
                .unwrap_or_else(|| scenario::default_for(segment).to_owned());
            by_debtor.0.push(DebtorCase {
                debtor_id: id,
                name,
                kind,
                scenario,
                items: Vec::new(),
                records: Vec::new(),
                contacts: Vec::new(),
                promises: Vec::new(),
                payments: payments.remove(&id).unwrap_or_default(),
                plan: None,
                procedure: None,
                risk: risk.binary_search_by_key(&id, |(d, _)| *d).map(|i| risk[i].1).unwrap_or_default(),
            });
        }
        for row in open {
            if let Some(case) = by_debtor.get_mut(row.debtor_id) {
                case.items.push(OpenItem {
                    disputed: disputed.binary_search(&row.invoice_id).is_ok(),
                    number: row.number,
                    due_date: row.due_date,
                    outstanding: row.owed,
                });
            }
        }
        let mut acknowledged: Vec<String> = Vec::new();
        let mut declared: Vec<i64> = Vec::new();
        for ActionRow {
            debtor_id,
            action_key: key,
            kind,
            step_index,
            outcome,
            acted_on,
            postponed_until: until,
            invoices,
        } in actions
        {
            match kind.as_str() {
                "promise" => acknowledged.push(key),
                "declaration" if outcome == "done" => declared.push(debtor_id),
                "step" => {
                    let Some(case) = by_debtor.get_mut(debtor_id) else { continue };
                    let outcome = match (outcome.as_str(), until) {
                        ("done", _) => Outcome::Done,
                        ("skipped", _) => Outcome::Skipped,
                        (_, Some(until)) => Outcome::Postponed(until),
                        (other, None) => return Err(corrupt("dunning_actions.outcome", other)),
                    };
                    case.records.push(StepRecord {
                        step_index: usize::try_from(step_index.unwrap_or(0)).unwrap_or(0),
                        outcome,
                        on: acted_on,
                        invoices: invoices.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
                    });
                }
                _ => {}
            }
        }
        for (debtor_id, occurred_at) in contacts {
            if let Some(case) = by_debtor.get_mut(debtor_id) {
                case.contacts.push(occurred_at.date());
            }
        }
        for (id, debtor_id, made_on, due_on, amount) in promises {
            if let Some(case) = by_debtor.get_mut(debtor_id) {
                let promise = Promise {
                    id,
                    made_on,
                    due_on,
                    amount: from_cents(amount),
                    acknowledged: acknowledged.contains(&format!("{debtor_id}-promise-{id}")),
                };
                if promise.status(&case.payments, at) == PromiseStatus::Broken {
                    case.risk.broken_promises += 1;
                }
                case.promises.push(promise);
            }
        }
        for (id, debtor_id, created_on, defaulted_on) in plans {
            if let Some(case) = by_debtor.get_mut(debtor_id) {
                let plan = super::dunning::load_plan(&mut *self.pool.acquire().await?, id).await?;
                let paid = crate::dunning::plan::paid_toward(created_on, &case.payments, at);
                // The latest plan is the one that counts.
                case.plan = Some(PlanFacts {
                    id,
                    instalments: plan.instalments,
                    paid,
                    defaulted: defaulted_on.is_some_and(|d| d <= at),
                });
            }
        }
        for (debtor_id, judgment_date, published) in procedures {
            if let Some(case) = by_debtor.get_mut(debtor_id) {
                case.procedure = Some(ProcedureFacts {
                    judgment_date,
                    declaration_deadline: published.and_then(|p| p.checked_add_months(chrono::Months::new(2))),
                    declared: declared.contains(&debtor_id),
                });
            }
        }
        for case in &mut by_debtor.0 {
            case.risk.open_disputes = u32::try_from(case.items.iter().filter(|i| i.disputed).count()).unwrap_or(0);
        }
        Ok(by_debtor.0)
    }

    /// A debtor's payments received up to `at` (day, amount): what promises and plans are checked against.
    pub(super) async fn payments_received(&self, debtor_id: i64, at: NaiveDate) -> Result<Vec<(NaiveDate, Decimal)>> {
        let rows: Vec<(NaiveDate, i64)> =
            sqlx::query_as("SELECT received_on, amount_cents FROM payments WHERE debtor_id = $1 AND received_on <= $2")
                .bind(debtor_id)
                .bind(at)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(d, a)| (d, from_cents(a))).collect())
    }

    /// A debtor's promises to pay, each with where it stands at `at`.
    pub async fn promises_at(&self, debtor_id: i64, at: NaiveDate) -> Result<Vec<(PromiseRecord, PromiseStatus)>> {
        let payments = self.payments_received(debtor_id, at).await?;
        Ok(with_status(self.promises(debtor_id).await?, &payments, at))
    }

    /// The agenda at `now`.
    pub async fn agenda(&self, now: NaiveDateTime) -> Result<Agenda> {
        let cases = self.dunning_cases(now.date(), None).await?;
        Ok(agenda::agenda(&cases, &self.scenarios().await?, self.guard_settings().await?, now))
    }

    /// Records what the user did with an action of today's agenda: a step done records the
    /// interactions (and a formal notice, for that step), advances the scenario; skipped or
    /// postponed, it records why. One transaction.
    pub async fn act(&self, action_id: &str, act: &Act, now: NaiveDateTime) -> Result<Action> {
        let debtor_id: i64 = action_id.split('-').next().and_then(|d| d.parse().ok()).ok_or_else(|| {
            Error::invalid(Field::Status, action_id, "identifiant d'action de l'agenda attendu (par exemple 12-3)")
        })?;
        let cases = self.dunning_cases(now.date(), Some(debtor_id)).await?;
        let today = agenda::agenda(&cases, &self.scenarios().await?, self.guard_settings().await?, now);
        let (action, waits) = match today.actions.into_iter().find(|a| a.id == action_id) {
            Some(a) => (a, None),
            None => match today.waiting.into_iter().find(|w| w.action.id == action_id) {
                Some(w) => (w.action, Some(w.why)),
                None => {
                    return Err(Error::invalid(
                        Field::Status,
                        action_id,
                        "cette action n'est pas à l'agenda de ce jour (recouvre agenda)",
                    ));
                }
            },
        };
        if let (Act::Done { .. }, Some(why)) = (act, &waits) {
            return Err(Error::invalid(Field::Status, action_id, format!("cette action attend : {}", why.join(" ; "))));
        }
        if let (Act::Postpone(until, _), _) = (act, &waits)
            && *until <= now.date()
        {
            return Err(Error::invalid(Field::Date, until.to_string(), "un report va au-delà d'aujourd'hui"));
        }
        if let (Some(needs), Act::Done { .. }) = (action.done_needs(), act) {
            return Err(Error::invalid(Field::Status, action_id, format!("à décider : {needs}")));
        }
        // A letter or an e-mail step done is linked to the document sent: the one printed today
        // ("print the day"), else one produced now.
        let letter = match (&action.kind, act) {
            (ActionKind::Step { template, deadline_days, .. }, Act::Done { .. }) => {
                DocumentKind::for_template(*template)
                    .filter(|_| {
                        action
                            .channels
                            .iter()
                            .any(|c| matches!(c, Channel::Letter | Channel::RegisteredLetter | Channel::Email))
                    })
                    .map(|kind| (kind, *deadline_days))
            }
            _ => None,
        };
        let pending = match letter {
            Some((kind, deadline)) if !self.has_unsent_document(debtor_id, kind, now.date()).await? => {
                self.letter_for_action(debtor_id, kind, deadline, now.date()).await
            }
            _ => None,
        };
        let mut tx = self.begin().await?;
        let interactions = tx.record_act(&action, act, now).await?;
        if let (Some((kind, _)), Some(&first)) = (letter, interactions.first()) {
            let linked = match tx.link_document(debtor_id, kind, now.date(), first).await? {
                Some(sha256) => Some(sha256),
                None => match pending {
                    Some(pending) => Some(tx.store_document(pending, Some(first)).await?.document.sha256),
                    None => None,
                },
            };
            if let Some(sha256) = linked {
                for id in &interactions {
                    tx.set_interaction_document(*id, &sha256).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(action)
    }
}

impl WriteTx {
    /// Records the act; returns the interactions it logged.
    async fn record_act(&mut self, action: &Action, act: &Act, now: NaiveDateTime) -> Result<Vec<i64>> {
        let today = now.date();
        let (kind, step_index) = match &action.kind {
            ActionKind::Step { index, .. } => ("step", Some(i64::try_from(*index).unwrap_or(0))),
            ActionKind::DeclareClaim { .. } => ("declaration", None),
            ActionKind::InstalmentMissed { .. } => ("plan", None),
            ActionKind::PromiseBroken { .. } => ("promise", None),
        };
        let (outcome, until, reason) = match act {
            Act::Done { note } => ("done", None, note.clone()),
            Act::Skip(reason) => ("skipped", None, reason.clone()),
            Act::Postpone(until, reason) => ("postponed", Some(*until), reason.clone()),
        };
        let mut interactions = Vec::new();
        if let Act::Done { note } = act {
            let summary = match &action.kind {
                ActionKind::Step { template, .. } => {
                    format!("{} — factures {}", template.label(), action.invoices.join(", "))
                }
                ActionKind::DeclareClaim { .. } => "déclaration de créance au mandataire judiciaire".to_owned(),
                ActionKind::InstalmentMissed { .. } | ActionKind::PromiseBroken { .. } => String::new(),
            };
            if !summary.is_empty() {
                for channel in &action.channels {
                    let Some(channel) = ContactChannel::of(*channel) else { continue };
                    let id = self
                        .add_interaction(&super::NewInteraction {
                            debtor_id: action.debtor_id,
                            occurred_at: now,
                            channel,
                            outbound: true,
                            summary: summary.clone(),
                            outcome: note.clone(),
                            files: Vec::new(),
                        })
                        .await?;
                    interactions.push(id);
                }
            }
            if let ActionKind::Step { template: Template::FormalNotice, .. } = action.kind {
                // The formal notice starts legal interest on a consumer's debt: the law engine reads it here.
                self.add_formal_notice(FormalNoticeForm {
                    debtor_id: action.debtor_id,
                    sent_on: today.to_string(),
                    registered_number: None,
                    received_on: None,
                })
                .await?;
                if super::dunning::current_stage(self.conn(), action.debtor_id).await? == Stage::Amiable {
                    self.move_case(action.debtor_id, Stage::FormalNotice, today, "mise en demeure envoyée").await?;
                }
            }
        }
        let now_stamp = self.now;
        sqlx::query(
            "INSERT INTO dunning_actions (debtor_id, action_key, kind, step_index, outcome, acted_on, postponed_until, reason, \
                 invoices, interaction_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(action.debtor_id)
        .bind(&action.id)
        .bind(kind)
        .bind(step_index)
        .bind(outcome)
        .bind(today)
        .bind(until)
        .bind(reason.trim())
        .bind(action.invoices.join(","))
        .bind(interactions.first())
        .bind(now_stamp)
        .execute(self.conn())
        .await?;
        Ok(interactions)
    }
}
