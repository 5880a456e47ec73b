//! DSO (délai moyen de paiement clients, days sales outstanding) by the countback method — the
//! "méthode de l'épuisement du chiffre d'affaires" French credit managers use: the receivables at a
//! date are matched against the most recent sales, month by month going back, and the days it takes
//! to exhaust them is the DSO. Unlike the ratio method it does not move when sales are seasonal.

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

/// How far back the countback looks: beyond two years of sales, the DSO is reported as "at least".
pub const MAX_MONTHS: u32 = 24;

/// The DSO at `at`, in days rounded to one decimal.
///
/// `receivables` is the total outstanding at `at`; `sales` gives the invoiced amounts incl. VAT net
/// of credit notes, by day (any order, days after `at` ignored). `None` when nothing is owed.
/// When two years of sales do not exhaust the receivables, the two years' days are returned.
pub fn countback(receivables: Decimal, sales: &[(NaiveDate, Decimal)], at: NaiveDate) -> Option<Decimal> {
    if receivables <= Decimal::ZERO {
        return None;
    }
    let mut remaining = receivables;
    let mut days = Decimal::ZERO;
    let mut period_end = at;
    for back in 1..=MAX_MONTHS {
        let period_start = at.checked_sub_months(Months::new(back)).unwrap_or(NaiveDate::MIN);
        let period_days = Decimal::from((period_end - period_start).num_days());
        let period_sales: Decimal =
            sales.iter().filter(|(day, _)| *day > period_start && *day <= period_end).map(|(_, amount)| *amount).sum();
        if period_sales > Decimal::ZERO && remaining <= period_sales {
            days += period_days * remaining / period_sales;
            return Some(days.round_dp(1));
        }
        remaining -= period_sales.max(Decimal::ZERO);
        days += period_days;
        period_end = period_start;
    }
    Some(days.round_dp(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::dates::parse_date(s).unwrap()
    }

    #[test]
    fn countback_cases() {
        let at = day("2026-06-30");
        // Periods back from 30 June: (30 May, 30 June] = 31 days, (30 April, 30 May] = 30 days…
        // Sales: 3 000 in the first period, 6 000 in the second, 3 100 in the third.
        let sales = vec![
            (day("2026-06-15"), Decimal::from(3000)),
            (day("2026-05-10"), Decimal::from(6000)),
            (day("2026-04-20"), Decimal::from(3100)),
            (day("2026-07-02"), Decimal::from(99_999)), // after `at`: ignored
        ];
        // 1 500 owed: half of the last period's sales → 31 / 2 = 15.5 days.
        assert_eq!(countback(Decimal::from(1500), &sales, at), Some(Decimal::new(155, 1)));
        // 6 000 owed: the whole last period (31 days, 3 000) + half of the one before
        // (30 × 3 000 / 6 000 = 15 days) = 46 days.
        assert_eq!(countback(Decimal::from(6000), &sales, at), Some(Decimal::from(46)));
        // Nothing owed: no DSO.
        assert_eq!(countback(Decimal::ZERO, &sales, at), None);
        // More owed than two years of sales: capped at the 24 months' days.
        let capped = countback(Decimal::from(1_000_000), &sales, at).unwrap();
        assert_eq!(capped, Decimal::from((at - at.checked_sub_months(Months::new(24)).unwrap()).num_days()));
    }
}
