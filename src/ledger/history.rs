//! A debtor's collection history: the case stage and its timeline, every contact, promise, dispute
//! and payment plan, with where each stands at a date. What a user checks before calling a debtor,
//! and what the court dossier will rely on.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Ledger;
use crate::dunning::agenda::PromiseStatus;
use crate::dunning::plan::{InstalmentStatus, paid_toward, track};
use crate::dunning::records::{Dispute, Interaction, PaymentPlan, PromiseRecord, Stage, Transition};
use crate::error::Result;
use crate::law::statement::Scope;

/// A payment plan and how it stands at a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanStanding {
    /// The plan.
    pub plan: PaymentPlan,
    /// Paid toward it since it was made.
    pub paid: Decimal,
    /// Each instalment's status and what is missing of it, in the plan's order.
    pub instalments: Vec<(InstalmentStatus, Decimal)>,
}

/// A debtor's collection history at a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DunningHistory {
    /// Current stage of the case.
    pub stage: Stage,
    /// Stage transitions, oldest first.
    pub timeline: Vec<Transition>,
    /// Contacts, oldest first.
    pub interactions: Vec<Interaction>,
    /// Promises to pay, each kept, pending or broken.
    pub promises: Vec<(PromiseRecord, PromiseStatus)>,
    /// Disputes on the debtor's invoices.
    pub disputes: Vec<Dispute>,
    /// Payment plans, oldest first.
    pub plans: Vec<PlanStanding>,
    /// Numbers of the open invoices not in dispute at the date (those a dispute may be opened on).
    pub disputable: Vec<String>,
}

impl Ledger {
    /// What a new payment plan spreads by default: the principal the debtor owes at `at`, or the
    /// total of their statement (penalties, interest, indemnities and costs included).
    pub async fn amount_to_spread(&self, debtor_id: i64, at: NaiveDate, with_penalties: bool) -> Result<Decimal> {
        if with_penalties {
            return Ok(self.statement(debtor_id, at, Scope::Unpaid).await?.total_due);
        }
        self.debtor(debtor_id).await?;
        Ok(self.debtor_balances(at, Some(debtor_id)).await?.first().map(|b| b.outstanding).unwrap_or_default())
    }

    /// How a payment plan stands at `at`.
    pub async fn plan_standing(&self, plan_id: i64, at: NaiveDate) -> Result<PlanStanding> {
        let plan = self.plan(plan_id).await?;
        let payments = self.payments_received(plan.debtor_id, at).await?;
        Ok(standing(plan, &payments, at))
    }

    /// Debtor `debtor_id`'s collection history, statuses at `at`.
    pub async fn dunning_history(&self, debtor_id: i64, at: NaiveDate) -> Result<DunningHistory> {
        let (stage, timeline) = self.case_timeline(debtor_id).await?;
        let payments = self.payments_received(debtor_id, at).await?;
        Ok(DunningHistory {
            stage,
            timeline,
            interactions: self.interactions(debtor_id).await?,
            promises: super::agenda::with_status(self.promises(debtor_id).await?, &payments, at),
            disputes: self.disputes(debtor_id).await?,
            plans: self.plans_of(debtor_id).await?.into_iter().map(|p| standing(p, &payments, at)).collect(),
            disputable: self
                .dunning_cases(at, Some(debtor_id))
                .await?
                .into_iter()
                .flat_map(|case| case.items)
                .filter(|item| !item.disputed)
                .map(|item| item.number)
                .collect(),
        })
    }
}

fn standing(plan: PaymentPlan, payments: &[(NaiveDate, Decimal)], at: NaiveDate) -> PlanStanding {
    let paid = paid_toward(plan.created_on, payments, at);
    let instalments = track(&plan.instalments, paid, at);
    PlanStanding { plan, paid, instalments }
}
