//! Late-payment penalties and legal interest on one claim: simple interest on the outstanding
//! principal, split by half-year (each day at the rate of its own half-year), payments imputed to
//! interest first (C. civ. 1343-1) unless the creditor chose otherwise.
//!
//! A pure function of (claim, rate table): no clock, no database. The ledger's statements and the
//! `recouvre interest` calculator both call [`compute`].

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use super::rates::{HalfYear, RateTable, Sourced};
use crate::error::{Error, Field, Result};
use crate::money::to_plain;

/// How days are turned into a fraction of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayBasis {
    /// Days ÷ 365, leap years included (what French calculators do; Recouvre's default).
    #[default]
    Actual365,
    /// Days of a leap year ÷ 366, of other years ÷ 365.
    ActualActual,
}

impl DayBasis {
    /// Stable key (`365`, `actual`).
    pub fn as_str(self) -> &'static str {
        match self {
            DayBasis::Actual365 => "365",
            DayBasis::ActualActual => "actual",
        }
    }

    /// How statements print it.
    pub fn label(self) -> &'static str {
        match self {
            DayBasis::Actual365 => "jours exacts / 365",
            DayBasis::ActualActual => "jours exacts / 365 ou 366 (années bissextiles)",
        }
    }

    /// Reads `365` or `actual`.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim() {
            "365" | "actual/365" => Ok(DayBasis::Actual365),
            "actual" | "actual/actual" | "366" => Ok(DayBasis::ActualActual),
            _ => Err(Error::invalid(Field::DayBasis, text, "valeurs possibles : 365, actual")),
        }
    }

    fn days_in_year(self, year: i32) -> Decimal {
        let leap = NaiveDate::from_ymd_opt(year, 2, 29).is_some();
        Decimal::from(if self == DayBasis::ActualActual && leap { 366 } else { 365 })
    }
}

/// Which debt a partial payment settles first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Imputation {
    /// Accrued interest first, then principal (C. civ. 1343-1; the default).
    #[default]
    InterestFirst,
    /// Principal first, then interest.
    PrincipalFirst,
}

impl Imputation {
    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            Imputation::InterestFirst => "interest-first",
            Imputation::PrincipalFirst => "principal-first",
        }
    }

    /// How statements print it.
    pub fn label(self) -> &'static str {
        match self {
            Imputation::InterestFirst => "paiements imputés d'abord sur les intérêts (C. civ. art. 1343-1)",
            Imputation::PrincipalFirst => "paiements imputés d'abord sur le principal (choix du créancier)",
        }
    }

    /// Reads `interest-first` or `principal-first`.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim() {
            "interest-first" => Ok(Imputation::InterestFirst),
            "principal-first" => Ok(Imputation::PrincipalFirst),
            _ => Err(Error::invalid(Field::Imputation, text, "valeurs possibles : interest-first, principal-first")),
        }
    }
}

/// Which rate runs, and so which law applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "rate_percent", rename_all = "snake_case")]
pub enum RateBasis {
    /// Business debtor, no rate in the terms of sale: ECB rate + 10 points (C. com. L441-10 II).
    B2bDefault,
    /// Business debtor, rate of the terms of sale, raised to 3 × the legal rate when below it.
    B2bContract(Decimal),
    /// Consumer debtor: the legal interest rate, "all other cases" category since the creditor is a
    /// professional (C. civ. 1231-6, 1344-1; C. mon. fin. L313-2).
    Legal,
    /// Consumer debtor whose contract stipulates a penalty rate (no legal floor).
    ConsumerContract(Decimal),
}

impl RateBasis {
    /// Whether the 40 € indemnity applies (business debtors only, C. com. L441-10 II, D441-5).
    pub fn is_business(self) -> bool {
        matches!(self, RateBasis::B2bDefault | RateBasis::B2bContract(_))
    }
}

/// What happens to the claim on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// A payment: imputed to interest and principal.
    Payment,
    /// A credit note: reduces the principal only.
    CreditNote,
}

/// A payment or credit note on the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Movement {
    /// Day (interest counts this day, then the movement applies).
    pub date: NaiveDate,
    /// Amount.
    pub amount: Decimal,
    /// Kind.
    pub kind: MovementKind,
}

/// A claim to compute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Principal (amount incl. VAT still unpaid at the start).
    pub principal: Decimal,
    /// Interest runs from the day after this one: the due date (B2B) or the formal notice (B2C).
    pub start: NaiveDate,
    /// Last day counted.
    pub end: NaiveDate,
    /// Payments and credit notes, any order.
    pub movements: Vec<Movement>,
    /// Which rate.
    pub basis: RateBasis,
    /// The day a collective procedure was opened: interest stops on that day (C. com. L622-28).
    pub stopped_on: Option<NaiveDate>,
}

/// Options the creditor chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Options {
    /// Day basis.
    pub day_basis: DayBasis,
    /// Imputation of partial payments.
    pub imputation: Imputation,
}

/// A stretch of days at one rate on one base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// First day counted.
    pub from: NaiveDate,
    /// Last day counted.
    pub to: NaiveDate,
    /// Days.
    pub days: i64,
    /// Yearly rate in percent.
    pub rate: Decimal,
    /// Where the rate comes from.
    pub rate_source: String,
    /// Principal the interest runs on.
    pub base: Decimal,
    /// Interest of the segment, rounded to the cent for display (totals are rounded once per
    /// interval between two movements, from unrounded segments).
    pub amount: Decimal,
}

/// A movement as the computation applied it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedMovement {
    /// The movement.
    pub movement: Movement,
    /// Part that paid interest.
    pub to_interest: Decimal,
    /// Part that paid principal.
    pub to_principal: Decimal,
    /// Part beyond what was owed (nothing to impute it to).
    pub excess: Decimal,
}

/// The result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Computation {
    /// Stretches of days at one rate on one base.
    pub segments: Vec<Segment>,
    /// Movements, in date order, with their imputation.
    pub movements: Vec<AppliedMovement>,
    /// All interest accrued over the period.
    pub interest_total: Decimal,
    /// Interest still unpaid at the end.
    pub interest_due: Decimal,
    /// Principal still unpaid at the end.
    pub principal_due: Decimal,
    /// Fixed recovery indemnity (business debtors, once late).
    pub indemnity: Option<Sourced>,
    /// Things the user must know (a contract rate raised to the legal floor, interest stopped…).
    pub warnings: Vec<String>,
    /// The options used.
    pub options: Options,
}

impl Computation {
    /// Indemnity amount (0 when none).
    pub fn indemnity_amount(&self) -> Decimal {
        self.indemnity.as_ref().map_or(Decimal::ZERO, |i| i.value)
    }
}

fn round_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The yearly rate of a half-year for this basis, with its source; the warning when a contract rate
/// was raised to the floor.
fn rate_for(half: HalfYear, basis: RateBasis, rates: &RateTable) -> Result<(Sourced, Option<String>)> {
    match basis {
        RateBasis::B2bDefault => Ok((rates.b2b_default_rate(half)?, None)),
        RateBasis::B2bContract(rate) => {
            let floor = rates.b2b_floor_rate(half)?;
            if rate < floor.value {
                let warning = format!(
                    "{} : le taux des CGV ({} %) est inférieur au minimum légal de {} % (3 fois le taux d'intérêt légal, C. com. L441-10) ; le minimum s'applique",
                    half.label(),
                    rate.normalize(),
                    floor.value.normalize()
                );
                Ok((floor, Some(warning)))
            } else {
                Ok((
                    Sourced {
                        value: rate,
                        source: "taux des conditions générales de vente (C. com. L441-10 II)".into(),
                    },
                    None,
                ))
            }
        }
        RateBasis::Legal => {
            let legal = rates.legal_rate(half, true)?;
            Ok((
                Sourced {
                    value: legal.value,
                    source: format!("taux de l'intérêt légal, {} — {}", half.label(), legal.source),
                },
                None,
            ))
        }
        RateBasis::ConsumerContract(rate) => {
            Ok((Sourced { value: rate, source: "taux de la clause pénale du contrat".into() }, None))
        }
    }
}

/// Accrues interest on `base` for the days in (`after`, `through`], split by half-year. Returns the
/// unrounded sum and the segments.
fn accrue(
    base: Decimal,
    after: NaiveDate,
    through: NaiveDate,
    basis: RateBasis,
    rates: &RateTable,
    options: Options,
    warnings: &mut Vec<String>,
) -> Result<(Decimal, Vec<Segment>)> {
    let mut total = Decimal::ZERO;
    let mut segments = Vec::new();
    if base <= Decimal::ZERO || through <= after {
        return Ok((total, segments));
    }
    let mut from = after.succ_opt().unwrap_or(after);
    while from <= through {
        let half = HalfYear::of(from);
        let to = half.last_day().min(through);
        let days = (to - from).num_days() + 1;
        let (rate, warning) = rate_for(half, basis, rates)?;
        if let Some(w) = warning
            && !warnings.contains(&w)
        {
            warnings.push(w);
        }
        let amount = base * rate.value / Decimal::ONE_HUNDRED * Decimal::from(days)
            / options.day_basis.days_in_year(from.year());
        total += amount;
        segments.push(Segment {
            from,
            to,
            days,
            rate: rate.value,
            rate_source: rate.source,
            base,
            amount: round_cents(amount),
        });
        from = to.succ_opt().unwrap_or(to);
        if to == through {
            break;
        }
    }
    Ok((total, segments))
}

/// Computes a claim: interest segment by segment, movements imputed as chosen, the indemnity.
pub fn compute(claim: &Claim, rates: &RateTable, options: Options) -> Result<Computation> {
    if claim.principal < Decimal::ZERO {
        return Err(Error::invalid(Field::Amount, to_plain(claim.principal), "le principal ne peut pas être négatif"));
    }
    if claim.end < claim.start {
        return Err(Error::invalid(
            Field::Date,
            claim.end.to_string(),
            format!("la fin précède le point de départ ({})", claim.start),
        ));
    }
    if let Some(m) = claim.movements.iter().find(|m| m.amount <= Decimal::ZERO) {
        return Err(Error::invalid(
            Field::Amount,
            to_plain(m.amount),
            "un paiement ou un avoir est d'un montant positif",
        ));
    }
    let mut warnings = Vec::new();
    // Interest runs through the end, or through the opening judgment of a collective procedure.
    let last_day = match claim.stopped_on {
        Some(stop) if stop < claim.end => {
            warnings.push(format!(
                "Intérêts arrêtés au {stop} : jugement d'ouverture d'une procédure collective (C. com. L622-28)"
            ));
            stop
        }
        _ => claim.end,
    };
    let mut movements: Vec<Movement> = claim.movements.iter().copied().filter(|m| m.date <= claim.end).collect();
    movements.sort_by_key(|m| (m.date, m.kind == MovementKind::Payment));

    let mut principal = claim.principal;
    let mut interest_due = Decimal::ZERO;
    let mut interest_total = Decimal::ZERO;
    let mut segments = Vec::new();
    let mut applied = Vec::with_capacity(movements.len());
    let mut cursor = claim.start;
    for movement in movements {
        // Interest up to and including the movement's day, rounded once for the interval.
        let through = movement.date.min(last_day);
        if through > cursor {
            let (accrued, mut parts) = accrue(principal, cursor, through, claim.basis, rates, options, &mut warnings)?;
            let accrued = round_cents(accrued);
            interest_due += accrued;
            interest_total += accrued;
            segments.append(&mut parts);
            cursor = through;
        }
        let (to_interest, to_principal, excess) = match movement.kind {
            MovementKind::CreditNote => {
                let to_principal = movement.amount.min(principal);
                (Decimal::ZERO, to_principal, movement.amount - to_principal)
            }
            MovementKind::Payment => match options.imputation {
                Imputation::InterestFirst => {
                    let to_interest = movement.amount.min(interest_due);
                    let to_principal = (movement.amount - to_interest).min(principal);
                    (to_interest, to_principal, movement.amount - to_interest - to_principal)
                }
                Imputation::PrincipalFirst => {
                    let to_principal = movement.amount.min(principal);
                    let to_interest = (movement.amount - to_principal).min(interest_due);
                    (to_interest, to_principal, movement.amount - to_interest - to_principal)
                }
            },
        };
        principal -= to_principal;
        interest_due -= to_interest;
        applied.push(AppliedMovement { movement, to_interest, to_principal, excess });
    }
    if last_day > cursor {
        let (accrued, mut parts) = accrue(principal, cursor, last_day, claim.basis, rates, options, &mut warnings)?;
        let accrued = round_cents(accrued);
        interest_due += accrued;
        interest_total += accrued;
        segments.append(&mut parts);
    }
    // The indemnity is due from the first day of delay, unless a procedure opened before it.
    let late_from = claim.start.succ_opt().unwrap_or(claim.start);
    let indemnity =
        if claim.basis.is_business() && claim.end >= late_from && claim.stopped_on.is_none_or(|s| s >= late_from) {
            Some(rates.recovery_indemnity(late_from)?)
        } else {
            None
        };
    Ok(Computation {
        segments,
        movements: applied,
        interest_total,
        interest_due,
        principal_due: principal,
        indemnity,
        warnings,
        options,
    })
}
