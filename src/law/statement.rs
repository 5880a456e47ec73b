//! The statement of account (décompte) of a debtor at a date: for each invoice the principal, the
//! payments and credit notes, each interest period with its rate and source, the indemnity; then the
//! recovery costs and the totals. Letters, formal notices and the court dossier all print this.
//!
//! A pure function of the facts (gathered by the ledger), the creditor's terms and the rate table.

use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use super::facts::{CollectiveProcedure, RecoveryCost};
use super::interest::{Claim, Computation, Movement, Options, RateBasis, compute};
use super::rates::RateTable;
use crate::error::Result;
use crate::parties::{DebtorKind, LatePenaltyClause};

/// What the statement needs to know of the creditor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditorTerms {
    /// The late-payment clause of the terms of sale.
    pub late_penalty: LatePenaltyClause,
    /// Day basis and imputation chosen.
    pub options: Options,
}

/// An invoice as the law sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceFacts {
    /// Number.
    pub number: String,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// Amount incl. VAT.
    pub amount: Decimal,
    /// Payments and credit notes on it.
    pub movements: Vec<Movement>,
}

/// Everything the ledger knows about a debtor that the law cares about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebtorFacts {
    /// Debtor id.
    pub debtor_id: i64,
    /// Name.
    pub name: String,
    /// Professional or consumer.
    pub kind: DebtorKind,
    /// Penalty rate of this debtor's contract, if any.
    pub contract_rate: Option<Decimal>,
    /// Day of the first formal notice sent.
    pub first_formal_notice: Option<NaiveDate>,
    /// Collective procedure, if one was opened.
    pub procedure: Option<CollectiveProcedure>,
    /// The debtor's invoices.
    pub invoices: Vec<InvoiceFacts>,
    /// Recovery costs recorded.
    pub costs: Vec<RecoveryCost>,
}

/// Which invoices a statement covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// Invoices with principal still unpaid at the date (the usual décompte).
    #[default]
    Unpaid,
    /// Also invoices paid late, whose penalties and indemnity remain claimable.
    UnpaidAndPaidLate,
}

/// One invoice of the statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceStatement {
    /// Number.
    pub number: String,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// Amount incl. VAT.
    pub amount: Decimal,
    /// Which rate runs.
    pub basis: RateBasis,
    /// Interest runs from the day after this one (`None`: no interest runs).
    pub interest_after: Option<NaiveDate>,
    /// The computation (periods, movements and their imputation).
    pub computation: Computation,
    /// Principal still due.
    pub principal_due: Decimal,
    /// Interest or penalties still due.
    pub interest_due: Decimal,
    /// Fixed indemnity (business debtors).
    pub indemnity: Decimal,
    /// principal + interest + indemnity.
    pub total_due: Decimal,
    /// Explanations printed under the invoice.
    pub notes: Vec<String>,
}

/// The statement of a debtor at a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// Date of the statement.
    pub at: NaiveDate,
    /// Debtor id.
    pub debtor_id: i64,
    /// Debtor name.
    pub debtor_name: String,
    /// Professional or consumer.
    pub kind: DebtorKind,
    /// The law applied, in words, with its articles.
    pub legal_basis: String,
    /// Options used (printed: day basis, imputation).
    pub options: Options,
    /// Invoices covered.
    pub invoices: Vec<InvoiceStatement>,
    /// Recovery costs recorded.
    pub costs: Vec<RecoveryCost>,
    /// Whether the costs can be claimed (business debtors, on proof) and so count in the total.
    pub costs_claimable: bool,
    /// Collective procedure, if any.
    pub procedure: Option<CollectiveProcedure>,
    /// Last day to declare the claim, when a procedure's publication is known.
    pub declaration_deadline: Option<NaiveDate>,
    /// Sum of principal due.
    pub principal_due: Decimal,
    /// Sum of interest due.
    pub interest_due: Decimal,
    /// Sum of indemnities.
    pub indemnities: Decimal,
    /// Claimable costs.
    pub costs_total: Decimal,
    /// Everything due.
    pub total_due: Decimal,
    /// Things to check before sending.
    pub warnings: Vec<String>,
}

/// The latest due date the law allows for an invoice issued on `issue` (C. com. L441-10 I): 60 days
/// from issue, or 45 days end of month if agreed — counted either way courts accept.
pub fn latest_lawful_due_date(issue: NaiveDate) -> NaiveDate {
    let end_of_month = |d: NaiveDate| {
        d.with_day(1).and_then(|first| first.checked_add_months(Months::new(1))).and_then(|n| n.pred_opt()).unwrap_or(d)
    };
    let sixty = issue.checked_add_days(Days::new(60)).unwrap_or(issue);
    let forty_five_then_month_end = end_of_month(issue.checked_add_days(Days::new(45)).unwrap_or(issue));
    let month_end_then_forty_five = end_of_month(issue).checked_add_days(Days::new(45)).unwrap_or(issue);
    sixty.max(forty_five_then_month_end).max(month_end_then_forty_five)
}

fn basis_for(facts: &DebtorFacts, terms: &CreditorTerms) -> RateBasis {
    match (facts.kind, facts.contract_rate, terms.late_penalty) {
        (DebtorKind::Professionnel, Some(rate), _)
        | (DebtorKind::Professionnel, None, LatePenaltyClause::Rate(rate)) => RateBasis::B2bContract(rate),
        (DebtorKind::Professionnel, None, LatePenaltyClause::LegalDefault) => RateBasis::B2bDefault,
        (DebtorKind::Consommateur, Some(rate), _) => RateBasis::ConsumerContract(rate),
        (DebtorKind::Consommateur, None, _) => RateBasis::Legal,
    }
}

/// Builds the statement of a debtor at `at`.
pub fn build(
    facts: &DebtorFacts,
    terms: &CreditorTerms,
    rates: &RateTable,
    at: NaiveDate,
    scope: Scope,
) -> Result<Statement> {
    let basis = basis_for(facts, terms);
    let business = facts.kind == DebtorKind::Professionnel;
    let legal_basis = match basis {
        RateBasis::B2bDefault => "Débiteur professionnel : pénalités de retard au taux de la BCE majoré de 10 points, exigibles dès le lendemain de l'échéance sans rappel, et indemnité forfaitaire de 40 € par facture (C. com. L441-10 II, D441-5)".to_owned(),
        RateBasis::B2bContract(rate) => format!("Débiteur professionnel : pénalités de retard au taux de {} % prévu par les conditions générales de vente, sans pouvoir être inférieur à trois fois le taux d'intérêt légal, et indemnité forfaitaire de 40 € par facture (C. com. L441-10 II, D441-5)", rate.normalize()),
        RateBasis::Legal => "Débiteur consommateur : intérêts au taux légal à compter de la mise en demeure (C. civ. 1231-6 et 1344-1 ; taux « autres cas », le créancier étant un professionnel, C. mon. fin. L313-2)".to_owned(),
        RateBasis::ConsumerContract(rate) => format!("Débiteur consommateur : pénalité de retard de {} % prévue au contrat (C. civ. 1231-5)", rate.normalize()),
    };
    let mut warnings = Vec::new();
    let stopped_on = facts.procedure.as_ref().map(|p| p.judgment_date).filter(|d| *d <= at);
    let notice = facts.first_formal_notice.filter(|n| *n <= at);
    let mut invoices = Vec::new();
    for invoice in facts.invoices.iter().filter(|i| i.issue_date <= at) {
        let settled: Decimal = invoice.movements.iter().filter(|m| m.date <= at).map(|m| m.amount).sum();
        let open = settled < invoice.amount;
        let mut notes = Vec::new();
        let interest_after = match basis {
            RateBasis::Legal => match notice {
                Some(n) => Some(n.max(invoice.due_date)),
                None => {
                    notes.push("Aucune mise en demeure enregistrée : les intérêts au taux légal ne courent qu'à compter de la mise en demeure (C. civ. 1344-1).".to_owned());
                    None
                }
            },
            RateBasis::B2bDefault | RateBasis::B2bContract(_) | RateBasis::ConsumerContract(_) => {
                Some(invoice.due_date)
            }
        };
        let claim = Claim {
            principal: invoice.amount,
            // Without a running start, the computation covers no day: movements still apply.
            start: interest_after.unwrap_or(at).min(at),
            end: at,
            movements: invoice.movements.clone(),
            basis,
            stopped_on,
        };
        let computation = compute(&claim, rates, terms.options)?;
        let late_paid = !open && (computation.interest_due > Decimal::ZERO || computation.indemnity.is_some());
        let included = match scope {
            Scope::Unpaid => open,
            Scope::UnpaidAndPaidLate => open || late_paid,
        };
        if !included {
            continue;
        }
        if business && invoice.due_date > latest_lawful_due_date(invoice.issue_date) {
            notes.push(format!(
                "Délai de paiement au-delà du plafond légal (60 jours après la facture ou 45 jours fin de mois, C. com. L441-10 I) : échéance du {} au lieu du {} au plus tard.",
                invoice.due_date,
                latest_lawful_due_date(invoice.issue_date)
            ));
        }
        let indemnity = computation.indemnity_amount();
        let principal_due = computation.principal_due;
        let interest_due = computation.interest_due;
        for w in &computation.warnings {
            if !warnings.contains(w) {
                warnings.push(w.clone());
            }
        }
        invoices.push(InvoiceStatement {
            number: invoice.number.clone(),
            issue_date: invoice.issue_date,
            due_date: invoice.due_date,
            amount: invoice.amount,
            basis,
            interest_after,
            total_due: principal_due + interest_due + indemnity,
            principal_due,
            interest_due,
            indemnity,
            computation,
            notes,
        });
    }
    let costs: Vec<RecoveryCost> = facts.costs.iter().filter(|c| c.incurred_on <= at).cloned().collect();
    if !business && !costs.is_empty() {
        warnings.push("Les frais de recouvrement ne peuvent être mis à la charge d'un consommateur sans titre exécutoire (C. proc. exéc. L111-8) : ils sont listés mais non réclamés.".to_owned());
    }
    let costs_total = if business { costs.iter().map(|c| c.amount).sum() } else { Decimal::ZERO };
    let procedure = facts.procedure.clone().filter(|p| p.judgment_date <= at);
    if let Some(p) = &procedure {
        warnings.push(format!(
            "{} ouvert(e) le {} : intérêts et pénalités arrêtés à cette date, poursuites individuelles interdites (C. com. L622-21) ; la créance se déclare au mandataire judiciaire{}.",
            p.kind.label(),
            p.judgment_date,
            p.declaration_deadline().map(|d| format!(" au plus tard le {d} (C. com. L622-24, R622-24)")).unwrap_or_else(|| " dans les 2 mois de la publication au BODACC (date de publication à enregistrer)".to_owned())
        ));
    }
    let sum = |f: fn(&InvoiceStatement) -> Decimal| invoices.iter().map(f).sum::<Decimal>();
    let (principal_due, interest_due, indemnities) =
        (sum(|i| i.principal_due), sum(|i| i.interest_due), sum(|i| i.indemnity));
    Ok(Statement {
        at,
        debtor_id: facts.debtor_id,
        debtor_name: facts.name.clone(),
        kind: facts.kind,
        legal_basis,
        options: terms.options,
        total_due: principal_due + interest_due + indemnities + costs_total,
        invoices,
        costs,
        costs_claimable: business,
        declaration_deadline: procedure.as_ref().and_then(CollectiveProcedure::declaration_deadline),
        procedure,
        principal_due,
        interest_due,
        indemnities,
        costs_total,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::dates::parse_date(s).unwrap()
    }

    #[test]
    fn lawful_due_dates() {
        // 60 days after 15 January = 16 March; 45 days then month end = 31 March; month end then
        // 45 days = 17 March: the latest is 31 March.
        assert_eq!(latest_lawful_due_date(day("2026-01-15")), day("2026-03-31"));
        // Issued 31 January: 60 days = 1 April; +45 = 17 March → 31 March; 31 Jan + 45 = 17 March.
        assert_eq!(latest_lawful_due_date(day("2026-01-31")), day("2026-04-01"));
    }
}
