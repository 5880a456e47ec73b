//! Money: exact euro amounts, their parsing from what people type, their storage as integer cents and
//! their French display (`1 234,56 €`).
//!
//! Invariant: money never touches `f64`. Amounts are `rust_decimal::Decimal` in the core and integer
//! cents in the database; the only conversions are the ones in this module.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Why a text could not be read as an amount. The caller names the field and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    /// Nothing but blanks.
    Empty,
    /// Not a number in any accepted notation (`1234.56`, `1 234,56`, `1234,5`).
    Malformed,
    /// More than two decimals: a cent is the smallest unit we record.
    TooPrecise,
    /// Beyond what the ledger can hold (about 90 000 billion euros).
    TooLarge,
}

impl std::fmt::Display for AmountError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AmountError::Empty => "aucun montant saisi",
            AmountError::Malformed => "montant illisible (exemples acceptés : 1234.56, 1 234,56, 1234,5)",
            AmountError::TooPrecise => "pas plus de deux décimales (le centime est l'unité)",
            AmountError::TooLarge => "montant trop grand",
        })
    }
}

/// Largest amount the ledger accepts, in cents: well inside `i64` so that sums of a whole ledger
/// cannot overflow.
const MAX_CENTS: i64 = 9_000_000_000_000_000 / 1000;

/// [`parse_amount`] for a form's field: a refusal names the field and the value typed.
pub fn parse_amount_field(field: crate::Field, text: &str) -> crate::Result<Decimal> {
    parse_amount(text).map_err(|e| crate::Error::invalid(field, text, e.to_string()))
}

/// Reads an amount as French and international users type it: `1234.56`, `1 234,56`, `1234,5`,
/// `-12`, with ordinary, no-break or narrow no-break spaces as thousands separators and an optional
/// trailing `€` or `EUR`. Exactly one decimal separator is allowed; at most two decimals.
///
/// The sign is kept: whether a negative amount makes sense is the caller's rule, not the parser's.
pub fn parse_amount(text: &str) -> Result<Decimal, AmountError> {
    let trimmed = text.trim();
    let trimmed = trimmed.strip_suffix('€').or_else(|| trimmed.strip_suffix("EUR")).unwrap_or(trimmed).trim();
    if trimmed.is_empty() {
        return Err(AmountError::Empty);
    }
    let (negative, body) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    let mut parts = body.split(['.', ',']);
    let integer_part = parts.next().unwrap_or_default();
    let fraction = parts.next();
    if parts.next().is_some() {
        return Err(AmountError::Malformed);
    }
    let integer = integer_digits(integer_part).ok_or(AmountError::Malformed)?;
    let fraction = fraction.unwrap_or("00");
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AmountError::Malformed);
    }
    if fraction.len() > 2 {
        return Err(AmountError::TooPrecise);
    }
    if integer.len() > 15 {
        return Err(AmountError::TooLarge);
    }
    let units: i64 = integer.parse().map_err(|_| AmountError::Malformed)?;
    let hundredths: i64 = format!("{fraction:0<2}").parse().map_err(|_| AmountError::Malformed)?;
    let cents = units * 100 + hundredths;
    if cents > MAX_CENTS {
        return Err(AmountError::TooLarge);
    }
    Ok(from_cents(if negative { -cents } else { cents }))
}

/// The digits of an integer part written either plainly (`1234`) or in groups of three separated by
/// a space, a no-break space, a narrow no-break space or an apostrophe (`1 234`, `1'234`). Anything
/// else (`1 2`, `12 34`) is ambiguous and refused.
fn integer_digits(text: &str) -> Option<String> {
    let groups: Vec<&str> = text.split([' ', '\u{a0}', '\u{202f}', '\'']).collect();
    let all_digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let well_grouped = groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    (groups.iter().all(|g| all_digits(g)) && well_grouped).then(|| groups.concat())
}

/// An amount in cents, as the database stores it.
pub fn from_cents(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// The amount in whole cents. `None` when it carries a fraction of a cent or does not fit: callers
/// have validated amounts before storing them, so `None` is a programming error they report.
pub fn to_cents(amount: Decimal) -> Option<i64> {
    let scaled = amount.checked_mul(Decimal::ONE_HUNDRED)?;
    if scaled.fract() != Decimal::ZERO {
        return None;
    }
    scaled.to_i64()
}

/// `1234.5` → `"1234.50"`: the stable machine form of an amount (JSON, CSV exports).
pub fn to_plain(amount: Decimal) -> String {
    format!("{:.2}", amount.round_dp(2))
}

/// `1234.5` → `"1 234,50 €"`, the French way: narrow no-break spaces between thousands, a decimal
/// comma and a no-break space before the euro sign, so that the amount never breaks across lines.
pub fn format_eur(amount: Decimal) -> String {
    format!("{}\u{a0}€", format_number_fr(amount))
}

/// `1234.5` → `"1 234,50"` (no currency sign), for table columns whose header names the currency.
pub fn format_number_fr(amount: Decimal) -> String {
    let plain = to_plain(amount);
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (integer, fraction) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::with_capacity(integer.len() + integer.len() / 3 * 3);
    for (index, ch) in integer.chars().enumerate() {
        if index > 0 && (integer.len() - index) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped},{fraction}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn accepted_notations() {
        let cases = [
            ("1234.56", "1234.56"),
            ("1 234,56", "1234.56"),
            ("1\u{a0}234,56", "1234.56"),
            ("1\u{202f}234,56 €", "1234.56"),
            ("1234,5", "1234.50"),
            ("12", "12.00"),
            ("0,01", "0.01"),
            ("-12,30", "-12.30"),
            ("+7", "7.00"),
            ("1'000.00", "1000.00"),
            ("  99.9 EUR ", "99.90"),
            ("10 000 000,00", "10000000.00"),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_amount(input), Ok(d(expected)), "input {input:?}");
        }
    }

    #[test]
    fn refused_notations() {
        let cases = [
            ("", AmountError::Empty),
            ("  € ", AmountError::Empty),
            ("12,34,5", AmountError::Malformed),
            ("1.234,56", AmountError::Malformed),
            ("abc", AmountError::Malformed),
            ("12,", AmountError::Malformed),
            (",5", AmountError::Malformed),
            ("1 ,5", AmountError::Malformed),
            (" 1 2", AmountError::Malformed),
            ("--3", AmountError::Malformed),
            ("1e5", AmountError::Malformed),
            ("12.345", AmountError::TooPrecise),
            ("99999999999999999", AmountError::TooLarge),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_amount(input), Err(expected.clone()), "input {input:?}");
        }
        // A group separator must split groups of three: "1 2" is a typing slip we cannot interpret.
        assert_eq!(parse_amount("1 2"), Err(AmountError::Malformed));
        assert_eq!(parse_amount("12 34"), Err(AmountError::Malformed));
    }

    #[test]
    fn cents_round_trip() {
        for cents in [0_i64, 1, 99, 100, 123_456, -5, MAX_CENTS] {
            assert_eq!(to_cents(from_cents(cents)), Some(cents));
        }
        assert_eq!(to_cents(d("1.005")), None);
    }

    #[test]
    fn french_display() {
        assert_eq!(format_eur(d("1234.56")), "1\u{202f}234,56\u{a0}€");
        assert_eq!(format_eur(d("0.5")), "0,50\u{a0}€");
        assert_eq!(format_eur(d("-1234567.8")), "-1\u{202f}234\u{202f}567,80\u{a0}€");
        assert_eq!(format_number_fr(d("999")), "999,00");
        assert_eq!(to_plain(d("40")), "40.00");
    }
}
