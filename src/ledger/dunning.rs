//! Dunning records in the ledger: scenarios and their assignment, guard settings, interactions,
//! promises, disputes, payment plans, case stages.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use sqlx::{Row, SqliteConnection};

use super::invoices::find_id;
use super::rows::{cents, corrupt};
use super::{Ledger, WriteTx};
use crate::dunning::guard::GuardSettings;
use crate::dunning::plan::{self, Frequency, Instalment, Split};
use crate::dunning::records::{
    ContactChannel, Dispute, DisputeReason, Interaction, PaymentPlan, PromiseRecord, Resolution, Stage, Transition,
};
use crate::dunning::scenario::{self, Channel, Scenario, Step, Template, Tone};
use crate::error::{Error, Field, Result};
use crate::law::facts::PrescriptionEventKind;
use crate::money::{from_cents, to_plain};
use crate::parties::Segment;
use crate::receivables::invoice::NewAttachment;

/// A new interaction, typed.
#[derive(Debug, Clone)]
pub struct NewInteraction {
    /// Debtor.
    pub debtor_id: i64,
    /// When.
    pub occurred_at: NaiveDateTime,
    /// How.
    pub channel: ContactChannel,
    /// From us to the debtor.
    pub outbound: bool,
    /// What.
    pub summary: String,
    /// Outcome.
    pub outcome: String,
    /// Files.
    pub files: Vec<NewAttachment>,
}

async fn load_scenario(conn: &mut SqliteConnection, key: &str) -> Result<Option<Scenario>> {
    let name: Option<String> =
        sqlx::query_scalar("SELECT name FROM scenarios WHERE key = $1").bind(key).fetch_optional(&mut *conn).await?;
    let Some(name) = name else { return Ok(None) };
    let rows = sqlx::query(
        "SELECT offset_days, channels, template, tone, deadline_days FROM scenario_steps \
         WHERE scenario_key = $1 ORDER BY position",
    )
    .bind(key)
    .fetch_all(&mut *conn)
    .await?;
    let mut steps = Vec::with_capacity(rows.len());
    for row in rows {
        let channels: String = row.try_get("channels")?;
        let template: String = row.try_get("template")?;
        let tone: String = row.try_get("tone")?;
        let deadline: Option<i64> = row.try_get("deadline_days")?;
        let offset: i64 = row.try_get("offset_days")?;
        steps.push(Step {
            offset_days: i32::try_from(offset)
                .map_err(|_| corrupt("scenario_steps.offset_days", &offset.to_string()))?,
            channels: channels
                .split(',')
                .map(Channel::parse)
                .collect::<Result<_>>()
                .map_err(|_| corrupt("scenario_steps.channels", &channels))?,
            template: Template::parse(&template).map_err(|_| corrupt("scenario_steps.template", &template))?,
            tone: Tone::parse(&tone).map_err(|_| corrupt("scenario_steps.tone", &tone))?,
            deadline_days: deadline.and_then(|d| u32::try_from(d).ok()),
        });
    }
    Ok(Some(Scenario { key: key.to_owned(), name, steps }))
}

async fn save_scenario(
    conn: &mut SqliteConnection,
    scenario: &Scenario,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    scenario.check()?;
    sqlx::query(
        "INSERT INTO scenarios (key, name, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at",
    )
    .bind(&scenario.key)
    .bind(&scenario.name)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM scenario_steps WHERE scenario_key = $1").bind(&scenario.key).execute(&mut *conn).await?;
    for (position, step) in scenario.steps.iter().enumerate() {
        sqlx::query(
            "INSERT INTO scenario_steps (scenario_key, position, offset_days, channels, template, tone, deadline_days) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&scenario.key)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(i64::from(step.offset_days))
        .bind(step.channels.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(","))
        .bind(step.template.as_str())
        .bind(step.tone.as_str())
        .bind(step.deadline_days.map(i64::from))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Reads the stage of a case (amiable until a transition says otherwise).
pub(super) async fn current_stage(conn: &mut SqliteConnection, debtor_id: i64) -> Result<Stage> {
    let stage: Option<String> = sqlx::query_scalar(
        "SELECT stage FROM case_transitions WHERE debtor_id = $1 ORDER BY on_date DESC, id DESC LIMIT 1",
    )
    .bind(debtor_id)
    .fetch_optional(conn)
    .await?;
    stage.map_or(Ok(Stage::Amiable), |s| Stage::parse(&s).map_err(|_| corrupt("case_transitions.stage", &s)))
}

impl WriteTx {
    /// Creates or replaces a scenario (checked first).
    pub async fn save_scenario(&mut self, scenario: &Scenario) -> Result<()> {
        let now = self.now;
        save_scenario(self.conn(), scenario, now).await
    }

    /// Gives a debtor their own scenario (`None`: back to their segment's).
    pub async fn assign_scenario(&mut self, debtor_id: i64, key: Option<&str>) -> Result<()> {
        super::debtors::load(self.conn(), debtor_id).await?;
        if let Some(key) = key
            && load_scenario(self.conn(), key).await?.is_none()
        {
            return Err(Error::invalid(Field::Name, key, "scénario inconnu (recouvre scenario list)"));
        }
        sqlx::query("UPDATE debtors SET scenario_key = $1 WHERE id = $2")
            .bind(key)
            .bind(debtor_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Sets the scenario a segment gets.
    pub async fn set_segment_scenario(&mut self, segment: Segment, key: &str) -> Result<()> {
        if load_scenario(self.conn(), key).await?.is_none() {
            return Err(Error::invalid(Field::Name, key, "scénario inconnu (recouvre scenario list)"));
        }
        sqlx::query(
            "INSERT INTO segment_scenarios (segment, scenario_key) VALUES ($1, $2) \
             ON CONFLICT (segment) DO UPDATE SET scenario_key = excluded.scenario_key",
        )
        .bind(segment.as_str())
        .bind(key)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Sets the harassment guard's limits.
    pub async fn set_guard(&mut self, settings: GuardSettings) -> Result<()> {
        if !(1..=60).contains(&settings.min_days_between_contacts) {
            return Err(Error::invalid(
                Field::Count,
                settings.min_days_between_contacts.to_string(),
                "de 1 à 60 jours",
            ));
        }
        if !(1..=7).contains(&settings.max_contacts_per_week) {
            return Err(Error::invalid(
                Field::Count,
                settings.max_contacts_per_week.to_string(),
                "de 1 à 7 contacts par semaine",
            ));
        }
        sqlx::query(
            "INSERT INTO dunning_settings (id, min_days_between_contacts, max_contacts_per_week) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO UPDATE SET min_days_between_contacts = excluded.min_days_between_contacts, \
                 max_contacts_per_week = excluded.max_contacts_per_week",
        )
        .bind(i64::from(settings.min_days_between_contacts))
        .bind(i64::from(settings.max_contacts_per_week))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Records a contact with a debtor.
    pub async fn add_interaction(&mut self, new: &NewInteraction) -> Result<i64> {
        super::debtors::load(self.conn(), new.debtor_id).await?;
        if new.summary.trim().is_empty() {
            return Err(Error::invalid(Field::Name, "", "résumez l'échange en quelques mots"));
        }
        let now = self.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO interactions (debtor_id, occurred_at, channel, direction, summary, outcome, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.debtor_id)
        .bind(new.occurred_at)
        .bind(new.channel.as_str())
        .bind(if new.outbound { "out" } else { "in" })
        .bind(new.summary.trim())
        .bind(new.outcome.trim())
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        for file in &new.files {
            let sha = super::invoices::store_attachment(self.conn(), file, now).await?;
            sqlx::query(
                "INSERT OR IGNORE INTO interaction_files (interaction_id, sha256, file_name) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(&sha)
            .bind(&file.file_name)
            .execute(self.conn())
            .await?;
        }
        Ok(id)
    }

    /// Records a promise to pay (it pauses the scenario until its day).
    pub async fn add_promise(
        &mut self,
        debtor_id: i64,
        made_on: NaiveDate,
        due_on: NaiveDate,
        amount: Decimal,
        note: &str,
    ) -> Result<PromiseRecord> {
        super::debtors::load(self.conn(), debtor_id).await?;
        if amount <= Decimal::ZERO {
            return Err(Error::invalid(Field::Amount, to_plain(amount), "un montant promis est positif"));
        }
        if due_on < made_on {
            return Err(Error::invalid(
                Field::Date,
                due_on.to_string(),
                format!("la promesse ne peut échoir avant d'être faite ({made_on})"),
            ));
        }
        let now = self.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO promises (debtor_id, made_on, due_on, amount_cents, note, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(debtor_id)
        .bind(made_on)
        .bind(due_on)
        .bind(cents(Field::Amount, amount)?)
        .bind(note.trim())
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(PromiseRecord { id, debtor_id, made_on, due_on, amount, note: note.trim().to_owned() })
    }

    /// Opens a dispute on an invoice (its dunning pauses).
    pub async fn open_dispute(
        &mut self,
        invoice_number: &str,
        opened_on: NaiveDate,
        reason: DisputeReason,
        note: &str,
    ) -> Result<Dispute> {
        let invoice_id = find_id(self.conn(), invoice_number)
            .await?
            .ok_or_else(|| Error::UnknownInvoice(invoice_number.to_owned()))?;
        let open: Option<i64> =
            sqlx::query_scalar("SELECT id FROM disputes WHERE invoice_id = $1 AND resolved_on IS NULL")
                .bind(invoice_id)
                .fetch_optional(self.conn())
                .await?;
        if let Some(id) = open {
            return Err(Error::invalid(
                Field::InvoiceNumber,
                invoice_number,
                format!("un litige est déjà ouvert sur cette facture (n° {id})"),
            ));
        }
        let now = self.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO disputes (invoice_id, opened_on, reason, note, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(invoice_id)
        .bind(opened_on)
        .bind(reason.as_str())
        .bind(note.trim())
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(Dispute {
            id,
            invoice_number: invoice_number.to_owned(),
            opened_on,
            reason,
            note: note.trim().to_owned(),
            resolved: None,
        })
    }

    /// Resolves a dispute: dunning of the invoice resumes (or ends, if a credit note settled it).
    pub async fn resolve_dispute(
        &mut self,
        dispute_id: i64,
        on: NaiveDate,
        resolution: Resolution,
        note: &str,
    ) -> Result<()> {
        let opened: Option<(NaiveDate, Option<NaiveDate>)> =
            sqlx::query_as("SELECT opened_on, resolved_on FROM disputes WHERE id = $1")
                .bind(dispute_id)
                .fetch_optional(self.conn())
                .await?;
        let Some((opened_on, resolved)) = opened else {
            return Err(Error::invalid(Field::Count, dispute_id.to_string(), "litige inconnu"));
        };
        if resolved.is_some() {
            return Err(Error::invalid(Field::Count, dispute_id.to_string(), "ce litige est déjà résolu"));
        }
        if on < opened_on {
            return Err(Error::invalid(Field::Date, on.to_string(), format!("le litige a été ouvert le {opened_on}")));
        }
        sqlx::query("UPDATE disputes SET resolved_on = $1, resolution = $2, resolution_note = $3 WHERE id = $4")
            .bind(on)
            .bind(resolution.as_str())
            .bind(note.trim())
            .bind(dispute_id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Creates a payment plan for what a debtor owes.
    #[allow(clippy::too_many_arguments)] // The plan's own terms; a struct would only rename them.
    pub async fn create_plan(
        &mut self,
        debtor_id: i64,
        created_on: NaiveDate,
        total: Decimal,
        includes_penalties: bool,
        split: Split,
        frequency: Frequency,
        first: NaiveDate,
        note: &str,
    ) -> Result<PaymentPlan> {
        super::debtors::load(self.conn(), debtor_id).await?;
        if first < created_on {
            return Err(Error::invalid(Field::Date, first.to_string(), "la première échéance suit la date du plan"));
        }
        let instalments = plan::build(total, split, frequency, first)?;
        let now = self.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO payment_plans (debtor_id, created_on, total_cents, includes_penalties, frequency, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(debtor_id)
        .bind(created_on)
        .bind(cents(Field::Amount, total)?)
        .bind(i64::from(includes_penalties))
        .bind(frequency.as_str())
        .bind(note.trim())
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        write_instalments(self.conn(), id, &instalments).await?;
        load_plan(self.conn(), id).await
    }

    /// Replaces a plan's instalments (a delay granted, amounts rearranged): they must still add up
    /// to the plan's total exactly.
    pub async fn edit_plan(&mut self, plan_id: i64, instalments: &[Instalment]) -> Result<PaymentPlan> {
        let current = load_plan(self.conn(), plan_id).await?;
        plan::check(current.total, instalments)?;
        write_instalments(self.conn(), plan_id, instalments).await?;
        load_plan(self.conn(), plan_id).await
    }

    /// Grants a delay on instalment `number` (1 for the first): it falls due on `to` instead.
    pub async fn delay_instalment(&mut self, plan_id: i64, number: usize, to: NaiveDate) -> Result<PaymentPlan> {
        let current = load_plan(self.conn(), plan_id).await?;
        if current.defaulted_on.is_some() {
            return Err(Error::invalid(Field::Status, plan_id.to_string(), "la déchéance du terme a été prononcée"));
        }
        let instalments = plan::delay(&current.instalments, number, to)?;
        self.edit_plan(plan_id, &instalments).await
    }

    /// Records the debtor's signature: the plan becomes an acknowledgement of debt, which
    /// interrupts prescription (C. civ. 2240).
    pub async fn sign_plan(&mut self, plan_id: i64, on: NaiveDate) -> Result<PaymentPlan> {
        let current = load_plan(self.conn(), plan_id).await?;
        if let Some(signed) = current.signed_on {
            return Err(Error::invalid(
                Field::Status,
                plan_id.to_string(),
                format!("l'échéancier a déjà été signé le {}", crate::dates::format_date_fr(signed)),
            ));
        }
        if on < current.created_on {
            return Err(Error::invalid(Field::Date, on.to_string(), "la signature suit la date du plan"));
        }
        sqlx::query("UPDATE payment_plans SET signed_on = $1 WHERE id = $2")
            .bind(on)
            .bind(plan_id)
            .execute(self.conn())
            .await?;
        let event = crate::law::facts::PrescriptionEvent {
            id: 0,
            debtor_id: current.debtor_id,
            invoice_number: None,
            kind: PrescriptionEventKind::Acknowledgement,
            occurred_on: on,
            ended_on: None,
            note: format!("échéancier n° {plan_id} signé"),
        };
        self.add_prescription_event(&event).await?;
        load_plan(self.conn(), plan_id).await
    }

    /// Declares the whole balance due after a missed instalment (déchéance du terme): dunning resumes.
    pub async fn default_plan(&mut self, plan_id: i64, on: NaiveDate) -> Result<PaymentPlan> {
        let current = load_plan(self.conn(), plan_id).await?;
        if let Some(already) = current.defaulted_on {
            return Err(Error::invalid(
                Field::Status,
                plan_id.to_string(),
                format!("la déchéance du terme a déjà été prononcée le {}", crate::dates::format_date_fr(already)),
            ));
        }
        if on < current.created_on {
            return Err(Error::invalid(Field::Date, on.to_string(), "la déchéance suit la date du plan"));
        }
        sqlx::query("UPDATE payment_plans SET defaulted_on = $1 WHERE id = $2")
            .bind(on)
            .bind(plan_id)
            .execute(self.conn())
            .await?;
        load_plan(self.conn(), plan_id).await
    }

    /// Moves a debtor's case to a stage.
    pub async fn move_case(&mut self, debtor_id: i64, stage: Stage, on: NaiveDate, note: &str) -> Result<()> {
        super::debtors::load(self.conn(), debtor_id).await?;
        let current = current_stage(self.conn(), debtor_id).await?;
        if current == stage {
            return Ok(());
        }
        if !current.may_move_to(stage) {
            return Err(Error::invalid(
                Field::Status,
                stage.as_str(),
                format!("le dossier est au stade « {} » et ne peut revenir en arrière", current.label()),
            ));
        }
        let now = self.now;
        sqlx::query(
            "INSERT INTO case_transitions (debtor_id, stage, on_date, note, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(debtor_id)
        .bind(stage.as_str())
        .bind(on)
        .bind(note.trim())
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

async fn write_instalments(conn: &mut SqliteConnection, plan_id: i64, instalments: &[Instalment]) -> Result<()> {
    sqlx::query("DELETE FROM plan_instalments WHERE plan_id = $1").bind(plan_id).execute(&mut *conn).await?;
    for (position, i) in instalments.iter().enumerate() {
        sqlx::query("INSERT INTO plan_instalments (plan_id, position, due_on, amount_cents) VALUES ($1, $2, $3, $4)")
            .bind(plan_id)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(i.due_on)
            .bind(cents(Field::Amount, i.amount)?)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub(super) async fn load_plan(conn: &mut SqliteConnection, id: i64) -> Result<PaymentPlan> {
    let row = sqlx::query(
        "SELECT debtor_id, created_on, total_cents, includes_penalties, frequency, signed_on, defaulted_on, note \
         FROM payment_plans WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::invalid(Field::Count, id.to_string(), "échéancier inconnu"))?;
    let instalments: Vec<(NaiveDate, i64)> =
        sqlx::query_as("SELECT due_on, amount_cents FROM plan_instalments WHERE plan_id = $1 ORDER BY position")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let frequency: String = row.try_get("frequency")?;
    let includes: i64 = row.try_get("includes_penalties")?;
    Ok(PaymentPlan {
        id,
        debtor_id: row.try_get("debtor_id")?,
        created_on: row.try_get("created_on")?,
        total: from_cents(row.try_get("total_cents")?),
        includes_penalties: includes == 1,
        frequency: Frequency::parse(&frequency).map_err(|_| corrupt("payment_plans.frequency", &frequency))?,
        instalments: instalments
            .into_iter()
            .map(|(due_on, amount)| Instalment { due_on, amount: from_cents(amount) })
            .collect(),
        signed_on: row.try_get("signed_on")?,
        defaulted_on: row.try_get("defaulted_on")?,
        note: row.try_get("note")?,
    })
}

impl Ledger {
    /// Inserts the shipped scenarios and segment assignments that are missing (never overwrites a
    /// user's edits).
    pub(super) async fn sync_default_scenarios(&self) -> Result<()> {
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM scenarios").fetch_one(&self.pool).await?;
        let segments: i64 = sqlx::query_scalar("SELECT count(*) FROM segment_scenarios").fetch_one(&self.pool).await?;
        if count >= 3 && segments >= 3 {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        let now = tx.now;
        for s in scenario::defaults() {
            if load_scenario(tx.conn(), &s.key).await?.is_none() {
                save_scenario(tx.conn(), &s, now).await?;
            }
        }
        for segment in [Segment::Nouveau, Segment::Regulier, Segment::Strategique] {
            sqlx::query("INSERT OR IGNORE INTO segment_scenarios (segment, scenario_key) VALUES ($1, $2)")
                .bind(segment.as_str())
                .bind(scenario::default_for(segment))
                .execute(tx.conn())
                .await?;
        }
        tx.commit().await
    }

    /// Every scenario, shipped ones first.
    pub async fn scenarios(&self) -> Result<Vec<Scenario>> {
        let keys: Vec<String> = sqlx::query_scalar(
            "SELECT key FROM scenarios ORDER BY CASE key WHEN 'standard' THEN 0 WHEN 'strict' THEN 1 WHEN 'souple' THEN 2 ELSE 3 END, key",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            out.extend(load_scenario(&mut conn, &key).await?);
        }
        Ok(out)
    }

    /// Which scenario each segment gets.
    pub async fn segment_scenarios(&self) -> Result<Vec<(Segment, String)>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT segment, scenario_key FROM segment_scenarios ORDER BY segment")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(segment, key)| {
                Ok((Segment::parse(&segment).map_err(|_| corrupt("segment_scenarios.segment", &segment))?, key))
            })
            .collect()
    }

    /// The guard's limits (defaults until set).
    pub async fn guard_settings(&self) -> Result<GuardSettings> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT min_days_between_contacts, max_contacts_per_week FROM dunning_settings WHERE id = 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map_or_else(GuardSettings::default, |(min, max)| GuardSettings {
            min_days_between_contacts: u32::try_from(min).unwrap_or(5),
            max_contacts_per_week: u32::try_from(max).unwrap_or(2),
        }))
    }

    /// A debtor's interactions, oldest first.
    pub async fn interactions(&self, debtor_id: i64) -> Result<Vec<Interaction>> {
        self.debtor(debtor_id).await?;
        let rows = sqlx::query("SELECT id, occurred_at, channel, direction, summary, outcome, document_sha256 FROM interactions WHERE debtor_id = $1 ORDER BY occurred_at, id")
            .bind(debtor_id)
            .fetch_all(&self.pool)
            .await?;
        let files: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT f.interaction_id, f.file_name, f.sha256 FROM interaction_files f \
             JOIN interactions i ON i.id = f.interaction_id WHERE i.debtor_id = $1",
        )
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                let channel: String = row.try_get("channel")?;
                let direction: String = row.try_get("direction")?;
                Ok(Interaction {
                    id,
                    debtor_id,
                    occurred_at: row.try_get("occurred_at")?,
                    channel: ContactChannel::parse(&channel).map_err(|_| corrupt("interactions.channel", &channel))?,
                    outbound: direction == "out",
                    summary: row.try_get("summary")?,
                    outcome: row.try_get("outcome")?,
                    files: files
                        .iter()
                        .filter(|(i, ..)| *i == id)
                        .map(|(_, name, sha)| (name.clone(), sha.clone()))
                        .collect(),
                    document_sha256: row.try_get("document_sha256")?,
                })
            })
            .collect()
    }

    /// A debtor's promises, oldest first.
    pub async fn promises(&self, debtor_id: i64) -> Result<Vec<PromiseRecord>> {
        let rows: Vec<(i64, NaiveDate, NaiveDate, i64, String)> = sqlx::query_as(
            "SELECT id, made_on, due_on, amount_cents, note FROM promises WHERE debtor_id = $1 ORDER BY made_on, id",
        )
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, made_on, due_on, amount, note)| PromiseRecord {
                id,
                debtor_id,
                made_on,
                due_on,
                amount: from_cents(amount),
                note,
            })
            .collect())
    }

    /// Disputes on a debtor's invoices, oldest first.
    pub async fn disputes(&self, debtor_id: i64) -> Result<Vec<Dispute>> {
        let rows = sqlx::query(
            "SELECT d.id, i.number, d.opened_on, d.reason, d.note, d.resolved_on, d.resolution, d.resolution_note \
             FROM disputes d JOIN invoices i ON i.id = d.invoice_id WHERE i.debtor_id = $1 ORDER BY d.opened_on, d.id",
        )
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let reason: String = row.try_get("reason")?;
                let resolved_on: Option<NaiveDate> = row.try_get("resolved_on")?;
                let resolution: Option<String> = row.try_get("resolution")?;
                let resolved = match (resolved_on, resolution) {
                    (Some(on), Some(r)) => Some((
                        on,
                        Resolution::parse(&r).map_err(|_| corrupt("disputes.resolution", &r))?,
                        row.try_get("resolution_note")?,
                    )),
                    _ => None,
                };
                Ok(Dispute {
                    id: row.try_get("id")?,
                    invoice_number: row.try_get("number")?,
                    opened_on: row.try_get("opened_on")?,
                    reason: DisputeReason::parse(&reason).map_err(|_| corrupt("disputes.reason", &reason))?,
                    note: row.try_get("note")?,
                    resolved,
                })
            })
            .collect()
    }

    /// A payment plan.
    pub async fn plan(&self, id: i64) -> Result<PaymentPlan> {
        load_plan(&mut *self.pool.acquire().await?, id).await
    }

    /// A debtor's plans, oldest first.
    pub async fn plans_of(&self, debtor_id: i64) -> Result<Vec<PaymentPlan>> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM payment_plans WHERE debtor_id = $1 ORDER BY created_on, id")
                .bind(debtor_id)
                .fetch_all(&self.pool)
                .await?;
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(load_plan(&mut conn, id).await?);
        }
        Ok(out)
    }

    /// A debtor's case: the current stage and its timeline.
    pub async fn case_timeline(&self, debtor_id: i64) -> Result<(Stage, Vec<Transition>)> {
        self.debtor(debtor_id).await?;
        let rows: Vec<(String, NaiveDate, String)> = sqlx::query_as(
            "SELECT stage, on_date, note FROM case_transitions WHERE debtor_id = $1 ORDER BY on_date, id",
        )
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        let timeline = rows
            .into_iter()
            .map(|(stage, on, note)| {
                Ok(Transition {
                    stage: Stage::parse(&stage).map_err(|_| corrupt("case_transitions.stage", &stage))?,
                    on,
                    note,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((timeline.last().map_or(Stage::Amiable, |t| t.stage), timeline))
    }
}
