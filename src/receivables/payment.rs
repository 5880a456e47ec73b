//! Payments and their allocation (lettrage) to invoices.
//!
//! A payment comes from a debtor; it is allocated to one or several of their invoices, wholly or in
//! part. What is not allocated stays a credit on the debtor, to be allocated later.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::dates::parse_date_field;
use crate::error::{Error, Field, Result};
use crate::money::{parse_amount, parse_amount_field, to_plain};

/// How the money came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Bank transfer.
    Virement,
    /// Cheque.
    Cheque,
    /// Card.
    Cb,
    /// Cash.
    Especes,
    /// Direct debit.
    Prelevement,
    /// Anything else.
    Autre,
}

impl PaymentMethod {
    /// All methods.
    pub const ALL: [PaymentMethod; 6] = [
        PaymentMethod::Virement,
        PaymentMethod::Cheque,
        PaymentMethod::Cb,
        PaymentMethod::Especes,
        PaymentMethod::Prelevement,
        PaymentMethod::Autre,
    ];

    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Virement => "virement",
            PaymentMethod::Cheque => "cheque",
            PaymentMethod::Cb => "cb",
            PaymentMethod::Especes => "especes",
            PaymentMethod::Prelevement => "prelevement",
            PaymentMethod::Autre => "autre",
        }
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Virement => "virement",
            PaymentMethod::Cheque => "chèque",
            PaymentMethod::Cb => "carte bancaire",
            PaymentMethod::Especes => "espèces",
            PaymentMethod::Prelevement => "prélèvement",
            PaymentMethod::Autre => "autre",
        }
    }

    /// Reads a key or a label (accents tolerated).
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim().to_lowercase();
        let t = match t.as_str() {
            "chèque" => "cheque",
            "espèces" => "especes",
            "prélèvement" => "prelevement",
            "carte" | "carte bancaire" => "cb",
            other => other,
        };
        Self::ALL.into_iter().find(|m| m.as_str() == t).ok_or_else(|| {
            Error::invalid(
                Field::PaymentMethod,
                text,
                "valeurs possibles : virement, cheque, cb, especes, prelevement, autre",
            )
        })
    }
}

/// A payment as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payment {
    /// Ledger identifier.
    pub id: i64,
    /// Who paid.
    pub debtor_id: i64,
    /// Day the money was received.
    pub received_on: NaiveDate,
    /// Amount received.
    pub amount: Decimal,
    /// How.
    pub method: PaymentMethod,
    /// Bank reference, cheque number…
    pub reference: Option<String>,
    /// Where it went.
    pub allocations: Vec<Allocation>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

impl Payment {
    /// What is not allocated: a credit on the debtor.
    pub fn unallocated(&self) -> Decimal {
        self.amount - self.allocations.iter().map(|a| a.amount).sum::<Decimal>()
    }
}

/// Part of a payment settling part of an invoice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allocation {
    /// Invoice id.
    pub invoice_id: i64,
    /// Invoice number.
    pub invoice_number: String,
    /// Amount settled.
    pub amount: Decimal,
    /// The day the invoice counts as paid by it: the payment date, or the day a credit (a deposit
    /// received before the invoice, say) was allocated later — never before the invoice's date.
    pub allocated_on: NaiveDate,
}

/// Where a new payment should go.
#[derive(Debug, Clone, PartialEq)]
pub enum AllocationRequest {
    /// To the debtor's open invoices, oldest due date first (Code civil 1342-10: failing a choice,
    /// a payment goes to the debts that are due, the oldest first).
    OldestFirst,
    /// To the named invoices; `None` takes what the invoice still owes (or what is left).
    Invoices(Vec<(String, Option<Decimal>)>),
    /// Nowhere yet: the whole payment stays a credit on the debtor.
    Unallocated,
}

/// A new payment, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPayment {
    /// Who paid.
    pub debtor_id: i64,
    /// Day received.
    pub received_on: NaiveDate,
    /// Amount.
    pub amount: Decimal,
    /// How.
    pub method: PaymentMethod,
    /// Reference.
    pub reference: Option<String>,
    /// Where it goes.
    pub allocation: AllocationRequest,
}

impl NewPayment {
    /// Rules on the payment itself (allocations are checked against the ledger).
    pub fn check(&self) -> Result<()> {
        if self.amount <= Decimal::ZERO {
            return Err(Error::invalid(
                Field::Amount,
                to_plain(self.amount),
                "un paiement est d'un montant supérieur à zéro",
            ));
        }
        if let AllocationRequest::Invoices(items) = &self.allocation {
            if items.is_empty() {
                return Err(Error::invalid(Field::Allocation, "", "indiquez au moins une facture"));
            }
            if let Some((number, Some(amount))) = items.iter().find(|(_, a)| a.is_some_and(|a| a <= Decimal::ZERO)) {
                return Err(Error::invalid(
                    Field::Allocation,
                    format!("{number}:{}", to_plain(*amount)),
                    "le montant affecté doit être supérieur à zéro",
                ));
            }
            let explicit: Decimal = items.iter().filter_map(|(_, a)| *a).sum();
            if explicit > self.amount {
                return Err(Error::OverAllocation(format!(
                    "{} affectés aux factures pour un paiement de {}",
                    to_plain(explicit),
                    to_plain(self.amount)
                )));
            }
        }
        Ok(())
    }
}

/// Reads `F-001` or `F-001:250,00` (an invoice number and an optional amount).
pub fn parse_allocation_item(text: &str) -> Result<(String, Option<Decimal>)> {
    let (number, amount) = match text.rsplit_once(':') {
        Some((number, amount)) => {
            let amount = parse_amount(amount).map_err(|e| {
                Error::invalid(Field::Allocation, text, format!("{e} (forme attendue : NUMÉRO ou NUMÉRO:MONTANT)"))
            })?;
            (number, Some(amount))
        }
        None => (text, None),
    };
    let number = number.trim();
    if number.is_empty() {
        return Err(Error::invalid(
            Field::Allocation,
            text,
            "numéro de facture manquant (forme attendue : NUMÉRO ou NUMÉRO:MONTANT)",
        ));
    }
    Ok((number.to_owned(), amount))
}

/// A payment as typed.
#[derive(Debug, Clone, Default)]
pub struct PaymentForm {
    /// Who paid.
    pub debtor_id: i64,
    /// Day received.
    pub date: String,
    /// Amount.
    pub amount: String,
    /// How (default: virement).
    pub method: Option<String>,
    /// Reference.
    pub reference: Option<String>,
    /// `NUMBER` or `NUMBER:AMOUNT` items; empty means oldest first unless `unallocated`.
    pub invoices: Vec<String>,
    /// Keep the whole payment as a credit.
    pub unallocated: bool,
}

impl PaymentForm {
    /// Parses and checks the typed payment.
    pub fn parse(self) -> Result<NewPayment> {
        let received_on = parse_date_field(Field::Date, &self.date)?;
        let amount = parse_amount_field(Field::Amount, &self.amount)?;
        let method = match &self.method {
            Some(m) => PaymentMethod::parse(m)?,
            None => PaymentMethod::Virement,
        };
        let allocation = match (self.unallocated, self.invoices.is_empty()) {
            (true, true) => AllocationRequest::Unallocated,
            (true, false) => {
                return Err(Error::invalid(
                    Field::Allocation,
                    self.invoices.join(" "),
                    "choisissez : des factures, ou aucune affectation",
                ));
            }
            (false, true) => AllocationRequest::OldestFirst,
            (false, false) => AllocationRequest::Invoices(
                self.invoices.iter().map(|item| parse_allocation_item(item)).collect::<Result<_>>()?,
            ),
        };
        let payment = NewPayment {
            debtor_id: self.debtor_id,
            received_on,
            amount,
            method,
            reference: self.reference.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()),
            allocation,
        };
        payment.check()?;
        Ok(payment)
    }
}

/// An open invoice as allocation sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenInvoice {
    /// Invoice id.
    pub id: i64,
    /// Number.
    pub number: String,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// What it still owes.
    pub outstanding: Decimal,
}

/// Splits `amount` over `open` invoices, oldest due date first (then oldest issue, then lowest id),
/// each up to what it owes. Returns `(invoice id, amount)` pairs; the rest stays unallocated.
pub fn oldest_first(amount: Decimal, open: &[OpenInvoice]) -> Vec<(i64, Decimal)> {
    let mut ordered: Vec<&OpenInvoice> = open.iter().filter(|i| i.outstanding > Decimal::ZERO).collect();
    ordered.sort_by_key(|i| (i.due_date, i.issue_date, i.id));
    let mut left = amount;
    let mut out = Vec::new();
    for invoice in ordered {
        if left <= Decimal::ZERO {
            break;
        }
        let take = left.min(invoice.outstanding);
        out.push((invoice.id, take));
        left -= take;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_date;

    fn open(id: i64, due: &str, outstanding: i64) -> OpenInvoice {
        let due = parse_date(due).unwrap();
        OpenInvoice {
            id,
            number: format!("F{id}"),
            issue_date: due,
            due_date: due,
            outstanding: Decimal::from(outstanding),
        }
    }

    #[test]
    fn oldest_first_table() {
        let invoices = [open(1, "2026-03-01", 100), open(2, "2026-01-01", 50), open(3, "2026-02-01", 80)];
        let d = Decimal::from;
        assert_eq!(oldest_first(d(30), &invoices), vec![(2, d(30))]);
        assert_eq!(oldest_first(d(100), &invoices), vec![(2, d(50)), (3, d(50))]);
        assert_eq!(oldest_first(d(230), &invoices), vec![(2, d(50)), (3, d(80)), (1, d(100))]);
        assert_eq!(oldest_first(d(500), &invoices), vec![(2, d(50)), (3, d(80)), (1, d(100))]);
        assert_eq!(oldest_first(d(10), &[]), vec![]);
    }

    #[test]
    fn typed_payments() {
        let base =
            PaymentForm { debtor_id: 1, date: "05/11/2026".into(), amount: "1 000".into(), ..PaymentForm::default() };
        assert_eq!(base.clone().parse().unwrap().allocation, AllocationRequest::OldestFirst);
        let explicit = PaymentForm { invoices: vec!["F-1:400".into(), "F-2".into()], ..base.clone() }.parse().unwrap();
        assert_eq!(
            explicit.allocation,
            AllocationRequest::Invoices(vec![("F-1".into(), Some(Decimal::from(400))), ("F-2".into(), None)])
        );
        let bad = [
            (PaymentForm { amount: "-5".into(), ..base.clone() }, "invalid_input"),
            (PaymentForm { amount: "0".into(), ..base.clone() }, "invalid_input"),
            (PaymentForm { method: Some("bitcoin".into()), ..base.clone() }, "invalid_input"),
            (PaymentForm { invoices: vec!["F-1:1200".into()], ..base.clone() }, "over_allocation"),
            (PaymentForm { invoices: vec!["F-1:abc".into()], ..base.clone() }, "invalid_input"),
            (PaymentForm { invoices: vec!["F-1:0".into()], ..base.clone() }, "invalid_input"),
            (PaymentForm { invoices: vec!["F-1".into()], unallocated: true, ..base.clone() }, "invalid_input"),
        ];
        for (typed, code) in bad {
            assert_eq!(typed.clone().parse().unwrap_err().code(), code, "{typed:?}");
        }
        assert_eq!(PaymentMethod::parse("Chèque").unwrap(), PaymentMethod::Cheque);
    }
}
