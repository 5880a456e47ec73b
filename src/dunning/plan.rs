//! Payment plans (échéanciers): instalments that add up to the amount due exactly, and how they stand
//! against the payments received.

use chrono::{Days, Months, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::error::{Error, Field, Result};
use crate::money::to_plain;

/// How often instalments fall due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Every week.
    Weekly,
    /// Every two weeks.
    Fortnightly,
    /// Every month, on the same day (or the month's last day).
    Monthly,
    /// Every three months.
    Quarterly,
}

impl Frequency {
    /// Every frequency.
    pub const ALL: [Frequency; 4] =
        [Frequency::Weekly, Frequency::Fortnightly, Frequency::Monthly, Frequency::Quarterly];

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            Frequency::Weekly => "chaque semaine",
            Frequency::Fortnightly => "toutes les deux semaines",
            Frequency::Monthly => "chaque mois",
            Frequency::Quarterly => "chaque trimestre",
        }
    }

    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Fortnightly => "fortnightly",
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
        }
    }

    /// Reads a key (or its French name).
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_lowercase().as_str() {
            "weekly" | "hebdomadaire" => Ok(Frequency::Weekly),
            "fortnightly" | "bimensuelle" | "quinzaine" => Ok(Frequency::Fortnightly),
            "monthly" | "mensuelle" => Ok(Frequency::Monthly),
            "quarterly" | "trimestrielle" => Ok(Frequency::Quarterly),
            _ => Err(Error::invalid(Field::Count, text, "valeurs possibles : weekly, fortnightly, monthly, quarterly")),
        }
    }

    /// The `n`-th date from `first` (n = 0 is `first`). Monthly dates keep the day of the month when
    /// it exists, else take the month's last day (31 January → 28 February → 31 March).
    pub fn nth(self, first: NaiveDate, n: u32) -> NaiveDate {
        let step = |date: Option<NaiveDate>| date.unwrap_or(NaiveDate::MAX);
        match self {
            Frequency::Weekly => step(first.checked_add_days(Days::new(7 * u64::from(n)))),
            Frequency::Fortnightly => step(first.checked_add_days(Days::new(14 * u64::from(n)))),
            Frequency::Monthly => step(first.checked_add_months(Months::new(n))),
            Frequency::Quarterly => step(first.checked_add_months(Months::new(3 * n))),
        }
    }
}

/// How to split the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Into this many instalments.
    Count(u32),
    /// Into instalments of this amount (the last one takes what is left).
    Amount(Decimal),
}

/// One instalment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Instalment {
    /// Due date.
    pub due_on: NaiveDate,
    /// Amount.
    pub amount: Decimal,
}

/// Most instalments a plan may have: beyond five years of monthly payments, it is not a plan.
pub const MAX_INSTALMENTS: u32 = 60;

/// Splits `total` into instalments from `first`: equal amounts rounded down to the cent, the last one
/// taking the rounding, so that the sum is exactly the total.
pub fn build(total: Decimal, split: Split, frequency: Frequency, first: NaiveDate) -> Result<Vec<Instalment>> {
    if total <= Decimal::ZERO {
        return Err(Error::invalid(Field::Amount, to_plain(total), "il n'y a rien à échelonner"));
    }
    let (count, each) = match split {
        Split::Count(n) => {
            if n == 0 || n > MAX_INSTALMENTS {
                return Err(Error::invalid(Field::Count, n.to_string(), format!("de 1 à {MAX_INSTALMENTS} échéances")));
            }
            let each = (total / Decimal::from(n)).round_dp_with_strategy(2, RoundingStrategy::ToZero);
            (n, each)
        }
        Split::Amount(each) => {
            if each <= Decimal::ZERO {
                return Err(Error::invalid(Field::Amount, to_plain(each), "une échéance est d'un montant positif"));
            }
            let n = (total / each).ceil().to_u32().unwrap_or(u32::MAX);
            if n > MAX_INSTALMENTS {
                return Err(Error::invalid(
                    Field::Amount,
                    to_plain(each),
                    format!("cela ferait plus de {MAX_INSTALMENTS} échéances"),
                ));
            }
            (n, each.min(total))
        }
    };
    let mut out: Vec<Instalment> =
        (0..count).map(|k| Instalment { due_on: frequency.nth(first, k), amount: each }).collect();
    if let Some(last) = out.last_mut() {
        last.amount = total - each * Decimal::from(count - 1);
    }
    check(total, &out)?;
    Ok(out)
}

/// What counts toward a plan at `at`: the debtor's payments (day, amount) received from the day
/// the plan was made up to `at`.
pub fn paid_toward(created_on: NaiveDate, payments: &[(NaiveDate, Decimal)], at: NaiveDate) -> Decimal {
    payments.iter().filter(|(d, _)| *d >= created_on && *d <= at).map(|(_, a)| *a).sum()
}

/// A delay granted on instalment `number` (1 for the first): it falls due on `to` instead, later
/// than before and before the next one; amounts are unchanged.
pub fn delay(instalments: &[Instalment], number: usize, to: NaiveDate) -> Result<Vec<Instalment>> {
    let index = number
        .checked_sub(1)
        .filter(|i| *i < instalments.len())
        .ok_or_else(|| Error::invalid(Field::Count, number.to_string(), "numéro d'échéance inconnu"))?;
    let current = instalments[index].due_on;
    if to <= current {
        return Err(Error::invalid(
            Field::Date,
            to.to_string(),
            format!("un délai repousse l'échéance au-delà du {}", crate::dates::format_date_fr(current)),
        ));
    }
    if let Some(next) = instalments.get(index + 1).filter(|next| to >= next.due_on) {
        return Err(Error::invalid(
            Field::Date,
            to.to_string(),
            format!(
                "l'échéance suivante tombe le {} : accordez un délai plus court ou modifiez le plan",
                crate::dates::format_date_fr(next.due_on)
            ),
        ));
    }
    let mut out = instalments.to_vec();
    out[index].due_on = to;
    Ok(out)
}

/// Checks edited instalments: dates strictly increasing, amounts positive, sum exactly the total.
pub fn check(total: Decimal, instalments: &[Instalment]) -> Result<()> {
    if instalments.is_empty() {
        return Err(Error::invalid(Field::Count, "0", "au moins une échéance"));
    }
    if let Some(bad) = instalments.iter().find(|i| i.amount <= Decimal::ZERO) {
        return Err(Error::invalid(
            Field::Amount,
            to_plain(bad.amount),
            format!("échéance du {} : montant positif attendu", bad.due_on),
        ));
    }
    if let Some(pair) = instalments.windows(2).find(|w| w[1].due_on <= w[0].due_on) {
        return Err(Error::invalid(Field::Date, pair[1].due_on.to_string(), "les échéances se suivent dans le temps"));
    }
    let sum: Decimal = instalments.iter().map(|i| i.amount).sum();
    if sum != total {
        return Err(Error::invalid(
            Field::Amount,
            to_plain(sum),
            format!(
                "la somme des échéances doit faire exactement {} (écart {})",
                to_plain(total),
                to_plain(sum - total)
            ),
        ));
    }
    Ok(())
}

/// Where an instalment stands at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InstalmentStatus {
    /// Covered by payments.
    Paid,
    /// Not due yet.
    Upcoming,
    /// Due and not (fully) covered: the creditor may grant a delay or declare the whole balance due.
    Missed,
}

impl InstalmentStatus {
    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            InstalmentStatus::Paid => "payée",
            InstalmentStatus::Upcoming => "à venir",
            InstalmentStatus::Missed => "manquée",
        }
    }
}

/// Matches payments (received since the plan began) against the instalments in order: each payment
/// covers the oldest uncovered instalment first. Returns each instalment's status at `at` and how
/// much of it is still missing.
pub fn track(instalments: &[Instalment], paid: Decimal, at: NaiveDate) -> Vec<(InstalmentStatus, Decimal)> {
    let mut left = paid;
    instalments
        .iter()
        .map(|i| {
            let covered = left.min(i.amount).max(Decimal::ZERO);
            left -= covered;
            let missing = i.amount - covered;
            let status = if missing.is_zero() {
                InstalmentStatus::Paid
            } else if i.due_on >= at {
                InstalmentStatus::Upcoming
            } else {
                InstalmentStatus::Missed
            };
            (status, missing)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::dates::parse_date(s).unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn amounts(plan: &[Instalment]) -> Vec<Decimal> {
        plan.iter().map(|i| i.amount).collect()
    }

    #[test]
    fn plan_arithmetic() {
        // 1 000 in 3: 333.33 + 333.33 + 333.34.
        let plan = build(d("1000"), Split::Count(3), Frequency::Monthly, day("2026-01-31")).unwrap();
        assert_eq!(amounts(&plan), vec![d("333.33"), d("333.33"), d("333.34")]);
        // Monthly from 31 January: 28 February, 31 March.
        assert_eq!(
            plan.iter().map(|i| i.due_on).collect::<Vec<_>>(),
            vec![day("2026-01-31"), day("2026-02-28"), day("2026-03-31")]
        );
        // 2 500.50 by 600: 600 × 4 + 100.50.
        let plan = build(d("2500.50"), Split::Amount(d("600")), Frequency::Weekly, day("2026-12-01")).unwrap();
        assert_eq!(amounts(&plan), vec![d("600"), d("600"), d("600"), d("600"), d("100.50")]);
        assert_eq!(plan[4].due_on, day("2026-12-29"));
        // An exact multiple: no crumb instalment.
        assert_eq!(
            amounts(&build(d("900"), Split::Amount(d("300")), Frequency::Monthly, day("2026-12-01")).unwrap()).len(),
            3
        );
        // More than the total per instalment: one instalment.
        assert_eq!(
            amounts(&build(d("100"), Split::Amount(d("300")), Frequency::Monthly, day("2026-12-01")).unwrap()),
            vec![d("100")]
        );
        // 0.05 in 3: 0.01 + 0.01 + 0.03.
        assert_eq!(
            amounts(&build(d("0.05"), Split::Count(3), Frequency::Quarterly, day("2026-12-01")).unwrap()),
            vec![d("0.01"), d("0.01"), d("0.03")]
        );
        for bad in [
            build(d("0"), Split::Count(3), Frequency::Monthly, day("2026-12-01")),
            build(d("100"), Split::Count(0), Frequency::Monthly, day("2026-12-01")),
            build(d("100"), Split::Count(61), Frequency::Monthly, day("2026-12-01")),
            build(d("100000"), Split::Amount(d("1")), Frequency::Monthly, day("2026-12-01")),
            build(d("100"), Split::Amount(d("-5")), Frequency::Monthly, day("2026-12-01")),
        ] {
            assert_eq!(bad.unwrap_err().code(), "invalid_input");
        }
    }

    #[test]
    fn edited_plans_must_add_up() {
        let i = |date: &str, amount: &str| Instalment { due_on: day(date), amount: d(amount) };
        assert!(check(d("100"), &[i("2026-01-01", "60"), i("2026-02-01", "40")]).is_ok());
        assert!(
            check(d("100"), &[i("2026-01-01", "60"), i("2026-02-01", "39.99")])
                .unwrap_err()
                .to_string()
                .contains("-0.01")
        );
        assert!(check(d("100"), &[i("2026-02-01", "60"), i("2026-01-01", "40")]).is_err());
        assert!(check(d("100"), &[i("2026-01-01", "100"), i("2026-02-01", "0")]).is_err());
        assert!(check(d("100"), &[]).is_err());
    }

    #[test]
    fn tracking_against_payments() {
        let plan = build(d("900"), Split::Count(3), Frequency::Monthly, day("2026-09-15")).unwrap();
        use InstalmentStatus::*;
        let cases = [
            // Nothing paid on 1 Sept: all upcoming.
            ("0", "2026-09-01", [(Upcoming, "300"), (Upcoming, "300"), (Upcoming, "300")]),
            // On the due date itself, still upcoming.
            ("0", "2026-09-15", [(Upcoming, "300"), (Upcoming, "300"), (Upcoming, "300")]),
            // The next day, missed.
            ("0", "2026-09-16", [(Missed, "300"), (Upcoming, "300"), (Upcoming, "300")]),
            // 450 paid: first covered, second half covered.
            ("450", "2026-10-20", [(Paid, "0"), (Missed, "150"), (Upcoming, "300")]),
            ("900", "2026-12-31", [(Paid, "0"), (Paid, "0"), (Paid, "0")]),
        ];
        for (paid, at, expected) in cases {
            let got = track(&plan, d(paid), day(at));
            let expected: Vec<(InstalmentStatus, Decimal)> = expected.iter().map(|(s, m)| (*s, d(m))).collect();
            assert_eq!(got, expected, "{paid} at {at}");
        }
    }

    #[test]
    fn a_delay_moves_one_instalment_and_keeps_the_order() {
        let plan = build(d("900"), Split::Count(3), Frequency::Monthly, day("2027-01-05")).unwrap();
        let moved = delay(&plan, 1, day("2027-01-20")).unwrap();
        assert_eq!(moved[0].due_on, day("2027-01-20"));
        assert_eq!(amounts(&moved), amounts(&plan));
        assert_eq!(moved[1..], plan[1..]);
        let last = delay(&plan, 3, day("2027-06-30")).unwrap();
        assert_eq!(last[2].due_on, day("2027-06-30"));
        // (number, to, what is refused)
        let refused = [
            (0, "2027-01-20", "numéro"),
            (4, "2027-01-20", "numéro"),
            (1, "2027-01-05", "repousse"),
            (1, "2027-01-01", "repousse"),
            (1, "2027-02-05", "suivante"),
            (2, "2027-03-10", "suivante"),
        ];
        for (number, to, message) in refused {
            let error = delay(&plan, number, day(to)).unwrap_err().to_string();
            assert!(error.contains(message), "{number} → {to}: {error}");
        }
    }
}
