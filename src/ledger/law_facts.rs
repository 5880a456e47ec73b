//! What the law engine needs from the ledger: formal notices, collective procedures, recovery costs,
//! prescription events, and, assembled from them, a debtor's statement and limitation dates.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::SqliteConnection;

use super::invoices::find_id;
use super::rows::cents;
use super::{Ledger, WriteTx};
use crate::error::{Error, Field, Result};
use crate::law::facts::{
    CollectiveProcedure, FormalNotice, FormalNoticeForm, PrescriptionEvent, PrescriptionEventKind, ProcedureKind,
    RecoveryCost, RecoveryCostForm,
};
use crate::law::interest::{Movement, MovementKind};
use crate::law::prescription::{self, Limitation};
use crate::law::statement::{self, CreditorTerms, DebtorFacts, InvoiceFacts, Scope, Statement};
use crate::money::from_cents;
use crate::parties::LatePenaltyClause;

/// The limitation date of one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceLimitation {
    /// Debtor id.
    pub debtor_id: i64,
    /// Debtor name.
    pub debtor_name: String,
    /// Invoice number.
    pub invoice_number: String,
    /// Outstanding at the date.
    pub outstanding: Decimal,
    /// The limitation.
    pub limitation: Limitation,
}

async fn invoice_id(conn: &mut SqliteConnection, number: Option<&str>, debtor_id: i64) -> Result<Option<i64>> {
    let Some(number) = number else { return Ok(None) };
    let id = find_id(conn, number).await?.ok_or_else(|| Error::UnknownInvoice(number.to_owned()))?;
    let owner: i64 =
        sqlx::query_scalar("SELECT debtor_id FROM invoices WHERE id = $1").bind(id).fetch_one(&mut *conn).await?;
    if owner != debtor_id {
        return Err(Error::invalid(
            Field::InvoiceNumber,
            number,
            format!("cette facture est celle d'un autre débiteur (n° {owner})"),
        ));
    }
    Ok(Some(id))
}

impl WriteTx {
    /// Records a formal notice sent to a debtor.
    pub async fn add_formal_notice(&mut self, form: FormalNoticeForm) -> Result<FormalNotice> {
        let (debtor_id, sent_on, registered_number, received_on) = form.parse()?;
        super::debtors::load(self.conn(), debtor_id).await?;
        let now = self.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO formal_notices (debtor_id, sent_on, registered_number, received_on, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(debtor_id)
        .bind(sent_on)
        .bind(&registered_number)
        .bind(received_on)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(FormalNotice { id, debtor_id, sent_on, registered_number, received_on })
    }

    /// Records (or corrects) the collective procedure opened against a debtor.
    pub async fn record_procedure(&mut self, procedure: &CollectiveProcedure) -> Result<()> {
        let debtor = super::debtors::load(self.conn(), procedure.debtor_id).await?;
        if debtor.kind == crate::parties::DebtorKind::Consommateur {
            return Err(Error::invalid(
                Field::DebtorKind,
                debtor.kind.as_str(),
                "sauvegarde, redressement et liquidation judiciaires concernent les professionnels ; un particulier relève du surendettement (C. consom. L711-1), non pris en charge",
            ));
        }
        let now = self.now;
        sqlx::query(
            "INSERT INTO collective_procedures (debtor_id, kind, judgment_date, bodacc_published_on, mandataire_name, \
                 mandataire_address, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (debtor_id) DO UPDATE SET kind = excluded.kind, judgment_date = excluded.judgment_date, \
                 bodacc_published_on = excluded.bodacc_published_on, mandataire_name = excluded.mandataire_name, \
                 mandataire_address = excluded.mandataire_address",
        )
        .bind(procedure.debtor_id)
        .bind(procedure.kind.as_str())
        .bind(procedure.judgment_date)
        .bind(procedure.bodacc_published_on)
        .bind(&procedure.mandataire_name)
        .bind(&procedure.mandataire_address)
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Records a recovery cost (with its receipt stored in the ledger when given).
    pub async fn add_recovery_cost(
        &mut self,
        form: RecoveryCostForm,
        receipt: Option<crate::receivables::invoice::NewAttachment>,
    ) -> Result<RecoveryCost> {
        let (debtor_id, invoice_number, incurred_on, amount, description) = form.parse()?;
        super::debtors::load(self.conn(), debtor_id).await?;
        let invoice = invoice_id(self.conn(), invoice_number.as_deref(), debtor_id).await?;
        let now = self.now;
        let receipt_sha256 = match &receipt {
            Some(a) => Some(super::invoices::store_attachment(self.conn(), a, now).await?),
            None => None,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO recovery_costs (debtor_id, invoice_id, incurred_on, amount_cents, description, receipt_sha256, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(debtor_id)
        .bind(invoice)
        .bind(incurred_on)
        .bind(cents(Field::Amount, amount)?)
        .bind(&description)
        .bind(&receipt_sha256)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(RecoveryCost { id, debtor_id, invoice_number, incurred_on, amount, description, receipt_sha256 })
    }

    /// Records an event that interrupts or suspends prescription.
    pub async fn add_prescription_event(&mut self, event: &PrescriptionEvent) -> Result<PrescriptionEvent> {
        super::debtors::load(self.conn(), event.debtor_id).await?;
        let invoice = invoice_id(self.conn(), event.invoice_number.as_deref(), event.debtor_id).await?;
        let now = self.now;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO prescription_events (debtor_id, invoice_id, kind, occurred_on, ended_on, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(event.debtor_id)
        .bind(invoice)
        .bind(event.kind.as_str())
        .bind(event.occurred_on)
        .bind(event.ended_on)
        .bind(&event.note)
        .bind(now)
        .fetch_one(self.conn())
        .await?;
        Ok(PrescriptionEvent { id, ..event.clone() })
    }
}

/// A `collective_procedures` row.
#[derive(sqlx::FromRow)]
struct ProcedureRow {
    kind: String,
    judgment_date: NaiveDate,
    bodacc_published_on: Option<NaiveDate>,
    mandataire_name: Option<String>,
    mandataire_address: Option<String>,
}

/// A `recovery_costs` row with its invoice number.
#[derive(sqlx::FromRow)]
struct CostRow {
    id: i64,
    invoice_number: Option<String>,
    incurred_on: NaiveDate,
    amount_cents: i64,
    description: String,
    receipt_sha256: Option<String>,
}

/// A `prescription_events` row with its invoice number.
#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    invoice_number: Option<String>,
    kind: String,
    occurred_on: NaiveDate,
    ended_on: Option<NaiveDate>,
    note: String,
}

impl Ledger {
    /// Records a formal notice (one transaction).
    pub async fn add_formal_notice(&self, form: FormalNoticeForm) -> Result<FormalNotice> {
        let mut tx = self.begin().await?;
        let notice = tx.add_formal_notice(form).await?;
        tx.commit().await?;
        Ok(notice)
    }

    /// Records a collective procedure (one transaction).
    pub async fn record_procedure(&self, procedure: &CollectiveProcedure) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.record_procedure(procedure).await?;
        tx.commit().await
    }

    /// Records a recovery cost (one transaction).
    pub async fn add_recovery_cost(
        &self,
        form: RecoveryCostForm,
        receipt: Option<crate::receivables::invoice::NewAttachment>,
    ) -> Result<RecoveryCost> {
        let mut tx = self.begin().await?;
        let cost = tx.add_recovery_cost(form, receipt).await?;
        tx.commit().await?;
        Ok(cost)
    }

    /// Records a prescription event (one transaction).
    pub async fn add_prescription_event(&self, event: &PrescriptionEvent) -> Result<PrescriptionEvent> {
        let mut tx = self.begin().await?;
        let stored = tx.add_prescription_event(event).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// A debtor's formal notices, oldest first.
    pub async fn formal_notices(&self, debtor_id: i64) -> Result<Vec<FormalNotice>> {
        let rows: Vec<(i64, NaiveDate, Option<String>, Option<NaiveDate>)> = sqlx::query_as(
            "SELECT id, sent_on, registered_number, received_on FROM formal_notices WHERE debtor_id = $1 \
             ORDER BY sent_on, id",
        )
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, sent_on, registered_number, received_on)| FormalNotice {
                id,
                debtor_id,
                sent_on,
                registered_number,
                received_on,
            })
            .collect())
    }

    /// The collective procedure opened against a debtor, if any.
    pub async fn procedure(&self, debtor_id: i64) -> Result<Option<CollectiveProcedure>> {
        let row: Option<ProcedureRow> = sqlx::query_as(
            "SELECT kind, judgment_date, bodacc_published_on, mandataire_name, mandataire_address \
             FROM collective_procedures WHERE debtor_id = $1",
        )
        .bind(debtor_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(CollectiveProcedure {
                debtor_id,
                kind: ProcedureKind::parse(&r.kind)
                    .map_err(|_| super::rows::corrupt("collective_procedures.kind", &r.kind))?,
                judgment_date: r.judgment_date,
                bodacc_published_on: r.bodacc_published_on,
                mandataire_name: r.mandataire_name,
                mandataire_address: r.mandataire_address,
            })
        })
        .transpose()
    }

    /// A debtor's recovery costs, oldest first.
    pub async fn recovery_costs(&self, debtor_id: i64) -> Result<Vec<RecoveryCost>> {
        let rows: Vec<CostRow> = sqlx::query_as(
            "SELECT c.id, i.number AS invoice_number, c.incurred_on, c.amount_cents, c.description, c.receipt_sha256 \
             FROM recovery_costs c LEFT JOIN invoices i ON i.id = c.invoice_id \
             WHERE c.debtor_id = $1 ORDER BY c.incurred_on, c.id",
        )
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| RecoveryCost {
                id: r.id,
                debtor_id,
                invoice_number: r.invoice_number,
                incurred_on: r.incurred_on,
                amount: from_cents(r.amount_cents),
                description: r.description,
                receipt_sha256: r.receipt_sha256,
            })
            .collect())
    }

    /// A debtor's prescription events, oldest first.
    pub async fn prescription_events(&self, debtor_id: i64) -> Result<Vec<PrescriptionEvent>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT e.id, i.number AS invoice_number, e.kind, e.occurred_on, e.ended_on, e.note \
             FROM prescription_events e LEFT JOIN invoices i ON i.id = e.invoice_id \
             WHERE e.debtor_id = $1 ORDER BY e.occurred_on, e.id",
        )
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(PrescriptionEvent {
                    id: r.id,
                    debtor_id,
                    invoice_number: r.invoice_number,
                    kind: PrescriptionEventKind::parse(&r.kind)
                        .map_err(|_| super::rows::corrupt("prescription_events.kind", &r.kind))?,
                    occurred_on: r.occurred_on,
                    ended_on: r.ended_on,
                    note: r.note,
                })
            })
            .collect()
    }

    /// Payments and credit notes per invoice of a debtor, with each invoice's facts.
    async fn invoice_facts(&self, debtor_id: i64) -> Result<Vec<(crate::receivables::invoice::Invoice, InvoiceFacts)>> {
        // Every invoice ever issued: dates are compared as ISO text, so the horizon is a plain date.
        let horizon = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
        let lines = self
            .invoice_lines(&super::InvoiceFilter { debtor_id: Some(debtor_id), ..Default::default() }, horizon)
            .await?;
        let moves: Vec<(i64, NaiveDate, i64, Option<i64>)> = sqlx::query_as(
            "SELECT a.invoice_id, a.allocated_on, a.amount_cents, a.payment_id FROM allocations a \
             JOIN invoices i ON i.id = a.invoice_id WHERE i.debtor_id = $1 ORDER BY a.allocated_on, a.id",
        )
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(lines
            .into_iter()
            .map(|line| {
                let invoice = line.invoice;
                let movements = moves
                    .iter()
                    .filter(|(id, ..)| *id == invoice.id)
                    .map(|(_, date, amount, payment)| Movement {
                        date: *date,
                        amount: from_cents(*amount),
                        kind: if payment.is_some() { MovementKind::Payment } else { MovementKind::CreditNote },
                    })
                    .collect();
                let facts = InvoiceFacts {
                    number: invoice.number.clone(),
                    issue_date: invoice.issue_date,
                    due_date: invoice.due_date,
                    amount: invoice.amount_incl_vat,
                    movements,
                };
                (invoice, facts)
            })
            .collect())
    }

    /// Everything the law engine needs about a debtor.
    pub async fn debtor_facts(&self, debtor_id: i64) -> Result<DebtorFacts> {
        let debtor = self.debtor(debtor_id).await?;
        Ok(DebtorFacts {
            debtor_id,
            name: debtor.name,
            kind: debtor.kind,
            contract_rate: debtor.contract_penalty_rate,
            first_formal_notice: self.formal_notices(debtor_id).await?.first().map(|n| n.sent_on),
            procedure: self.procedure(debtor_id).await?,
            invoices: self.invoice_facts(debtor_id).await?.into_iter().map(|(_, f)| f).collect(),
            costs: self.recovery_costs(debtor_id).await?,
        })
    }

    /// The creditor's terms as the law engine uses them (legal defaults until a profile exists).
    pub async fn creditor_terms(&self) -> Result<CreditorTerms> {
        Ok(match self.profile().await? {
            Some(p) => CreditorTerms { late_penalty: p.late_penalty, options: p.interest_options },
            None => CreditorTerms { late_penalty: LatePenaltyClause::LegalDefault, options: Default::default() },
        })
    }

    /// The statement of account of a debtor at `at`.
    pub async fn statement(&self, debtor_id: i64, at: NaiveDate, scope: Scope) -> Result<Statement> {
        let facts = self.debtor_facts(debtor_id).await?;
        statement::build(&facts, &self.creditor_terms().await?, &self.rate_table().await?, at, scope)
    }

    /// Limitation dates of the open invoices (of one debtor, or all), soonest expiry first.
    pub async fn limitations(&self, at: NaiveDate, only: Option<i64>) -> Result<Vec<InvoiceLimitation>> {
        let debtors = match only {
            Some(id) => vec![self.debtor(id).await?],
            None => self
                .debtor_balances(at, None)
                .await?
                .into_iter()
                .filter(|b| b.open_invoices > 0)
                .map(|b| b.debtor)
                .collect(),
        };
        let mut out = Vec::new();
        for debtor in debtors {
            let recorded = self.prescription_events(debtor.id).await?;
            let lines = self
                .invoice_lines(
                    &super::InvoiceFilter { debtor_id: Some(debtor.id), open_only: true, ..Default::default() },
                    at,
                )
                .await?;
            let facts = self.invoice_facts(debtor.id).await?;
            for line in lines {
                let payments = facts
                    .iter()
                    .find(|(i, _)| i.id == line.invoice.id)
                    .map(|(_, f)| {
                        f.movements
                            .iter()
                            .filter(|m| m.kind == MovementKind::Payment)
                            .map(|m| m.date)
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default();
                // A partial payment acknowledges the debt (C. civ. 2240).
                let mut events: Vec<prescription::Event> = payments
                    .into_iter()
                    .map(|on| prescription::Event { kind: PrescriptionEventKind::Acknowledgement, on, until: None })
                    .collect();
                events.extend(
                    recorded
                        .iter()
                        .filter(|e| e.invoice_number.as_ref().is_none_or(|n| *n == line.invoice.number))
                        .map(|e| prescription::Event { kind: e.kind, on: e.occurred_on, until: e.ended_on }),
                );
                let delivered = line.invoice.delivered_on.unwrap_or(line.invoice.issue_date);
                out.push(InvoiceLimitation {
                    debtor_id: debtor.id,
                    debtor_name: debtor.name.clone(),
                    invoice_number: line.invoice.number.clone(),
                    outstanding: line.balance.outstanding(),
                    limitation: prescription::limitation(debtor.kind, delivered, &events, at),
                });
            }
        }
        out.sort_by(|a, b| {
            a.limitation.expires_on.cmp(&b.limitation.expires_on).then(a.invoice_number.cmp(&b.invoice_number))
        });
        Ok(out)
    }
}
