//! Aging (balance âgée): outstanding amounts by how late they are at a date.
//!
//! The buckets are defined once, here, by their bounds in days overdue; the ledger's report query is
//! built from the same table so the SQL and this module cannot disagree.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

/// An aging bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgingBucket {
    /// Not due yet (due today or later).
    NotDue,
    /// 1 to 30 days late.
    Days1To30,
    /// 31 to 60 days late.
    Days31To60,
    /// 61 to 90 days late.
    Days61To90,
    /// 91 to 180 days late.
    Days91To180,
    /// More than 180 days late.
    Over180,
}

impl AgingBucket {
    /// All buckets, from the least to the most late.
    pub const ALL: [AgingBucket; 6] = [
        AgingBucket::NotDue,
        AgingBucket::Days1To30,
        AgingBucket::Days31To60,
        AgingBucket::Days61To90,
        AgingBucket::Days91To180,
        AgingBucket::Over180,
    ];

    /// Largest number of days overdue in the bucket (`None`: no limit).
    pub fn max_days(self) -> Option<u64> {
        match self {
            AgingBucket::NotDue => Some(0),
            AgingBucket::Days1To30 => Some(30),
            AgingBucket::Days31To60 => Some(60),
            AgingBucket::Days61To90 => Some(90),
            AgingBucket::Days91To180 => Some(180),
            AgingBucket::Over180 => None,
        }
    }

    /// The bucket of an invoice that is `days` days overdue (0 or less: not due).
    pub fn for_days_overdue(days: i64) -> AgingBucket {
        let days = u64::try_from(days).unwrap_or(0);
        Self::ALL.into_iter().find(|b| b.max_days().is_none_or(|max| days <= max)).unwrap_or(AgingBucket::Over180)
    }

    /// The earliest due date that still falls in this bucket at `at` (`None`: no limit). An invoice
    /// is in the first bucket whose earliest due date is on or before its own due date.
    pub fn earliest_due_date(self, at: NaiveDate) -> Option<NaiveDate> {
        self.max_days().map(|max| at.checked_sub_days(Days::new(max)).unwrap_or(NaiveDate::MIN))
    }

    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            AgingBucket::NotDue => "not_due",
            AgingBucket::Days1To30 => "days_1_30",
            AgingBucket::Days31To60 => "days_31_60",
            AgingBucket::Days61To90 => "days_61_90",
            AgingBucket::Days91To180 => "days_91_180",
            AgingBucket::Over180 => "over_180",
        }
    }

    /// Column header in French.
    pub fn label(self) -> &'static str {
        match self {
            AgingBucket::NotDue => "Non échu",
            AgingBucket::Days1To30 => "1–30 j",
            AgingBucket::Days31To60 => "31–60 j",
            AgingBucket::Days61To90 => "61–90 j",
            AgingBucket::Days91To180 => "91–180 j",
            AgingBucket::Over180 => "> 180 j",
        }
    }

    /// Position in [`AgingBucket::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Amounts per bucket, in the order of [`AgingBucket::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct BucketAmounts(pub [Decimal; 6]);

impl BucketAmounts {
    /// Adds an amount to a bucket.
    pub fn add(&mut self, bucket: AgingBucket, amount: Decimal) {
        self.0[bucket.index()] += amount;
    }

    /// Sum over all buckets.
    pub fn total(&self) -> Decimal {
        self.0.iter().sum()
    }

    /// Sum of the overdue buckets (all but "not due").
    pub fn overdue(&self) -> Decimal {
        self.0[1..].iter().sum()
    }
}

/// One debtor's line of the aging report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DebtorAging {
    /// Debtor id.
    pub debtor_id: i64,
    /// Debtor name.
    pub debtor_name: String,
    /// Outstanding per bucket.
    pub buckets: BucketAmounts,
    /// Open invoices counted.
    pub open_invoices: u64,
}

/// The aging report at a date: one line per debtor who owes something, and the totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgingReport {
    /// The date the report is computed at.
    pub at: NaiveDate,
    /// Debtors owing something, largest total first.
    pub debtors: Vec<DebtorAging>,
    /// Totals per bucket.
    pub totals: BucketAmounts,
    /// Open invoices per bucket.
    pub invoice_counts: [u64; 6],
}

/// What an invoice open at a date still owes then: the one fact aging and balances are built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenAmount {
    /// Debtor id.
    pub debtor_id: i64,
    /// Due date of the invoice.
    pub due_date: NaiveDate,
    /// Outstanding at the date (zero or less: the invoice is not open and is ignored).
    pub owed: Decimal,
}

/// One debtor's open invoices at a date, summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Exposure {
    /// Outstanding per bucket.
    pub buckets: BucketAmounts,
    /// Open invoices per bucket.
    pub counts: [u64; 6],
    /// Due date of the oldest open invoice.
    pub oldest_due: Option<NaiveDate>,
}

impl Exposure {
    /// Open invoices in all buckets.
    pub fn open_invoices(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Sums open amounts per debtor at `at`, in the buckets of their days overdue.
pub fn exposures(
    at: NaiveDate,
    open: impl IntoIterator<Item = OpenAmount>,
) -> std::collections::HashMap<i64, Exposure> {
    let mut out = std::collections::HashMap::<i64, Exposure>::new();
    for amount in open {
        if amount.owed <= Decimal::ZERO {
            continue;
        }
        let exposure = out.entry(amount.debtor_id).or_default();
        let days = crate::receivables::days_overdue(amount.due_date, at, amount.owed);
        let bucket = AgingBucket::for_days_overdue(days);
        exposure.buckets.add(bucket, amount.owed);
        exposure.counts[bucket.index()] += 1;
        exposure.oldest_due = Some(exposure.oldest_due.map_or(amount.due_date, |d| d.min(amount.due_date)));
    }
    out
}

impl AgingReport {
    /// The report at `at` from the debtors' exposures and their names; debtors owing nothing are
    /// left out, the largest total comes first.
    pub fn new(
        at: NaiveDate,
        exposures: &std::collections::HashMap<i64, Exposure>,
        mut names: impl FnMut(i64) -> String,
    ) -> Self {
        let mut totals = BucketAmounts::default();
        let mut invoice_counts = [0_u64; 6];
        // Totals are computed once per line: summing six decimals inside the comparator would cost
        // more than the rest of the report on a large ledger.
        let mut keyed: Vec<(Decimal, DebtorAging)> = exposures
            .iter()
            .map(|(&debtor_id, e)| {
                for bucket in AgingBucket::ALL {
                    totals.add(bucket, e.buckets.0[bucket.index()]);
                    invoice_counts[bucket.index()] += e.counts[bucket.index()];
                }
                let line = DebtorAging {
                    debtor_id,
                    debtor_name: names(debtor_id),
                    buckets: e.buckets,
                    open_invoices: e.open_invoices(),
                };
                (e.buckets.total(), line)
            })
            .collect();
        keyed.sort_by(|(a_total, a), (b_total, b)| {
            b_total.cmp(a_total).then_with(|| a.debtor_name.cmp(&b.debtor_name)).then(a.debtor_id.cmp(&b.debtor_id))
        });
        let debtors = keyed.into_iter().map(|(_, line)| line).collect();
        AgingReport { at, debtors, totals, invoice_counts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_bounds() {
        let cases = [
            (-5, AgingBucket::NotDue),
            (0, AgingBucket::NotDue),
            (1, AgingBucket::Days1To30),
            (30, AgingBucket::Days1To30),
            (31, AgingBucket::Days31To60),
            (60, AgingBucket::Days31To60),
            (61, AgingBucket::Days61To90),
            (90, AgingBucket::Days61To90),
            (91, AgingBucket::Days91To180),
            (180, AgingBucket::Days91To180),
            (181, AgingBucket::Over180),
            (5000, AgingBucket::Over180),
        ];
        for (days, bucket) in cases {
            assert_eq!(AgingBucket::for_days_overdue(days), bucket, "{days} days");
        }
    }

    #[test]
    fn earliest_due_dates_agree_with_days() {
        let at = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        for offset in -10_i64..400 {
            let due = at - chrono::Duration::days(offset);
            let by_date = AgingBucket::ALL
                .into_iter()
                .find(|b| b.earliest_due_date(at).is_none_or(|earliest| due >= earliest))
                .unwrap();
            assert_eq!(by_date, AgingBucket::for_days_overdue(offset), "offset {offset}");
        }
    }
}
