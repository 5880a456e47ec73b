//! Worked cases of the late-payment engine against the shipped rate table. Each case shows its
//! arithmetic: days are counted from the day after the start through the end (or movement) day,
//! `interest = base × rate × days / 365`, segments of one interval summed unrounded then rounded
//! half-up to the cent once.
//!
//! B2B default rates used (ECB rate on 1 Jan / 1 Jul + 10): 2015-S1 10.05 · 2022-S2 10.00 ·
//! 2023-S1 12.50 · 2023-S2 14.00 · 2024-S1 14.50 · 2024-S2 14.25 · 2025-S1 13.15 · 2025-S2 12.15 ·
//! 2026-S1 12.15. Legal rate "all other cases": 2022-S2 0.77 · 2023-S1 2.06 · 2023-S2 4.22 ·
//! 2024-S1 5.07 · 2025-S2 2.76 · 2026-S1 2.62.

use recouvre::law::interest::{Claim, DayBasis, Imputation, Movement, MovementKind, Options, RateBasis, compute};
use recouvre::law::rates::{RateTable, SHIPPED, parse};
use rust_decimal::Decimal;

fn table() -> RateTable {
    RateTable::new(&parse(SHIPPED, "rates.csv").unwrap())
}

fn day(s: &str) -> chrono::NaiveDate {
    recouvre::dates::parse_date(s).unwrap()
}

fn eur(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn pay(date: &str, amount: &str) -> Movement {
    Movement { date: day(date), amount: eur(amount), kind: MovementKind::Payment }
}

fn credit(date: &str, amount: &str) -> Movement {
    Movement { date: day(date), amount: eur(amount), kind: MovementKind::CreditNote }
}

struct Case {
    name: &'static str,
    principal: &'static str,
    start: &'static str,
    end: &'static str,
    basis: RateBasis,
    movements: Vec<Movement>,
    options: Options,
    stopped_on: Option<&'static str>,
    /// interest_total, interest_due, principal_due, indemnity, number of warnings
    expected: (&'static str, &'static str, &'static str, &'static str, usize),
}

const ACTUAL: Options = Options { day_basis: DayBasis::ActualActual, imputation: Imputation::InterestFirst };
const PRINCIPAL_FIRST: Options = Options { day_basis: DayBasis::Actual365, imputation: Imputation::PrincipalFirst };

fn case(name: &'static str, principal: &'static str, start: &'static str, end: &'static str, basis: RateBasis) -> Case {
    Case {
        name,
        principal,
        start,
        end,
        basis,
        movements: Vec::new(),
        options: Options::default(),
        stopped_on: None,
        expected: ("0", "0", principal, "0", 0),
    }
}

fn cases() -> Vec<Case> {
    use RateBasis::*;
    let pct = |s: &str| s.parse::<Decimal>().unwrap();
    vec![
        // 10 000 × 13.15 % × 45 / 365 = 162.1233 → 162.12 (1 Apr–15 May 2025); + 40 € indemnity.
        Case {
            expected: ("162.12", "162.12", "10000", "40", 0),
            ..case("issue example", "10000", "2025-03-31", "2025-05-15", B2bDefault)
        },
        // S1/S2 2025 boundary: 10 000 × 13.15 % × 15/365 = 54.0411 (16–30 June)
        // + 10 000 × 12.15 % × 15/365 = 49.9315 (1–15 July) = 103.9726 → 103.97.
        Case {
            expected: ("103.97", "103.97", "10000", "40", 0),
            ..case("half-year boundary 2025", "10000", "2025-06-15", "2025-07-15", B2bDefault)
        },
        // Year boundary: 10 000 × 14.25 % × 11/365 = 42.9452 (21–31 Dec 2024)
        // + 10 000 × 13.15 % × 10/365 = 36.0274 (1–10 Jan 2025) = 78.9726 → 78.97.
        Case {
            expected: ("78.97", "78.97", "10000", "40", 0),
            ..case("year boundary 2024/2025", "10000", "2024-12-20", "2025-01-10", B2bDefault)
        },
        // Leap year, actual/365: 1 000 × 14.50 % × 29/365 = 11.5205 → 11.52 (2 Feb–1 Mar 2024: 28 + 1 days).
        Case {
            expected: ("11.52", "11.52", "1000", "40", 0),
            ..case("leap year /365", "1000", "2024-02-01", "2024-03-01", B2bDefault)
        },
        // Leap year, actual/actual: 1 000 × 14.50 % × 29/366 = 11.4891 → 11.49.
        Case {
            options: ACTUAL,
            expected: ("11.49", "11.49", "1000", "40", 0),
            ..case("leap year /366", "1000", "2024-02-01", "2024-03-01", B2bDefault)
        },
        // Actual/actual across years: 1 000 × 14.25 % × 1/366 = 0.3893 (31 Dec 2024)
        // + 1 000 × 13.15 % × 2/365 = 0.7205 (1–2 Jan 2025) = 1.1098 → 1.11.
        Case {
            options: ACTUAL,
            expected: ("1.11", "1.11", "1000", "40", 0),
            ..case("actual/actual across years", "1000", "2024-12-30", "2025-01-02", B2bDefault)
        },
        // July 2022 trap: the ECB hike of 27 July changes nothing before 1 January: 10.00 %.
        // 5 000 × 10 % × 31/365 = 42.4658 → 42.47 (August 2022).
        Case {
            expected: ("42.47", "42.47", "5000", "40", 0),
            ..case("2022-S2 stays at 10 %", "5000", "2022-07-31", "2022-08-31", B2bDefault)
        },
        // 5 000 × 10 % × 16/365 = 21.9178 (16–31 Dec 2022) + 5 000 × 12.5 % × 15/365 = 25.6849
        // (1–15 Jan 2023) = 47.6027 → 47.60.
        Case {
            expected: ("47.60", "47.60", "5000", "40", 0),
            ..case("2022-S2 to 2023-S1", "5000", "2022-12-15", "2023-01-15", B2bDefault)
        },
        // Four half-years: 10 000 × (12.5 % × 91 + 14 % × 184) / 365 + 10 000 × 14.5 % × 182/365
        // + 10 000 × 14.25 % × 92/365 = 311.6438 + 705.7534 + 723.0137 + 359.1781 = 2 099.589 → 2 099.59.
        Case {
            expected: ("2099.59", "2099.59", "10000", "40", 0),
            ..case("four half-years", "10000", "2023-03-31", "2024-09-30", B2bDefault)
        },
        // 2015-S1: 0.05 + 10 = 10.05 %: 1 000 × 10.05 % × 30/365 = 8.2603 → 8.26.
        Case {
            expected: ("8.26", "8.26", "1000", "40", 0),
            ..case("2015 rate", "1000", "2015-01-01", "2015-01-31", B2bDefault)
        },
        // Partial payment, interest first: April 10 000 × 13.15 % × 30/365 = 108.0822 → 108.08;
        // 4 000 pays 108.08 of interest and 3 891.92 of principal → 6 108.08;
        // May 6 108.08 × 13.15 % × 31/365 = 68.2180 → 68.22. Total 176.30, due 68.22.
        Case {
            movements: vec![pay("2025-04-30", "4000")],
            expected: ("176.30", "68.22", "6108.08", "40", 0),
            ..case("partial payment, interest first", "10000", "2025-03-31", "2025-05-31", B2bDefault)
        },
        // Same, principal first: principal 6 000, interest 108.08 kept;
        // May 6 000 × 13.15 % × 31/365 = 67.0137 → 67.01. Due 108.08 + 67.01 = 175.09.
        Case {
            movements: vec![pay("2025-04-30", "4000")],
            options: PRINCIPAL_FIRST,
            expected: ("175.09", "175.09", "6000", "40", 0),
            ..case("partial payment, principal first", "10000", "2025-03-31", "2025-05-31", B2bDefault)
        },
        // A payment smaller than the interest: 50 pays interest only (108.08 → 58.08), principal
        // stays 10 000; May 10 000 × 13.15 % × 31/365 = 111.6849 → 111.68. Total 219.76, due 169.76.
        Case {
            movements: vec![pay("2025-04-30", "50")],
            expected: ("219.76", "169.76", "10000", "40", 0),
            ..case("payment below the interest", "10000", "2025-03-31", "2025-05-31", B2bDefault)
        },
        // Two payments: 108.08 (April); 3 000 → principal 7 108.08; May 7 108.08 × 13.15 % × 31/365
        // = 79.3865 → 79.39; 3 000 → principal 4 187.47; June 4 187.47 × 13.15 % × 30/365 = 45.2591
        // → 45.26. Total 232.73, due 45.26.
        Case {
            movements: vec![pay("2025-04-30", "3000"), pay("2025-05-31", "3000")],
            expected: ("232.73", "45.26", "4187.47", "40", 0),
            ..case("two partial payments", "10000", "2025-03-31", "2025-06-30", B2bDefault)
        },
        // Overpayment: April 1 000 × 13.15 % × 30/365 = 10.8082 → 10.81; 2 000 pays it all.
        Case {
            movements: vec![pay("2025-04-30", "2000")],
            expected: ("10.81", "0", "0", "40", 0),
            ..case("overpayment", "1000", "2025-03-31", "2025-05-31", B2bDefault)
        },
        // Credit note: 10 000 × 13.15 % × 10/365 = 36.0274 → 36.03 (1–10 April); principal 8 000;
        // 8 000 × 13.15 % × 20/365 = 57.6438 → 57.64 (11–30 April). Total 93.67.
        Case {
            movements: vec![credit("2025-04-10", "2000")],
            expected: ("93.67", "93.67", "8000", "40", 0),
            ..case("credit note mid-period", "10000", "2025-03-31", "2025-04-30", B2bDefault)
        },
        // Credit note then payment: 1 000 × 13.15 % × 15/365 = 5.4041 → 5.40; credit 300 → 700;
        // 700 × 13.15 % × 15/365 = 3.7829 → 3.78; payment 200 pays 9.18 of interest, 190.82 of
        // principal → 509.18; 509.18 × 13.15 % × 31/365 = 5.6868 → 5.69. Total 14.87, due 5.69.
        Case {
            movements: vec![credit("2025-04-15", "300"), pay("2025-04-30", "200")],
            expected: ("14.87", "5.69", "509.18", "40", 0),
            ..case("credit note then payment", "1000", "2025-03-31", "2025-05-31", B2bDefault)
        },
        // A payment before the due date reduces the principal before interest runs:
        // (1 000 − 400) × 13.15 % × 30/365 = 6.4849 → 6.48.
        Case {
            movements: vec![pay("2025-03-20", "400")],
            expected: ("6.48", "6.48", "600", "40", 0),
            ..case("payment before the due date", "1000", "2025-03-31", "2025-04-30", B2bDefault)
        },
        // CGV rate above the floor (3 × 5.07 = 15.21 % in 2024-S1): 20 % applies.
        // 1 000 × 20 % × 31/365 = 16.9863 → 16.99.
        Case {
            expected: ("16.99", "16.99", "1000", "40", 0),
            ..case("CGV above the floor", "1000", "2023-12-31", "2024-01-31", B2bContract(pct("20")))
        },
        // CGV rate below the floor: 10 % raised to 15.21 % with a warning.
        // 1 000 × 15.21 % × 31/365 = 12.9181 → 12.92.
        Case {
            expected: ("12.92", "12.92", "1000", "40", 1),
            ..case("CGV below the floor", "1000", "2023-12-31", "2024-01-31", B2bContract(pct("10")))
        },
        // 2022: floor 3 × 0.77 = 2.31 %: a 5 % clause stands. 1 000 × 5 % × 31/365 = 4.2466 → 4.25.
        Case {
            expected: ("4.25", "4.25", "1000", "40", 0),
            ..case("CGV 5 % in 2022", "1000", "2022-07-31", "2022-08-31", B2bContract(pct("5")))
        },
        // 2023-S2: floor 3 × 4.22 = 12.66 %: a 12 % clause is raised.
        // 1 000 × 12.66 % × 31/365 = 10.7523 → 10.75.
        Case {
            expected: ("10.75", "10.75", "1000", "40", 1),
            ..case("CGV 12 % in 2023-S2", "1000", "2023-06-30", "2023-07-31", B2bContract(pct("12")))
        },
        // The floor limits only contractual rates: the default 14.50 % applies in 2024-S1 although
        // 3 × legal = 15.21 %. 1 000 × 14.5 % × 31/365 = 12.3151 → 12.32, no warning.
        Case {
            expected: ("12.32", "12.32", "1000", "40", 0),
            ..case("default below 3× legal", "1000", "2023-12-31", "2024-01-31", B2bDefault)
        },
        // Consumer, legal rate from the formal notice of 15 Sept 2025, no indemnity:
        // 5 000 × 2.76 % × 30/365 = 11.3425 → 11.34.
        Case {
            expected: ("11.34", "11.34", "5000", "0", 0),
            ..case("consumer, legal rate", "5000", "2025-09-15", "2025-10-15", Legal)
        },
        // Consumer across 2025-S2/2026-S1: 5 000 × 2.76 % × 30/365 = 11.3425
        // + 5 000 × 2.62 % × 31/365 = 11.1260 = 22.4685 → 22.47.
        Case {
            expected: ("22.47", "22.47", "5000", "0", 0),
            ..case("consumer across half-years", "5000", "2025-12-01", "2026-01-31", Legal)
        },
        // Consumer across 2023-S1/S2: 2 000 × 2.06 % × 15/365 = 1.6932 + 2 000 × 4.22 % × 15/365
        // = 3.4685 → 5.1617 → 5.16.
        Case {
            expected: ("5.16", "5.16", "2000", "0", 0),
            ..case("consumer 2023", "2000", "2023-06-15", "2023-07-15", Legal)
        },
        // Consumer contract penalty 8 %: 1 000 × 8 % × 30/365 = 6.5753 → 6.58; never 40 €.
        Case {
            expected: ("6.58", "6.58", "1000", "0", 0),
            ..case("consumer contract rate", "1000", "2025-09-15", "2025-10-15", ConsumerContract(pct("8")))
        },
        // Collective procedure opened 15 April 2025: interest stops that day.
        // 10 000 × 13.15 % × 15/365 = 54.0411 → 54.04; the 40 € was due before the judgment.
        Case {
            stopped_on: Some("2025-04-15"),
            expected: ("54.04", "54.04", "10000", "40", 1),
            ..case("procedure stops interest", "10000", "2025-03-31", "2025-06-30", B2bDefault)
        },
        // Judgment before the due date: no interest, no indemnity.
        Case {
            stopped_on: Some("2025-03-20"),
            expected: ("0", "0", "10000", "0", 1),
            ..case("procedure before the due date", "10000", "2025-03-31", "2025-06-30", B2bDefault)
        },
        // End on the due date: not late, nothing due.
        Case {
            expected: ("0", "0", "1000", "0", 0),
            ..case("not late yet", "1000", "2025-03-31", "2025-03-31", B2bDefault)
        },
        // Rounded once per interval: 4.88 × 13.15 % × 1/365 = 0.00176 (30 June) and
        // 4.88 × 12.15 % × 2/365 = 0.00325 (1–2 July): 0.00 + 0.00 if rounded apart, 0.00501 → 0.01.
        Case {
            expected: ("0.01", "0.01", "4.88", "40", 0),
            ..case("rounding once", "4.88", "2025-06-29", "2025-07-02", B2bDefault)
        },
    ]
}

#[test]
fn worked_cases() {
    let rates = table();
    let cases = cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    for c in cases {
        let claim = Claim {
            principal: eur(c.principal),
            start: day(c.start),
            end: day(c.end),
            movements: c.movements.clone(),
            basis: c.basis,
            stopped_on: c.stopped_on.map(day),
        };
        let got = compute(&claim, &rates, c.options).unwrap_or_else(|e| panic!("{}: {e}", c.name));
        let (total, due, principal, indemnity, warnings) = c.expected;
        assert_eq!(
            (got.interest_total, got.interest_due, got.principal_due, got.indemnity_amount(), got.warnings.len()),
            (eur(total), eur(due), eur(principal), eur(indemnity), warnings),
            "{}: {:#?}",
            c.name,
            got
        );
        // Every segment lies inside the period, and days add up.
        let counted: i64 = got.segments.iter().map(|s| s.days).sum();
        let last = c.stopped_on.map_or(day(c.end), |s| day(s).min(day(c.end)));
        assert!(counted <= (last - day(c.start)).num_days().max(0), "{}", c.name);
    }
}

#[test]
fn a_missing_rate_is_an_error_naming_the_half_year() {
    let rates = table();
    let claim = |basis| Claim {
        principal: eur("1000"),
        start: day("2026-06-15"),
        end: day("2026-07-15"),
        movements: vec![],
        basis,
        stopped_on: None,
    };
    let b2b = compute(&claim(RateBasis::B2bDefault), &rates, Options::default()).unwrap_err();
    assert_eq!(b2b.code(), "missing_rate");
    assert!(b2b.to_string().contains("2026-07-01"), "{b2b}");
    let b2c = compute(&claim(RateBasis::Legal), &rates, Options::default()).unwrap_err();
    assert!(b2c.to_string().contains("2nd semestre 2026"), "{b2c}");
}

#[test]
fn bad_claims_are_refused() {
    let rates = table();
    let base = Claim {
        principal: eur("1000"),
        start: day("2025-03-31"),
        end: day("2025-04-30"),
        movements: vec![],
        basis: RateBasis::B2bDefault,
        stopped_on: None,
    };
    let bad = [
        Claim { principal: eur("-1"), ..base.clone() },
        Claim { end: day("2025-03-01"), ..base.clone() },
        Claim { movements: vec![pay("2025-04-10", "0")], ..base.clone() },
    ];
    for claim in bad {
        assert_eq!(compute(&claim, &rates, Options::default()).unwrap_err().code(), "invalid_input", "{claim:?}");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn basis() -> impl Strategy<Value = RateBasis> {
        prop_oneof![
            Just(RateBasis::B2bDefault),
            Just(RateBasis::Legal),
            (1..3000_i64).prop_map(|bp| RateBasis::B2bContract(Decimal::new(bp, 2))),
        ]
    }

    proptest! {
        /// More days never mean less interest, and a larger principal never means less interest.
        #[test]
        fn interest_is_monotone_in_time_and_principal(
            cents in 1..100_000_000_i64,
            extra in 0..10_000_000_i64,
            start_offset in 0..900_i64,
            days in 0..300_i64,
            more_days in 0..200_i64,
            basis in basis(),
        ) {
            let rates = table();
            let start = day("2023-01-01") + chrono::Duration::days(start_offset);
            let end = start + chrono::Duration::days(days);
            let claim = Claim {
                principal: Decimal::new(cents, 2),
                start,
                end,
                movements: vec![],
                basis,
                stopped_on: None,
            };
            let base = compute(&claim, &rates, Options::default()).unwrap();
            let later = compute(&Claim { end: end + chrono::Duration::days(more_days), ..claim.clone() }, &rates, Options::default());
            // Beyond the table (2026-S2) the rate is missing: that is the only acceptable failure.
            match later {
                Ok(later) => prop_assert!(later.interest_total >= base.interest_total),
                Err(e) => prop_assert_eq!(e.code(), "missing_rate"),
            }
            let bigger = compute(&Claim { principal: Decimal::new(cents + extra, 2), ..claim.clone() }, &rates, Options::default()).unwrap();
            prop_assert!(bigger.interest_total >= base.interest_total);
            // Interest due plus what payments took never exceeds what accrued.
            prop_assert_eq!(base.interest_due, base.interest_total);
        }
    }
}
