//! Payments and their allocation to invoices.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::SqliteConnection;

use super::invoices::{balance, find_id, load as load_invoice, refresh_settled_on};
use super::rows::cents;
use super::{Ledger, WriteTx};
use crate::error::{Error, Field, Result};
use crate::money::{from_cents, to_plain};
use crate::receivables::payment::{
    Allocation, AllocationRequest, NewPayment, OpenInvoice, Payment, PaymentMethod, oldest_first,
};

impl WriteTx {
    /// Records a payment and allocates it as asked.
    pub async fn add_payment(&mut self, payment: &NewPayment) -> Result<Payment> {
        payment.check()?;
        let now = self.now;
        let tx = self.conn();
        super::debtors::load(tx, payment.debtor_id).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO payments (debtor_id, received_on, amount_cents, method, reference, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(payment.debtor_id)
        .bind(payment.received_on)
        .bind(cents(Field::Amount, payment.amount)?)
        .bind(payment.method.as_str())
        .bind(&payment.reference)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        allocate(tx, id, payment.debtor_id, payment.amount, payment.received_on, &payment.allocation).await?;
        load(tx, id).await
    }

    /// Allocates what is left of an earlier payment (a credit on the debtor) on `on`, which may not
    /// precede the payment.
    pub async fn allocate_payment(
        &mut self,
        payment_id: i64,
        request: &AllocationRequest,
        on: NaiveDate,
    ) -> Result<Payment> {
        let tx = self.conn();
        let payment = load(tx, payment_id).await?;
        if on < payment.received_on {
            return Err(Error::invalid(
                Field::Date,
                on.to_string(),
                format!("une affectation ne peut pas précéder le paiement (reçu le {})", payment.received_on),
            ));
        }
        let left = payment.unallocated();
        if left <= Decimal::ZERO {
            return Err(Error::OverAllocation(format!("le paiement n° {payment_id} est déjà entièrement affecté")));
        }
        allocate(tx, payment_id, payment.debtor_id, left, on, request).await?;
        load(tx, payment_id).await
    }
}

impl Ledger {
    /// One payment with its allocations.
    pub async fn payment(&self, id: i64) -> Result<Payment> {
        load(&mut *self.pool.acquire().await?, id).await
    }

    /// A debtor's payments, oldest first.
    pub async fn payments_of(&self, debtor_id: i64) -> Result<Vec<Payment>> {
        let mut conn = self.pool.acquire().await?;
        super::debtors::load(&mut conn, debtor_id).await?;
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM payments WHERE debtor_id = $1 ORDER BY received_on, id")
            .bind(debtor_id)
            .fetch_all(&mut *conn)
            .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(load(&mut conn, id).await?);
        }
        Ok(out)
    }
}

/// Allocates up to `available` from payment `payment_id` as requested, on day `on` (deposits paid
/// before an invoice count from the invoice's date).
async fn allocate(
    conn: &mut SqliteConnection,
    payment_id: i64,
    debtor_id: i64,
    available: Decimal,
    on: NaiveDate,
    request: &AllocationRequest,
) -> Result<()> {
    let plan: Vec<(OpenInvoice, Decimal)> = match request {
        AllocationRequest::Unallocated => Vec::new(),
        AllocationRequest::OldestFirst => {
            // Only invoices that exist on the day of the payment can be paid by it.
            let open: Vec<OpenInvoice> =
                open_invoices(conn, debtor_id).await?.into_iter().filter(|i| i.issue_date <= on).collect();
            oldest_first(available, &open)
                .into_iter()
                .filter_map(|(id, amount)| open.iter().find(|i| i.id == id).map(|i| (i.clone(), amount)))
                .collect()
        }
        AllocationRequest::Invoices(items) => {
            let mut plan = Vec::with_capacity(items.len());
            let mut left = available;
            for (number, amount) in items {
                let id = find_id(conn, number).await?.ok_or_else(|| Error::UnknownInvoice(number.clone()))?;
                let invoice = load_invoice(conn, id).await?;
                if invoice.debtor_id != debtor_id {
                    return Err(Error::invalid(
                        Field::Allocation,
                        number,
                        format!("cette facture est celle d'un autre débiteur (n° {})", invoice.debtor_id),
                    ));
                }
                if on < invoice.issue_date {
                    return Err(Error::invalid(
                        Field::Allocation,
                        number,
                        format!(
                            "le paiement du {on} précède la facture {number} (émise le {}) : enregistrez-le sans affectation \
                             (acompte, --unallocated) puis affectez-le à partir du {}",
                            invoice.issue_date, invoice.issue_date
                        ),
                    ));
                }
                let owed = balance(conn, &invoice).await?.outstanding();
                if plan.iter().any(|(o, _): &(OpenInvoice, Decimal)| o.id == id) {
                    return Err(Error::invalid(Field::Allocation, number, "facture citée deux fois"));
                }
                let amount = amount.unwrap_or_else(|| owed.min(left));
                if owed <= Decimal::ZERO {
                    return Err(Error::OverAllocation(format!("la facture {number} est déjà soldée")));
                }
                if amount <= Decimal::ZERO {
                    return Err(Error::OverAllocation(format!(
                        "plus rien à affecter sur ce paiement pour la facture {number}"
                    )));
                }
                if amount > owed {
                    return Err(Error::OverAllocation(format!(
                        "{} pour la facture {number}, qui ne doit plus que {}",
                        to_plain(amount),
                        to_plain(owed)
                    )));
                }
                if amount > left {
                    return Err(Error::OverAllocation(format!(
                        "{} pour la facture {number}, alors qu'il ne reste que {} à affecter sur ce paiement",
                        to_plain(amount),
                        to_plain(left)
                    )));
                }
                left -= amount;
                let open = OpenInvoice {
                    id,
                    number: invoice.number.clone(),
                    issue_date: invoice.issue_date,
                    due_date: invoice.due_date,
                    outstanding: owed,
                };
                plan.push((open, amount));
            }
            plan
        }
    };
    for (invoice, amount) in plan {
        sqlx::query(
            "INSERT INTO allocations (payment_id, invoice_id, amount_cents, allocated_on) VALUES ($1, $2, $3, $4)",
        )
        .bind(payment_id)
        .bind(invoice.id)
        .bind(cents(Field::Allocation, amount)?)
        .bind(on)
        .execute(&mut *conn)
        .await?;
        refresh_settled_on(conn, invoice.id).await?;
    }
    Ok(())
}

/// The debtor's invoices that still owe something, with every recorded fact.
async fn open_invoices(conn: &mut SqliteConnection, debtor_id: i64) -> Result<Vec<OpenInvoice>> {
    let rows: Vec<(i64, String, NaiveDate, NaiveDate, i64)> = sqlx::query_as(
        "SELECT i.id, i.number, i.issue_date, i.due_date, \
             i.amount_incl_vat_cents \
             - COALESCE((SELECT SUM(a.amount_cents) FROM allocations a WHERE a.invoice_id = i.id), 0) \
         FROM invoices i WHERE i.debtor_id = $1 AND i.settled_on IS NULL",
    )
    .bind(debtor_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.4 > 0)
        .map(|(id, number, issue_date, due_date, owed)| OpenInvoice {
            id,
            number,
            issue_date,
            due_date,
            outstanding: from_cents(owed),
        })
        .collect())
}

/// A `payments` row.
#[derive(sqlx::FromRow)]
struct PaymentRow {
    debtor_id: i64,
    received_on: NaiveDate,
    amount_cents: i64,
    method: String,
    reference: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
}

pub(super) async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Payment> {
    let row: Option<PaymentRow> = sqlx::query_as(
        "SELECT debtor_id, received_on, amount_cents, method, reference, created_at FROM payments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let PaymentRow { debtor_id, received_on, amount_cents: amount, method, reference, created_at } =
        row.ok_or(Error::UnknownPayment(id))?;
    let allocations: Vec<(i64, String, i64, NaiveDate)> = sqlx::query_as(
        "SELECT a.invoice_id, i.number, a.amount_cents, a.allocated_on \
         FROM allocations a JOIN invoices i ON i.id = a.invoice_id WHERE a.payment_id = $1 ORDER BY a.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Payment {
        id,
        debtor_id,
        received_on,
        amount: from_cents(amount),
        method: PaymentMethod::parse(&method).map_err(|_| super::rows::corrupt("payments.method", &method))?,
        reference,
        allocations: allocations
            .into_iter()
            .map(|(invoice_id, invoice_number, amount, allocated_on)| Allocation {
                invoice_id,
                invoice_number,
                amount: from_cents(amount),
                allocated_on,
            })
            .collect(),
        created_at,
    })
}

/// A payment as seen from one invoice it settles (part of).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Settlement {
    /// Payment id.
    pub payment_id: i64,
    /// Day the payment was received.
    pub received_on: NaiveDate,
    /// How.
    pub method: PaymentMethod,
    /// Its reference.
    pub reference: Option<String>,
    /// Part of the payment allocated to this invoice.
    pub amount: Decimal,
    /// Day the invoice counts as paid by it.
    pub allocated_on: NaiveDate,
}

impl Ledger {
    /// The payments that settle (part of) an invoice, in allocation order.
    pub async fn settlements(&self, invoice_id: i64) -> Result<Vec<Settlement>> {
        let rows: Vec<(i64, NaiveDate, String, Option<String>, i64, NaiveDate)> = sqlx::query_as(
            "SELECT p.id, p.received_on, p.method, p.reference, a.amount_cents, a.allocated_on \
             FROM allocations a JOIN payments p ON p.id = a.payment_id \
             WHERE a.invoice_id = $1 ORDER BY a.allocated_on, a.id",
        )
        .bind(invoice_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(payment_id, received_on, method, reference, amount, allocated_on)| {
                Ok(Settlement {
                    payment_id,
                    received_on,
                    method: PaymentMethod::parse(&method)
                        .map_err(|_| super::rows::corrupt("payments.method", &method))?,
                    reference,
                    amount: from_cents(amount),
                    allocated_on,
                })
            })
            .collect()
    }
}
